import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceContext } from '@xhht/infra';
import { childUnitCountLoader } from './hierarchy/unit-statistics';

export const createLoaders = (em: EntityManager) => ({
  childUnitCount: childUnitCountLoader(em),
});
export type ReportingLoaders = ReturnType<typeof createLoaders>;
export type ReportingContext = ServiceContext<ReportingLoaders>;
