import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceContext } from '@xhht/infra';
import { recognitionLoaders } from './recognitions/recognition.loaders';

export const createLoaders = (em: EntityManager) => ({
  ...recognitionLoaders(em),
});
export type RecognitionLoaders = ReturnType<typeof createLoaders>;
export type RecognitionContext = ServiceContext<RecognitionLoaders>;
