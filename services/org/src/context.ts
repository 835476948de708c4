import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceContext } from '@xhht/infra';
import { adminUnitLoader, changesOfUnitLoader, changeUnitsLoader, childrenLoader, versionsLoader } from './admin-units/admin-unit.loaders';

export const createLoaders = (em: EntityManager) => ({
  adminUnit: adminUnitLoader(em),
  children: childrenLoader(em),
  versions: versionsLoader(em),
  changeUnits: changeUnitsLoader(em),
  changesOfUnit: changesOfUnitLoader(em),
});
export type OrgLoaders = ReturnType<typeof createLoaders>;
export type OrgContext = ServiceContext<OrgLoaders>;
