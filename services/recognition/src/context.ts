import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceContext } from '@xhht/infra';

export const createLoaders = (_em: EntityManager) => ({});
export type RecognitionLoaders = ReturnType<typeof createLoaders>;
export type RecognitionContext = ServiceContext<RecognitionLoaders>;
