import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceContext } from '@xhht/infra';
import { adminUnitLoader } from './admin-units/admin-unit.loaders';
import { accountLoader, activeAssignmentsLoader } from './accounts/account.loaders';

export const createLoaders = (em: EntityManager) => ({
  adminUnit: adminUnitLoader(em),
  account: accountLoader(em),
  activeAssignments: activeAssignmentsLoader(em),
});
export type OrgLoaders = ReturnType<typeof createLoaders>;
export type OrgContext = ServiceContext<OrgLoaders>;
