import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateScalar } from '@xhht/infra';
import type { ReportingContext } from './context';
import { hierarchyResolvers } from './hierarchy/hierarchy.resolvers';
import { planResolvers } from './plans/plans.resolvers';
import { progressResolvers } from './progress/progress.resolvers';

export const resolvers: GraphQLResolverMap<ReportingContext> = {
  Date: DateScalar as unknown as GraphQLResolverMap<ReportingContext>[string],
  ...hierarchyResolvers,
  ...planResolvers,
  ...progressResolvers,
  AdminUnit: {
    ...(hierarchyResolvers.AdminUnit as object),
    ...(progressResolvers.AdminUnit as object),
  } as GraphQLResolverMap<ReportingContext>[string],
};
