import path from 'node:path';
import type { ServiceDefinition } from '@xhht/infra';
import { AdminUnitSchema, AdminUnitVersionSchema } from './admin-units/admin-unit.entity';
import { AdminUnitChangeSchema, AdminUnitChangeUnitSchema } from './admin-units/admin-unit-change.entity';
import { AccountSchema, RoleAssignmentSchema } from './accounts/account.entity';
import { signInRoute } from './accounts/sign-in';
import { createLoaders, type OrgLoaders } from './context';
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
    AccountSchema,
    RoleAssignmentSchema,
  ],
  migrations,
  createLoaders,
  routes: (services) => [signInRoute(services)],
};
