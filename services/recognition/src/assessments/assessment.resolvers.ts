import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { connection, isUuid, pageWindow, parseInput, rawQuery, type CloudEvent, type PageArgs } from '@xhht/infra';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RecognitionContext } from '../context';
import { RESULT_LEVEL_NAMES, type ResultLevel } from '../criteria/criteria-definition';
import type { AssessmentEvidence } from '../evidence/evidence.entity';
import { LEARNING_TITLES } from '../titles/learning-titles';
import { readableCondition, requireRead } from './assessment-access';
import {
  approveAssessment,
  attachAssessmentEvidence,
  attachInput,
  reasonInput,
  registerForAssessment,
  registerInput,
  rejectAssessment,
  returnAssessment,
  reviewAssessmentScores,
  saveSelfAssessment,
  scoresInput,
  stepInput,
  submitAssessment,
  takeAssessmentForReview,
  type Actor,
} from './assessment.domain';
import { ASSESSMENT_STATUS_NAMES, type AssessmentRow, type ScoreRow, type TransitionRow } from './assessment.repository';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const passed = (v: number | null, scoring: string) => (scoring === 'PASS_FAIL' && v !== null ? v === 1 : null);
const points = (v: number | null, scoring: string) => (scoring === 'POINTS' ? v : null);

/** The assessment, or FORBIDDEN OUTSIDE_SCOPE when the caller may not read it. */
async function readable(id: string, ctx: RecognitionContext): Promise<AssessmentRow | null> {
  if (!isUuid(id)) return null;
  const a = await ctx.loaders.assessment.load(id);
  if (!a) return null;
  await requireRead(ctx.auth, ctx.loaders.scope, a);
  return a;
}

/** Runs one workflow step in a transaction and answers with the assessment as committed. */
function step<I, R>(
  parse: (raw: unknown) => I,
  work: (em: EntityManager, actor: Actor, input: I) => Promise<{ result: R; events: CloudEvent[] }>,
  idOf: (r: R) => string,
  log: string,
) {
  return async (_: unknown, args: { input: unknown }, ctx: RecognitionContext) => {
    const input = parse(args.input);
    const actor: Actor = { auth: ctx.auth, scope: ctx.loaders.scope };
    const r = await ctx.transact((em) => work(em, actor, input));
    const id = idOf(r);
    ctx.logger.info({ assessmentId: id, actor: ctx.auth.subject }, log);
    ctx.loaders.assessment.clear(id);
    return { assessment: await ctx.loaders.assessment.load(id), result: r };
  };
}

const byId = (r: string) => r;

export const assessmentResolvers: GraphQLResolverMap<RecognitionContext> = {
  Assessment: {
    titleName: (a: AssessmentRow) => LEARNING_TITLES.find((t) => t.title === a.title)?.name ?? a.title,
    statusName: (a: AssessmentRow) => ASSESSMENT_STATUS_NAMES[a.status],
    cycle: (a: AssessmentRow, _: unknown, ctx: RecognitionContext) => ctx.loaders.cycleById.load(a.cycleId),
    criteriaSet: (a: AssessmentRow, _: unknown, ctx: RecognitionContext) => ctx.loaders.criteriaSet.load(a.criteriaSetId),
    resultLevelName: (a: AssessmentRow) => (a.resultLevel ? RESULT_LEVEL_NAMES[a.resultLevel as ResultLevel] : null),
    scores: async (a: AssessmentRow, _: unknown, ctx: RecognitionContext) => {
      const [set, rows, evidence] = await Promise.all([
        ctx.loaders.criteriaSet.load(a.criteriaSetId),
        ctx.loaders.assessmentScores.load(a.id),
        ctx.loaders.assessmentEvidence.load(a.id),
      ]);
      const byCode = new Map(rows.map((r: ScoreRow) => [r.indicatorCode, r]));
      return (set?.definition.criteria ?? []).flatMap((c) =>
        c.indicators.map((i) => {
          const s = byCode.get(i.code);
          return {
            criterionCode: c.code,
            indicatorCode: i.code,
            text: i.text,
            scoring: i.scoring,
            maxPoints: i.maxPoints ?? null,
            evidenceRequired: i.evidenceRequired,
            evidenceDescription: i.evidenceDescription ?? null,
            selfPoints: points(s?.selfPoints ?? null, i.scoring),
            selfPassed: passed(s?.selfPoints ?? null, i.scoring),
            selfComment: s?.selfComment ?? null,
            reviewPoints: points(s?.reviewPoints ?? null, i.scoring),
            reviewPassed: passed(s?.reviewPoints ?? null, i.scoring),
            reviewComment: s?.reviewComment ?? null,
            evidence: evidence.filter((e: AssessmentEvidence) => e.indicatorCode === i.code),
          };
        }),
      );
    },
    evidence: (a: AssessmentRow, _: unknown, ctx: RecognitionContext) => ctx.loaders.assessmentEvidence.load(a.id),
    submittedAt: (a: AssessmentRow) => iso(a.submittedAt),
    history: (a: AssessmentRow, _: unknown, ctx: RecognitionContext) => ctx.loaders.assessmentHistory.load(a.id),
    createdAt: (a: AssessmentRow) => iso(a.createdAt),
    updatedAt: (a: AssessmentRow) => iso(a.updatedAt),
  },
  AssessmentTransition: {
    at: (t: TransitionRow) => iso(t.at),
  },
  Query: {
    assessment: (_: unknown, args: { id: string }, ctx: RecognitionContext) => readable(args.id, ctx),
    assessments: async (_: unknown, args: PageArgs & { cycleId?: string | null; status?: string | null }, ctx: RecognitionContext) => {
      const { limit, offset } = pageWindow(args);
      const conds: string[] = [];
      const params: unknown[] = [];
      if (args.cycleId) {
        if (!isUuid(args.cycleId)) return connection([], 0, offset);
        conds.push('a.cycle_id = ?');
        params.push(args.cycleId);
      }
      if (args.status) {
        conds.push('a.status = ?');
        params.push(args.status);
      }
      const visible = await readableCondition(ctx.auth, ctx.loaders.scope);
      if (visible) {
        conds.push(visible.sql);
        params.push(...visible.params);
      }
      const where = conds.length ? `where ${conds.join(' and ')}` : '';
      const rows = await rawQuery<{ id: string; total: number }[]>(
        ctx.em,
        `select a.id, count(*) over()::int as total from assessment a join recognition_cycle c on c.id = a.cycle_id ${where}
         order by a.created_at, a.id limit ? offset ?`,
        [...params, limit, offset],
      );
      let total = rows[0]?.total ?? 0;
      if (rows.length === 0 && offset > 0) {
        const [c] = await rawQuery<{ n: number }[]>(
          ctx.em,
          `select count(*)::int as n from assessment a join recognition_cycle c on c.id = a.cycle_id ${where}`,
          params,
        );
        total = c?.n ?? 0;
      }
      const nodes = await Promise.all(rows.map((r) => ctx.loaders.assessment.load(r.id)));
      return connection(nodes as AssessmentRow[], total, offset);
    },
  },
  Mutation: {
    registerForAssessment: step((raw) => parseInput(registerInput, raw), registerForAssessment, byId, 'assessment registered'),
    saveSelfAssessment: step((raw) => parseInput(scoresInput, raw), saveSelfAssessment, byId, 'self-assessment saved'),
    attachAssessmentEvidence: async (parent: unknown, args: { input: unknown }, ctx: RecognitionContext) => {
      const r = await step(
        (raw) => parseInput(attachInput, raw),
        attachAssessmentEvidence,
        (x) => x.assessmentId,
        'assessment evidence attached',
      )(parent, args, ctx);
      const evidence = (await ctx.loaders.assessmentEvidence.load(r.result.assessmentId)).find(
        (e: AssessmentEvidence) => e.id === r.result.evidenceId,
      );
      return { assessment: r.assessment, evidence };
    },
    submitAssessment: step((raw) => parseInput(stepInput, raw), submitAssessment, byId, 'assessment submitted'),
    takeAssessmentForReview: step((raw) => parseInput(stepInput, raw), takeAssessmentForReview, byId, 'assessment taken for review'),
    reviewAssessmentScores: step((raw) => parseInput(scoresInput, raw), reviewAssessmentScores, byId, 'assessment review scores saved'),
    returnAssessment: step((raw) => parseInput(reasonInput, raw), returnAssessment, byId, 'assessment returned'),
    approveAssessment: step((raw) => parseInput(stepInput, raw), approveAssessment, byId, 'assessment approved'),
    rejectAssessment: step((raw) => parseInput(reasonInput, raw), rejectAssessment, byId, 'assessment rejected'),
  },
};
