import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { isUuid, notFound, parseInput, rawQuery } from '@xhht/infra';
import type { AwardsContext } from '../context';
import { formKey } from '../forms/award-form.repository';
import { unitYearKey, type AwardRound, type AwardRoundStatus, type RoundForm } from './award-round.repository';
import {
  closeAwardRound,
  createAwardRound,
  createAwardRoundInput,
  openAwardRound,
  updateAwardRound,
  updateAwardRoundInput,
} from './award-round.domain';
import { evaluateEligibility, type EligibilityCheck } from './eligibility';
import { describeQuota, describeRule, effectiveRule, NOMINEE_KINDS, type EligibilityRule, type NomineeKind } from './eligibility-rules';
import { AWARD_ROUND_KINDS } from './round-kinds';

const STATUS_NAMES: Record<AwardRoundStatus, string> = { DRAFT: 'Đang soạn thảo', OPEN: 'Đang nhận hồ sơ', CLOSED: 'Đã kết thúc' };
const KIND_NAMES: Record<string, string> = Object.fromEntries(AWARD_ROUND_KINDS.map((k) => [k.kind, k.name]));

/** Timestamps as ISO strings, however the driver gave them. */
const iso = (t: Date | string) => new Date(t).toISOString();

/** A form of a round, seen through its round (for defaults and the forms' versions). */
interface RoundFormView extends RoundForm {
  round: AwardRound;
}
/** A rule as shown: defaults filled in, with its description. */
const ruleView = (rule: EligibilityRule, roundYear: number) => ({
  ...effectiveRule(rule, roundYear),
  description: describeRule(rule, roundYear),
});

/** A nominee awards knows: a participant of that kind, or an administrative unit, from its replicas. */
async function nomineeKnown(ctx: AwardsContext, kind: NomineeKind, id: string): Promise<boolean> {
  const rows =
    kind === 'ADMIN_UNIT'
      ? await rawQuery<unknown[]>(ctx.em, 'select 1 from admin_unit_version_replica where unit_id = ? limit 1', [id])
      : await rawQuery<unknown[]>(ctx.em, 'select 1 from participant_replica where id = ? and kind = ?', [id, kind]);
  return rows.length > 0;
}

export const awardRoundResolvers: GraphQLResolverMap<AwardsContext> = {
  AwardRound: {
    __resolveReference: (ref: { id: string }, ctx: AwardsContext) => (isUuid(ref.id) ? ctx.loaders.roundById.load(ref.id) : null),
    scopeUnit: (r: AwardRound) => ({ __typename: 'AdminUnit', id: r.scopeUnitId }),
    kindName: (r: AwardRound) => KIND_NAMES[r.kind] ?? r.kind,
    statusName: (r: AwardRound) => STATUS_NAMES[r.status],
    forms: (r: AwardRound): RoundFormView[] => r.forms.map((f) => ({ ...f, round: r })),
    createdAt: (r: AwardRound) => iso(r.createdAt),
    updatedAt: (r: AwardRound) => iso(r.updatedAt),
    openedAt: (r: AwardRound) => (r.openedAt ? iso(r.openedAt) : null),
    closedAt: (r: AwardRound) => (r.closedAt ? iso(r.closedAt) : null),
  },
  AwardRoundForm: {
    form: (f: RoundFormView, _: unknown, ctx: AwardsContext) => ctx.loaders.formAt.load(formKey(f.formCode, f.round.decisionDeadline)),
    quota: async (f: RoundFormView, _: unknown, ctx: AwardsContext) => {
      if (!f.quota) return null;
      const base = f.quota.kind === 'SHARE' ? await ctx.loaders.formAt.load(formKey(f.quota.ofFormCode, f.round.decisionDeadline)) : null;
      return {
        kind: f.quota.kind,
        count: f.quota.kind === 'COUNT' ? f.quota.count : null,
        sharePercent: f.quota.kind === 'SHARE' ? f.quota.percent : null,
        ofFormCode: f.quota.kind === 'SHARE' ? f.quota.ofFormCode : null,
        description: describeQuota(f.quota, (code) => base?.name ?? code),
      };
    },
    rules: (f: RoundFormView) => f.rules.map((rule) => ruleView(rule, f.round.year)),
  },
  AwardEligibility: {
    checks: (e: { checks: EligibilityCheck[]; round: AwardRound }) => e.checks.map((c) => ({ ...c, rule: ruleView(c.rule, e.round.year) })),
  },
  AdminUnit: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    awardRounds: (unit: { id: string }, args: { year?: number | null }, ctx: AwardsContext) =>
      isUuid(unit.id) ? ctx.loaders.roundsOfUnit.load(unitYearKey(unit.id, args.year)) : [],
  },
  Query: {
    awardRound: (_: unknown, args: { id: string }, ctx: AwardsContext) => (isUuid(args.id) ? ctx.loaders.roundById.load(args.id) : null),
    awardRounds: (_: unknown, args: { scopeUnitId: string; year?: number | null }, ctx: AwardsContext) =>
      isUuid(args.scopeUnitId) ? ctx.loaders.roundsOfUnit.load(unitYearKey(args.scopeUnitId, args.year)) : [],
    awardEligibility: async (
      _: unknown,
      args: { roundId: string; formCode: string; nomineeKind: NomineeKind; nomineeId: string },
      ctx: AwardsContext,
    ) => {
      const round = isUuid(args.roundId) ? await ctx.loaders.roundById.load(args.roundId) : null;
      if (!round) throw notFound('Không tìm thấy đợt khen thưởng', 'ROUND_NOT_FOUND', ['roundId']);
      if (
        !NOMINEE_KINDS.includes(args.nomineeKind) ||
        !isUuid(args.nomineeId) ||
        !(await nomineeKnown(ctx, args.nomineeKind, args.nomineeId))
      ) {
        throw notFound('Không tìm thấy đối tượng được đề nghị khen thưởng', 'NOMINEE_NOT_FOUND', ['nomineeId']);
      }
      const result = await evaluateEligibility(ctx.em, round, args.formCode, { kind: args.nomineeKind, id: args.nomineeId });
      return { ...result, round, formCode: args.formCode, nomineeKind: args.nomineeKind, nomineeId: args.nomineeId };
    },
  },
  Mutation: {
    createAwardRound: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(createAwardRoundInput, args.input);
      const round = await ctx.transact((em) => createAwardRound(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info(
        { roundId: round.id, scopeUnitId: round.scopeUnitId, year: round.year, actor: ctx.auth.subject },
        'award round created',
      );
      return { round };
    },
    updateAwardRound: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(updateAwardRoundInput, args.input);
      const round = await ctx.transact((em) => updateAwardRound(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ roundId: round.id, actor: ctx.auth.subject }, 'award round updated');
      return { round };
    },
    openAwardRound: async (_: unknown, args: { id: string }, ctx: AwardsContext) => {
      if (!isUuid(args.id)) throw notFound('Không tìm thấy đợt khen thưởng', 'ROUND_NOT_FOUND', ['id']);
      const round = await ctx.transact((em) => openAwardRound(em, ctx.auth, ctx.loaders.scope, args.id));
      ctx.logger.info({ roundId: round.id, actor: ctx.auth.subject }, 'award round opened');
      return { round };
    },
    closeAwardRound: async (_: unknown, args: { id: string }, ctx: AwardsContext) => {
      if (!isUuid(args.id)) throw notFound('Không tìm thấy đợt khen thưởng', 'ROUND_NOT_FOUND', ['id']);
      const round = await ctx.transact((em) => closeAwardRound(em, ctx.auth, ctx.loaders.scope, args.id));
      ctx.logger.info({ roundId: round.id, actor: ctx.auth.subject }, 'award round closed');
      return { round };
    },
  },
};
