import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceContext } from '@xhht/infra';
import { authorityLoaders } from './authority/authority.loaders';

export const createLoaders = (em: EntityManager) => ({
  ...authorityLoaders(em),
});
export type RecognitionLoaders = ReturnType<typeof createLoaders>;
export type RecognitionContext = ServiceContext<RecognitionLoaders>;
