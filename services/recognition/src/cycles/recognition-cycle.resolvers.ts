import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DomainError, conflict, isUuid, parseInput, todayInVietnam } from '@xhht/infra';
import type { RecognitionContext } from '../context';
import { titleName } from '../authority/deciding-authority';
import { listCycles, type CycleListArgs } from './cycle.repository';
import { openCycle, openCycleInput } from './open-cycle';
import type { RecognitionCycle } from './recognition-cycle.entity';

export const cycleResolvers: GraphQLResolverMap<RecognitionContext> = {
  RecognitionCycle: {
    __resolveReference: (ref: { id: string }, ctx: RecognitionContext) => (isUuid(ref.id) ? ctx.loaders.cycleById.load(ref.id) : null),
    titleName: (c: RecognitionCycle) => titleName(c.title),
    decidingUnit: (c: RecognitionCycle) => ({ __typename: 'AdminUnit', id: c.decidingUnitId }),
    authority: (c: RecognitionCycle, _: unknown, ctx: RecognitionContext) =>
      c.authorityRuleId ? ctx.loaders.authorityRule.load(c.authorityRuleId) : null,
    submissionOpen: (c: RecognitionCycle) => c.status === 'OPEN' && todayInVietnam() <= c.submissionDeadline,
    submissionOverdue: (c: RecognitionCycle) => todayInVietnam() > c.submissionDeadline,
    decisionOverdue: (c: RecognitionCycle) => c.status === 'OPEN' && todayInVietnam() > c.decisionDeadline,
    createdAt: (c: RecognitionCycle) => c.createdAt.toISOString(),
  },
  Query: {
    // cycles are public: who decides what, by when
    recognitionCycle: (_: unknown, args: { id: string }, ctx: RecognitionContext) =>
      isUuid(args.id) ? ctx.loaders.cycleById.load(args.id) : null,
    recognitionCycles: (_: unknown, args: CycleListArgs, ctx: RecognitionContext) => {
      if (args.unitId && !isUuid(args.unitId))
        return { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };
      return listCycles(ctx.em, ctx.loaders.scope, args);
    },
  },
  Mutation: {
    openRecognitionCycle: async (_: unknown, args: { input: unknown }, ctx: RecognitionContext) => {
      const input = parseInput(openCycleInput, args.input);
      let cycle: RecognitionCycle;
      try {
        cycle = await ctx.transact((em) => openCycle(em, ctx.auth, ctx.loaders.scope, input));
      } catch (err) {
        // a concurrent open of the same cycle won the race past the domain's own check
        if (err instanceof DomainError && err.extensions.messageKey === 'ALREADY_EXISTS') {
          throw conflict('Đợt công nhận này đã tồn tại', 'CYCLE_EXISTS', ['input', 'year']);
        }
        throw err;
      }
      ctx.logger.info(
        { cycleId: cycle.id, title: cycle.title, year: cycle.year, unitId: cycle.decidingUnitId, actor: ctx.auth.subject },
        'recognition cycle opened',
      );
      return { cycle };
    },
  },
};
