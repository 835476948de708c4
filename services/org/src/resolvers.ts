import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateScalar } from '@xhht/infra';
import type { OrgContext } from './context';
import { adminUnitResolvers } from './admin-units/admin-unit.resolvers';
import { organizationResolvers } from './organizations/organization.resolvers';
import { householdResolvers } from './households/household.resolvers';
import { personResolvers } from './persons/person.resolvers';
import { clanResolvers } from './clans/clan.resolvers';
import { bodyResolvers } from './bodies/body.resolvers';

/** Every module's resolvers, merged into one map. */
export const resolvers: GraphQLResolverMap<OrgContext> = {
  Date: DateScalar as unknown as GraphQLResolverMap<OrgContext>[string],
  ...mergeModules(adminUnitResolvers, organizationResolvers, householdResolvers, personResolvers, clanResolvers, bodyResolvers),
};

/** Query and Mutation are shared by every module: merge their fields rather than overwrite. */
function mergeModules(...maps: GraphQLResolverMap<OrgContext>[]): GraphQLResolverMap<OrgContext> {
  const out: GraphQLResolverMap<OrgContext> = {};
  for (const m of maps)
    for (const [type, fields] of Object.entries(m)) out[type] = { ...(out[type] as object), ...(fields as object) } as never;
  return out;
}
