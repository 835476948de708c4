import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateScalar, mergeResolverMaps } from '@xhht/infra';
import type { OrgContext } from './context';
import { adminUnitResolvers } from './admin-units/admin-unit.resolvers';
import { organizationResolvers } from './organizations/organization.resolvers';
import { householdResolvers } from './households/household.resolvers';
import { personResolvers } from './persons/person.resolvers';
import { clanResolvers } from './clans/clan.resolvers';
import { bodyResolvers } from './bodies/body.resolvers';

import { accountResolvers } from './accounts/account.resolvers';

/** Every module's resolvers, merged type by type (several modules add to Query and Mutation). */
export const resolvers: GraphQLResolverMap<OrgContext> = mergeResolverMaps<GraphQLResolverMap<OrgContext>>(
  { Date: DateScalar as unknown as GraphQLResolverMap<OrgContext>[string] },
  adminUnitResolvers,
  organizationResolvers,
  householdResolvers,
  personResolvers,
  clanResolvers,
  bodyResolvers,
  accountResolvers,
);
