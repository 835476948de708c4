import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { isUuid, parseInput } from '@xhht/infra';
import type { ReportingContext } from '../context';
import type { EffectiveTarget } from './effective-targets';
import { INDICATOR_NAMES } from './indicators';
import { createPlan, createPlanInput, setTarget, setTargetInput } from './plan.domain';
import type { Plan, PlanPhase, PlanTarget } from './plan.entity';
import { effectiveTargets, listPlans, type PlanListArgs } from './plan.repository';

const unitRef = (id: string) => ({ __typename: 'AdminUnit', id });
const emptyPage = {
  totalCount: 0,
  edges: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
};

export const planResolvers: GraphQLResolverMap<ReportingContext> = {
  Plan: {
    __resolveReference: (ref: { id: string }, ctx: ReportingContext) => (isUuid(ref.id) ? ctx.loaders.planById.load(ref.id) : null),
    issuingUnit: (p: Plan) => unitRef(p.issuingUnitId),
    issuingOrganizationId: (p: Plan) => p.organizationId,
    parentPlan: (p: Plan, _: unknown, ctx: ReportingContext) => (p.parentPlanId ? ctx.loaders.planById.load(p.parentPlanId) : null),
    phases: (p: Plan) =>
      p.phases.map((ph: PlanPhase, i: number) => ({ ...ph, number: i + 1, reviewName: ph.reviewKind === 'FINAL' ? 'Tổng kết' : 'Sơ kết' })),
    targets: async (p: Plan, args: { year?: number | null; indicator?: string | null }, ctx: ReportingContext) =>
      (await ctx.loaders.targetsByPlan.load(p.id)).filter(
        (t) => (args.year == null || t.year === args.year) && (args.indicator == null || t.indicator === args.indicator),
      ),
    createdAt: (p: Plan) => p.createdAt.toISOString(),
  },
  PlanTarget: {
    plan: (t: PlanTarget, _: unknown, ctx: ReportingContext) => ctx.loaders.planById.load(t.planId),
    indicatorName: (t: PlanTarget) => INDICATOR_NAMES[t.indicator],
    unit: (t: PlanTarget) => unitRef(t.unitId),
    percentage: (t: PlanTarget) => Number(t.percentage),
    setAt: (t: PlanTarget) => t.setAt.toISOString(),
  },
  EffectiveTarget: {
    indicatorName: (t: EffectiveTarget) => INDICATOR_NAMES[t.indicator],
    plan: (t: EffectiveTarget, _: unknown, ctx: ReportingContext) => ctx.loaders.planById.load(t.planId),
    scopeUnit: (t: EffectiveTarget) => unitRef(t.scopeUnitId),
  },
  Query: {
    plan: (_: unknown, args: { id: string }, ctx: ReportingContext) => (isUuid(args.id) ? ctx.loaders.planById.load(args.id) : null),
    plans: (_: unknown, args: PlanListArgs, ctx: ReportingContext) =>
      args.unitId && !isUuid(args.unitId) ? emptyPage : listPlans(ctx.em, args),
    effectiveTargets: async (_: unknown, args: { unitId: string; year: number }, ctx: ReportingContext) =>
      isUuid(args.unitId) ? (await effectiveTargets(ctx.em, args.unitId, args.year)).map((t) => ({ ...t, year: args.year })) : [],
  },
  Mutation: {
    createPlan: async (_: unknown, args: { input: unknown }, ctx: ReportingContext) => {
      const input = parseInput(createPlanInput, args.input);
      const plan = await ctx.transact((em) => createPlan(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ planId: plan.id, number: plan.number, unitId: plan.issuingUnitId, actor: ctx.auth.subject }, 'plan created');
      return { plan };
    },
    setTarget: async (_: unknown, args: { input: unknown }, ctx: ReportingContext) => {
      const input = parseInput(setTargetInput, args.input);
      const target = await ctx.transact((em) => setTarget(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info(
        {
          targetId: target.id,
          planId: target.planId,
          indicator: target.indicator,
          unitId: target.unitId,
          year: target.year,
          actor: ctx.auth.subject,
        },
        'target set',
      );
      return { target };
    },
  },
};
