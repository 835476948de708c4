import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { ReportingContext } from '../context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const hierarchyResolvers: GraphQLResolverMap<ReportingContext> = {
  AdminUnit: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    childUnitCount: (unit: { id: string }, _: unknown, ctx: ReportingContext) =>
      UUID.test(unit.id) ? ctx.loaders.childUnitCount.load(unit.id) : 0,
  },
};
