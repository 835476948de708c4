import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateScalar } from '@xhht/infra';
import type { AwardsContext } from './context';
import { roundKindResolvers } from './rounds/round-kinds';

export const resolvers: GraphQLResolverMap<AwardsContext> = {
  Date: DateScalar as unknown as GraphQLResolverMap<AwardsContext>[string],
  ...roundKindResolvers,
};
