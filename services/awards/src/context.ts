import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceContext } from '@xhht/infra';
import { formAtLoader, formVersionsLoader } from './forms/award-form.repository';

export const createLoaders = (em: EntityManager) => ({
  formAt: formAtLoader(em),
  formVersions: formVersionsLoader(em),
});
export type AwardsLoaders = ReturnType<typeof createLoaders>;
export type AwardsContext = ServiceContext<AwardsLoaders>;
