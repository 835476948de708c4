import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceContext } from '@xhht/infra';

export const createLoaders = (_em: EntityManager) => ({});
export type AwardsLoaders = ReturnType<typeof createLoaders>;
export type AwardsContext = ServiceContext<AwardsLoaders>;
