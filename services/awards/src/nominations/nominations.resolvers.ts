import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { forbidden, isUuid, parseInput, rawQuery, todayInVietnam } from '@xhht/infra';
import type { AwardsContext } from '../context';
import { formKey } from '../forms/award-form.repository';
import { LEARNING_TITLE_NAMES } from '../recognitions/learning-titles';
import type { EligibilityCheck } from '../rounds/eligibility';
import { describeRule, effectiveRule, NOMINEE_TYPENAMES } from '../rounds/eligibility-rules';
import type { AwardRound } from '../rounds/award-round.repository';
import {
  DISCIPLINE_ROLES,
  endDiscipline,
  endDisciplineInput,
  recordDiscipline,
  recordDisciplineInput,
  type DisciplineRow,
} from './discipline.domain';
import {
  approveNomination,
  canReadNomination,
  createNomination,
  createNominationInput,
  escalateNomination,
  escalateNominationInput,
  nominationReasonInput,
  nominationStepInput,
  receiveNomination,
  rejectNomination,
  returnNomination,
  startNominationReview,
  submitNomination,
  updateNomination,
  updateNominationInput,
} from './nomination.domain';
import {
  NOMINATION_STATUS_NAMES,
  roundStatusKey,
  type NominationRow,
  type NominationTransitionRow,
  type RecognitionSnapshot,
} from './nomination.repository';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The rows the caller may see, in their order; rounds and scope subtrees are read once per request. */
async function visible(ctx: AwardsContext, rows: (NominationRow | null)[]): Promise<NominationRow[]> {
  const seen = await Promise.all(
    rows.map(async (n) => {
      if (!n) return null;
      const round = await ctx.loaders.roundById.load(n.roundId);
      return (await canReadNomination(ctx.auth, ctx.loaders.scope, n, round)) ? n : null;
    }),
  );
  return seen.filter((n): n is NominationRow => n !== null);
}

async function visibleById(ctx: AwardsContext, id: string | null): Promise<NominationRow | null> {
  if (!id || !isUuid(id)) return null;
  const [n] = await visible(ctx, [await ctx.loaders.nominationById.load(id)]);
  return n ?? null;
}

const byParty = async (p: { id: string }, _: unknown, ctx: AwardsContext) =>
  isUuid(p.id) ? visible(ctx, await ctx.loaders.nominationsByParty.load(p.id)) : [];

const logStep = (ctx: AwardsContext, n: NominationRow, what: string) =>
  ctx.logger.info({ nominationId: n.id, roundId: n.roundId, status: n.status, version: n.version, actor: ctx.auth.subject }, what);

const recognitionView = (r: RecognitionSnapshot) => ({ ...r, titleName: LEARNING_TITLE_NAMES[r.title] });

const disciplineView = (d: DisciplineRow) => ({ ...d, recordedAt: iso(d.recordedAt), endedAt: iso(d.endedAt) });

/** Only emulation officers covering the subject's unit today, and administrators, read discipline records. */
async function requireDisciplineReader(ctx: AwardsContext, subjectId: string): Promise<void> {
  if (ctx.auth.isSystemAdmin) return;
  const [p] = await rawQuery<{ unitId: string }[]>(ctx.em, 'select unit_id as "unitId" from participant_replica where id = ?', [subjectId]);
  const unitId = p?.unitId ?? ((await ctx.loaders.scope.unitKinds([subjectId], todayInVietnam())).has(subjectId) ? subjectId : null);
  if (!unitId || !(await ctx.loaders.scope.covers(ctx.auth, DISCIPLINE_ROLES, [unitId]))) {
    throw forbidden('Hồ sơ kỷ luật chỉ dành cho cán bộ thi đua – khen thưởng có thẩm quyền', 'OUTSIDE_SCOPE');
  }
}

export const nominationResolvers: GraphQLResolverMap<AwardsContext> = {
  Nomination: {
    __resolveReference: (ref: { id: string }, ctx: AwardsContext) => visibleById(ctx, ref.id),
    round: (n: NominationRow, _: unknown, ctx: AwardsContext) => ctx.loaders.roundById.load(n.roundId),
    form: async (n: NominationRow, _: unknown, ctx: AwardsContext) => {
      const round = await ctx.loaders.roundById.load(n.roundId);
      return round ? ctx.loaders.formAt.load(formKey(n.formCode, round.decisionDeadline)) : null;
    },
    nominee: (n: NominationRow) => ({ __typename: NOMINEE_TYPENAMES[n.nomineeKind], id: n.nomineeId }),
    proposingUnit: (n: NominationRow) => ({ __typename: 'AdminUnit', id: n.proposingUnitId }),
    achievement: (n: NominationRow) => {
      const a = n.achievement;
      switch (a.kind) {
        case 'RECOGNITIONS':
          return {
            kind: a.kind,
            recognitionIds: a.recognitionIds,
            description: `Dựa trên ${a.recognitionIds.length} danh hiệu đã được công nhận`,
          };
        case 'INITIATIVE':
          return {
            kind: a.kind,
            initiativeId: a.initiativeId,
            initiative: { __typename: 'Initiative', id: a.initiativeId },
            description: 'Dựa trên sáng kiến, mô hình đã được Hội đồng công nhận',
          };
        case 'FREE':
          return {
            kind: a.kind,
            freeKind: a.achievementKind,
            year: a.year,
            text: a.text,
            description: `${a.achievementKind} năm ${a.year}: ${a.text}`,
          };
      }
    },
    recognitions: async (n: NominationRow, _: unknown, ctx: AwardsContext) => {
      if (n.recognitions) return n.recognitions.map(recognitionView);
      return (await ctx.loaders.recognitionsOfSubjects.load(n.nomineeId)).map(recognitionView);
    },
    eligibility: async (n: NominationRow, _: unknown, ctx: AwardsContext) => {
      if (!n.eligibility) return null;
      const round = (await ctx.loaders.roundById.load(n.roundId)) as AwardRound;
      return {
        eligible: n.eligibility.eligible,
        checks: n.eligibility.checks.map((c: EligibilityCheck) => ({
          ...c,
          rule: { ...effectiveRule(c.rule, round.year), description: describeRule(c.rule, round.year) },
        })),
      };
    },
    statusName: (n: NominationRow) => NOMINATION_STATUS_NAMES[n.status],
    submittedAt: (n: NominationRow) => iso(n.submittedAt),
    escalatedFrom: (n: NominationRow, _: unknown, ctx: AwardsContext) => visibleById(ctx, n.escalatedFrom),
    escalatedTo: (n: NominationRow, _: unknown, ctx: AwardsContext) => visibleById(ctx, n.escalatedTo),
    transitions: (n: NominationRow, _: unknown, ctx: AwardsContext) => ctx.loaders.nominationTransitions.load(n.id),
    createdAt: (n: NominationRow) => n.createdAt.toISOString(),
    updatedAt: (n: NominationRow) => n.updatedAt.toISOString(),
  },
  NominationNominee: {
    __resolveType: (ref: { __typename: string }) => ref.__typename,
  },
  NominationTransition: {
    at: (t: NominationTransitionRow) => t.at.toISOString(),
  },
  AwardRound: {
    nominations: async (r: { id: string }, args: { status?: string | null }, ctx: AwardsContext) =>
      visible(ctx, await ctx.loaders.nominationsByRound.load(roundStatusKey(r.id, args.status))),
  },
  Person: { nominations: byParty },
  Household: { nominations: byParty },
  Clan: { nominations: byParty },
  Organization: { nominations: byParty },
  AdminUnit: { nominations: byParty },
  Query: {
    nomination: (_: unknown, args: { id: string }, ctx: AwardsContext) => visibleById(ctx, args.id),
    disciplines: async (_: unknown, args: { subjectId: string }, ctx: AwardsContext) => {
      if (!isUuid(args.subjectId)) return [];
      await requireDisciplineReader(ctx, args.subjectId);
      return (await ctx.loaders.disciplinesOfSubjects.load(args.subjectId)).map(disciplineView);
    },
  },
  Mutation: {
    createNomination: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(createNominationInput, args.input);
      const nomination = await ctx.transact((em) => createNomination(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, nomination, 'nomination created');
      return { nomination };
    },
    updateNomination: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(updateNominationInput, args.input);
      const nomination = await ctx.transact((em) => updateNomination(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, nomination, 'nomination updated');
      return { nomination };
    },
    submitNomination: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(nominationStepInput, args.input);
      const nomination = await ctx.transact((em) => submitNomination(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, nomination, 'nomination submitted');
      return { nomination };
    },
    receiveNomination: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(nominationStepInput, args.input);
      const nomination = await ctx.transact((em) => receiveNomination(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, nomination, 'nomination received');
      return { nomination };
    },
    startNominationReview: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(nominationStepInput, args.input);
      const nomination = await ctx.transact((em) => startNominationReview(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, nomination, 'nomination under review');
      return { nomination };
    },
    approveNomination: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(nominationStepInput, args.input);
      const nomination = await ctx.transact((em) => approveNomination(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, nomination, 'nomination approved');
      return { nomination };
    },
    rejectNomination: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(nominationReasonInput, args.input);
      const nomination = await ctx.transact((em) => rejectNomination(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, nomination, 'nomination rejected');
      return { nomination };
    },
    returnNomination: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(nominationReasonInput, args.input);
      const nomination = await ctx.transact((em) => returnNomination(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, nomination, 'nomination returned');
      return { nomination };
    },
    escalateNomination: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(escalateNominationInput, args.input);
      const nomination = await ctx.transact((em) => escalateNomination(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, nomination, 'nomination escalated');
      return { nomination };
    },
    recordDiscipline: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(recordDisciplineInput, args.input);
      const discipline = await ctx.transact((em) => recordDiscipline(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ disciplineId: discipline.id, actor: ctx.auth.subject }, 'discipline recorded');
      return { discipline: disciplineView(discipline) };
    },
    endDiscipline: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(endDisciplineInput, args.input);
      const discipline = await ctx.transact((em) => endDiscipline(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ disciplineId: discipline.id, actor: ctx.auth.subject }, 'discipline ended');
      return { discipline: disciplineView(discipline) };
    },
  },
};
