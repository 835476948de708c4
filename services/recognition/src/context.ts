import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceContext } from '@xhht/infra';
import { evidenceFileLoader } from './evidence/evidence.repository';

export const createLoaders = (em: EntityManager) => ({
  evidenceFile: evidenceFileLoader(em),
});
export type RecognitionLoaders = ReturnType<typeof createLoaders>;
export type RecognitionContext = ServiceContext<RecognitionLoaders>;
