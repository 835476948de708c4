import path from 'node:path';
import type { ServiceDefinition } from '@xhht/infra';
import { AdminUnitSchema, AdminUnitVersionSchema } from './admin-units/admin-unit.entity';
import { AdminUnitChangeSchema, AdminUnitChangeUnitSchema } from './admin-units/admin-unit-change.entity';
import { AccountSchema, RoleAssignmentSchema } from './accounts/account.entity';
import { signInRoute } from './accounts/sign-in';
import { createLoaders, type OrgLoaders } from './context';
import { OrganizationSchema } from './organizations/organization.entity';
import { HouseholdSchema } from './households/household.entity';
import { PersonSchema } from './persons/person.entity';
import { ClanSchema, ClanBranchSchema, ClanHouseholdSchema } from './clans/clan.entity';
import { BodySchema, BodyMemberSchema } from './bodies/body.entity';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

/** The org subgraph: administrative units and every participant. */
export const orgService: ServiceDefinition<OrgLoaders> = {
  name: 'org',
  sdlDir: path.resolve(__dirname, '../src'),
  resolvers,
  entities: [
    AdminUnitSchema,
    AdminUnitVersionSchema,
    AdminUnitChangeSchema,
    AdminUnitChangeUnitSchema,
    OrganizationSchema,
    HouseholdSchema,
    PersonSchema,
    ClanSchema,
    ClanBranchSchema,
    ClanHouseholdSchema,
    BodySchema,
    BodyMemberSchema,
    AccountSchema,
    RoleAssignmentSchema,
  ],
  migrations,
  createLoaders,
  routes: (services) => [signInRoute(services)],
};
