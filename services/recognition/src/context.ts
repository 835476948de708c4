import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceContext } from '@xhht/infra';
import { criteriaLoaders } from './criteria/criteria-set.loaders';
import { evidenceFileLoader } from './evidence/evidence.repository';

export const createLoaders = (em: EntityManager) => ({
  ...criteriaLoaders(em),
  evidenceFile: evidenceFileLoader(em),
});
export type RecognitionLoaders = ReturnType<typeof createLoaders>;
export type RecognitionContext = ServiceContext<RecognitionLoaders>;
