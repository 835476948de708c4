import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { connection, isUuid, notFound, pageWindow, parseInput, todayInVietnam, type PageArgs } from '@xhht/infra';
import type { RecognitionContext } from '../context';
import { RESULT_LEVEL_NAMES, RESULT_LEVELS } from '../criteria/criteria-definition';
import { requireDecidingAuthority } from '../authority/deciding-authority';
import { findCycle } from '../cycles/cycle.repository';
import { listDecisions, type RecognitionDecision } from './decision.repository';
import { checkDecisionDate, issueDecision, issueDecisionInput } from './issue-decision';

export const decisionResolvers: GraphQLResolverMap<RecognitionContext> = {
  RecognitionDecision: {
    __resolveReference: (ref: { id: string }, ctx: RecognitionContext) => (isUuid(ref.id) ? ctx.loaders.decision.load(ref.id) : null),
    decidingUnit: (d: RecognitionDecision) => ({ __typename: 'AdminUnit', id: d.decidingUnitId }),
    cycle: (d: RecognitionDecision, _: unknown, ctx: RecognitionContext) => ctx.loaders.cycleById.load(d.cycleId),
    levelCounts: (d: RecognitionDecision) =>
      RESULT_LEVELS.filter((l) => d.levelCounts[l]).map((level) => ({
        level,
        levelName: RESULT_LEVEL_NAMES[level],
        count: d.levelCounts[level],
      })),
    recognitions: async (d: RecognitionDecision, args: PageArgs, ctx: RecognitionContext) => {
      const page = pageWindow(args);
      const { rows, total } = await ctx.loaders.recognitionsByDecision(ctx.auth).for(page).load(d.id);
      return connection(rows, total, page.offset);
    },
  },
  Query: {
    recognitionDecision: (_: unknown, args: { id: string }, ctx: RecognitionContext) =>
      isUuid(args.id) ? ctx.loaders.decision.load(args.id) : null,
    recognitionDecisions: async (
      _: unknown,
      args: { cycleId?: string | null; unitId?: string | null } & PageArgs,
      ctx: RecognitionContext,
    ) => {
      const page = pageWindow(args);
      if ((args.cycleId && !isUuid(args.cycleId)) || (args.unitId && !isUuid(args.unitId))) return connection([], 0, page.offset);
      const units = args.unitId ? await ctx.loaders.scope.subtree(args.unitId, todayInVietnam()) : null;
      const { rows, total } = await listDecisions(ctx.em, { cycleId: args.cycleId, units }, page);
      return connection(rows, total, page.offset);
    },
  },
  Mutation: {
    issueRecognitionDecision: async (_: unknown, args: { input: unknown }, ctx: RecognitionContext) => {
      const input = parseInput(issueDecisionInput, args.input);
      const cycle = await findCycle(ctx.em, input.cycleId);
      if (!cycle) throw notFound('Không tìm thấy đợt xét công nhận', 'CYCLE_NOT_FOUND', ['input', 'cycleId']);
      await requireDecidingAuthority(ctx.em, ctx.auth, ctx.loaders.scope, {
        title: cycle.title,
        subjectLevel: cycle.subjectLevel,
        decidingUnitId: cycle.decidingUnitId,
        asOf: input.date,
      });
      checkDecisionDate(input, cycle);
      const decision = await ctx.transact((em) => issueDecision(em, input, cycle, ctx.auth.subject));
      ctx.logger.info(
        {
          decisionId: decision.id,
          cycleId: cycle.id,
          recognitions: decision.recognitionCount,
          late: decision.late,
          actor: ctx.auth.subject,
        },
        'recognition decision issued',
      );
      return { decision };
    },
  },
};
