import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateScalar, mergeResolverMaps } from '@xhht/infra';
import type { ReportingContext } from './context';
import { hierarchyResolvers } from './hierarchy/hierarchy.resolvers';
import { planResolvers } from './plans/plans.resolvers';
import { progressResolvers } from './progress/progress.resolvers';
import { reportResolvers } from './reports/reports.resolvers';

export const resolvers: GraphQLResolverMap<ReportingContext> = mergeResolverMaps<GraphQLResolverMap<ReportingContext>>(
  { Date: DateScalar as unknown as GraphQLResolverMap<ReportingContext>[string] },
  hierarchyResolvers,
  planResolvers,
  progressResolvers,
  reportResolvers,
);
