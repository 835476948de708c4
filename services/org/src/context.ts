import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceContext } from '@xhht/infra';
import { adminUnitLoader, changesOfUnitLoader, changeUnitsLoader, childrenLoader, versionsLoader } from './admin-units/admin-unit.loaders';
import { ParticipantScope } from './authorization/scope';
import { byIdLoader, groupLoader } from './common/loaders';
import { Organization } from './organizations/organization.entity';
import { Household } from './households/household.entity';
import { Person } from './persons/person.entity';
import { Clan, ClanBranch, ClanHousehold } from './clans/clan.entity';
import { Body, BodyMember } from './bodies/body.entity';
import { accountLoader, activeAssignmentsLoader } from './accounts/account.loaders';

export const createLoaders = (em: EntityManager) => ({
  adminUnit: adminUnitLoader(em),
  children: childrenLoader(em),
  versions: versionsLoader(em),
  changeUnits: changeUnitsLoader(em),
  changesOfUnit: changesOfUnitLoader(em),
  scope: new ParticipantScope(em),
  organization: byIdLoader(em, Organization),
  organizationsByParent: groupLoader(em, Organization, 'parentId', { name: 'asc' }),
  household: byIdLoader(em, Household),
  person: byIdLoader(em, Person),
  personsByHousehold: groupLoader(em, Person, 'householdId', { fullName: 'asc' }),
  clan: byIdLoader(em, Clan),
  clanBranches: groupLoader(em, ClanBranch, 'clanId', { name: 'asc' }),
  clanHouseholds: groupLoader(em, ClanHousehold, 'clanId'),
  body: byIdLoader(em, Body),
  bodyMember: byIdLoader(em, BodyMember),
  bodyMembers: groupLoader(em, BodyMember, 'bodyId', { validFrom: 'asc' }),
  account: accountLoader(em),
  activeAssignments: activeAssignmentsLoader(em),
});
export type OrgLoaders = ReturnType<typeof createLoaders>;
export type OrgContext = ServiceContext<OrgLoaders>;
