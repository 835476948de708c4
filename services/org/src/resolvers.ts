import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateScalar } from '@xhht/infra';
import type { OrgContext } from './context';
import { adminUnitResolvers } from './admin-units/admin-unit.resolvers';

/** Every module's resolvers, merged into one map. */
export const resolvers: GraphQLResolverMap<OrgContext> = {
  Date: DateScalar as unknown as GraphQLResolverMap<OrgContext>[string],
  ...adminUnitResolvers,
};
