import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateScalar, mergeResolverMaps } from '@xhht/infra';
import type { AwardsContext } from './context';
import { initiativeResolvers } from './initiatives/initiatives.resolvers';
import { awardFormResolvers } from './forms/award-form.resolvers';
import { awardRoundResolvers } from './rounds/award-round.resolvers';
import { fundResolvers } from './funds/fund.resolvers';
import { nominationResolvers } from './nominations/nominations.resolvers';
import { roundKindResolvers } from './rounds/round-kinds';
import { councilResolvers } from './councils/councils.resolvers';
import { awardDecisionResolvers } from './decisions/award-decisions.resolvers';

export const resolvers: GraphQLResolverMap<AwardsContext> = mergeResolverMaps<GraphQLResolverMap<AwardsContext>>(
  { Date: DateScalar as unknown as GraphQLResolverMap<AwardsContext>[string] },
  roundKindResolvers,
  initiativeResolvers,
  awardFormResolvers,
  awardRoundResolvers,
  fundResolvers,
  councilResolvers,
  nominationResolvers,
  awardDecisionResolvers,
);
