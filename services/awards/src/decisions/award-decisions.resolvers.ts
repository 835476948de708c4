import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { badInput, connection, isUuid, pageWindow, parseInput } from '@xhht/infra';
import type { AwardsContext } from '../context';
import { CERTIFICATES_ROUTE } from '../certificates/certificate-route';
import { formKey } from '../forms/award-form.repository';
import { canReadNomination } from '../nominations/nomination.domain';
import { canReadAwardee, issueAwardDecision, issueAwardDecisionInput, revokeAward, revokeAwardInput } from './award-decision.domain';
import { NOMINEE_TYPENAMES } from '../rounds/eligibility-rules';
import type { AwardDecisionRow, AwardRow } from './award-decision.repository';

/** Names awards holds only because a decision printed them: persons' and households'. */
const PERSONAL_NAME_KINDS = new Set(['PERSON', 'HOUSEHOLD']);

/** Whether the caller reads the awardee's name, the revocation reason and the certificate; the nomination is loaded per request. */
async function readsAwardee(ctx: AwardsContext, a: AwardRow): Promise<boolean> {
  const nomination = await ctx.loaders.nominationById.load(a.nominationId);
  return canReadAwardee(ctx.auth, ctx.loaders.scope, a, nomination);
}

const byNominee = (p: { id: string }, _: unknown, ctx: AwardsContext) => (isUuid(p.id) ? ctx.loaders.awardsByNominee.load(p.id) : []);

const logDecision = (ctx: AwardsContext, d: AwardDecisionRow, what: string) =>
  ctx.logger.info({ decisionId: d.id, roundId: d.roundId, formCode: d.formCode, actor: ctx.auth.subject }, what);

export const awardDecisionResolvers: GraphQLResolverMap<AwardsContext> = {
  AwardDecision: {
    __resolveReference: (ref: { id: string }, ctx: AwardsContext) => (isUuid(ref.id) ? ctx.loaders.decisionById.load(ref.id) : null),
    round: (d: AwardDecisionRow, _: unknown, ctx: AwardsContext) => ctx.loaders.roundById.load(d.roundId),
    form: (d: AwardDecisionRow, _: unknown, ctx: AwardsContext) => ctx.loaders.formAt.load(formKey(d.formCode, d.decidedOn)),
    issuingUnit: (d: AwardDecisionRow) => ({ __typename: 'AdminUnit', id: d.issuingUnitId }),
    awards: (d: AwardDecisionRow, _: unknown, ctx: AwardsContext) => ctx.loaders.awardsByDecision.load(d.id),
    createdAt: (d: AwardDecisionRow) => d.createdAt.toISOString(),
    certificatesUrl: async (d: AwardDecisionRow, _: unknown, ctx: AwardsContext) => {
      const awards = (await ctx.loaders.awardsByDecision.load(d.id)).filter((a) => a.revokedOn === null);
      for (const a of awards) if (await readsAwardee(ctx, a)) return `${CERTIFICATES_ROUTE}/decisions/${d.id}`;
      return null;
    },
  },
  Award: {
    __resolveReference: (ref: { id: string }, ctx: AwardsContext) => (isUuid(ref.id) ? ctx.loaders.awardById.load(ref.id) : null),
    decision: (a: AwardRow, _: unknown, ctx: AwardsContext) => ctx.loaders.decisionById.load(a.decisionId),
    form: async (a: AwardRow, _: unknown, ctx: AwardsContext) => {
      const d = await ctx.loaders.decisionById.load(a.decisionId);
      return d ? ctx.loaders.formAt.load(formKey(d.formCode, d.decidedOn)) : null;
    },
    nominee: (a: AwardRow) => ({ __typename: NOMINEE_TYPENAMES[a.nomineeKind], id: a.nomineeId }),
    nomination: async (a: AwardRow, _: unknown, ctx: AwardsContext) => {
      const n = await ctx.loaders.nominationById.load(a.nominationId);
      if (!n) return null;
      const round = await ctx.loaders.roundById.load(n.roundId);
      return (await canReadNomination(ctx.auth, ctx.loaders.scope, n, round)) ? n : null;
    },
    awardeeName: async (a: AwardRow, _: unknown, ctx: AwardsContext) =>
      !PERSONAL_NAME_KINDS.has(a.nomineeKind) || (await readsAwardee(ctx, a)) ? a.awardeeName : null,
    citation: async (a: AwardRow, _: unknown, ctx: AwardsContext) =>
      a.citation ?? (await ctx.loaders.decisionById.load(a.decisionId))!.citation,
    revoked: (a: AwardRow) => a.revokedOn !== null,
    revocationReason: async (a: AwardRow, _: unknown, ctx: AwardsContext) =>
      a.revocationReason !== null && (await readsAwardee(ctx, a)) ? a.revocationReason : null,
    certificateUrl: async (a: AwardRow, _: unknown, ctx: AwardsContext) =>
      a.revokedOn === null && (await readsAwardee(ctx, a)) ? `${CERTIFICATES_ROUTE}/${a.id}` : null,
  },
  AwardRound: {
    decisions: (r: { id: string }, _: unknown, ctx: AwardsContext) => ctx.loaders.decisionsByRound.load(r.id),
  },
  Nomination: {
    award: (n: { id: string }, _: unknown, ctx: AwardsContext) => ctx.loaders.awardByNomination.load(n.id),
  },
  Person: { awards: byNominee },
  Household: { awards: byNominee },
  Clan: { awards: byNominee },
  Organization: { awards: byNominee },
  AdminUnit: {
    awards: async (
      u: { id: string },
      args: { year?: number | null; scope?: 'UNIT' | 'AREA' | null; first?: number | null; after?: string | null },
      ctx: AwardsContext,
    ) => {
      const { limit, offset } = pageWindow(args);
      if (args.year != null && !(args.year >= 2000 && args.year <= 2100)) {
        throw badInput(`Năm ${args.year} không hợp lệ (2000–2100)`, 'YEAR_OUT_OF_RANGE', ['year']);
      }
      if (!isUuid(u.id)) return connection([], 0, offset);
      const page = await ctx.loaders.unitAwards.load({ unitId: u.id, area: args.scope === 'AREA', year: args.year ?? null, limit, offset });
      return connection(page.rows, page.total, offset);
    },
  },
  Query: {
    awardDecision: (_: unknown, args: { id: string }, ctx: AwardsContext) =>
      isUuid(args.id) ? ctx.loaders.decisionById.load(args.id) : null,
    award: (_: unknown, args: { id: string }, ctx: AwardsContext) => (isUuid(args.id) ? ctx.loaders.awardById.load(args.id) : null),
  },
  Mutation: {
    issueAwardDecision: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(issueAwardDecisionInput, args.input);
      const decision = await ctx.transact((em) => issueAwardDecision(em, ctx.auth, ctx.loaders.scope, input));
      logDecision(ctx, decision, 'award decision issued');
      return { decision };
    },
    revokeAward: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(revokeAwardInput, args.input);
      const award = await ctx.transact((em) => revokeAward(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ awardId: award.id, decisionId: award.decisionId, actor: ctx.auth.subject }, 'award revoked');
      return { award };
    },
  },
};
