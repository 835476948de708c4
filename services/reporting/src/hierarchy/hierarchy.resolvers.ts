import { isUuid } from '@xhht/infra';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { ReportingContext } from '../context';

export const hierarchyResolvers: GraphQLResolverMap<ReportingContext> = {
  AdminUnit: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    childUnitCount: (unit: { id: string }, _: unknown, ctx: ReportingContext) =>
      isUuid(unit.id) ? ctx.loaders.childUnitCount.load(unit.id) : 0,
  },
};
