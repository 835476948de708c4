import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  badInput,
  conflict,
  findParticipants,
  newEvent,
  notFound,
  rawQuery,
  todayInVietnam,
  type AuthContext,
  type CloudEvent,
  type ReplicaScope,
} from '@xhht/infra';
import type { CriteriaDefinition } from '../criteria/criteria-definition';
import { checkScoreValues, evaluateCriteriaSet, unscoredIndicators, type IndicatorScores } from '../criteria/criteria-engine';
import { findCriteriaSetInForce } from '../criteria/criteria-set.domain';
import { CriteriaSet } from '../criteria/criteria-set.entity';
import { attachEvidence } from '../evidence/evidence.repository';
import { LEARNING_TITLES } from '../titles/learning-titles';
import { requireReview, requireSelfAssess, type AssessmentTarget } from './assessment-access';
import {
  ASSESSMENT_STATUS_NAMES,
  loadAssessments,
  loadCycle,
  loadScores,
  type AssessmentRow,
  type AssessmentStatus,
} from './assessment.repository';

export const ASSESSMENT_SUBMITTED = 'vn.xhht.recognition.assessment.submitted.v1';
export const ASSESSMENT_RETURNED = 'vn.xhht.recognition.assessment.returned.v1';
export const ASSESSMENT_APPROVED = 'vn.xhht.recognition.assessment.approved.v1';
export const ASSESSMENT_REJECTED = 'vn.xhht.recognition.assessment.rejected.v1';

export const REASON_CODES = ['MISSING_EVIDENCE', 'INCORRECT_SCORES', 'INCOMPLETE_DOSSIER', 'NOT_ELIGIBLE', 'OTHER'] as const;

const id = (what: string) => z.string().uuid(`mã ${what} không hợp lệ`);
const expectedVersion = z.number().int().min(1, 'phiên bản không hợp lệ');
const scoreEntry = z.object({
  indicatorCode: z.string().trim().min(1, 'cần mã chỉ tiêu'),
  points: z.number().finite().nullish(),
  passed: z.boolean().nullish(),
  comment: z.string().trim().max(2000, 'nhận xét dài tối đa 2000 ký tự').nullish(),
});
const reason = z.string().trim().min(1, 'cần nêu lý do').max(2000, 'lý do dài tối đa 2000 ký tự');

export const registerInput = z.object({
  cycleId: id('đợt xét'),
  subjectKind: z.enum(['HOUSEHOLD', 'CLAN', 'ADMIN_UNIT', 'ORGANIZATION', 'PERSON']),
  subjectId: id('đối tượng'),
});
export const scoresInput = z.object({
  assessmentId: id('hồ sơ'),
  expectedVersion,
  scores: z.array(scoreEntry).min(1, 'cần ít nhất một điểm').max(500),
});
export const attachInput = z.object({
  assessmentId: id('hồ sơ'),
  expectedVersion,
  indicatorCode: z.string().trim().min(1, 'cần mã chỉ tiêu'),
  evidenceFileId: z.string().nullish(),
  url: z.string().nullish(),
});
export const stepInput = z.object({ assessmentId: id('hồ sơ'), expectedVersion, comment: z.string().trim().max(2000).nullish() });
export const reasonInput = z.object({
  assessmentId: id('hồ sơ'),
  expectedVersion,
  reasonCode: z.enum(REASON_CODES).default('OTHER'),
  reason,
});

/** Who is acting, with the request's scope cache. */
export interface Actor {
  auth: AuthContext;
  scope: ReplicaScope;
}

const statusLabel = (s: AssessmentStatus) => `${ASSESSMENT_STATUS_NAMES[s]} (${s})`;

function wrongStatus(a: AssessmentRow, action: string, allowed: AssessmentStatus[]) {
  return conflict(
    `Không thể ${action}: hồ sơ đang ở trạng thái ${statusLabel(a.status)}; chỉ ${action} được khi hồ sơ ${allowed.map((s) => ASSESSMENT_STATUS_NAMES[s]).join(' hoặc ')}`,
    'WRONG_ASSESSMENT_STATUS',
    ['input', 'assessmentId'],
  );
}

const target = (a: AssessmentRow): AssessmentTarget => a;

/**
 * The assessment, locked for this transaction, after the caller's right (`authorize`), the version
 * they saw, and the statuses the step starts from are checked — in that order.
 */
async function lockForStep(
  em: EntityManager,
  input: { assessmentId: string; expectedVersion: number },
  authorize: (a: AssessmentRow) => Promise<void>,
  action: string,
  allowed: AssessmentStatus[],
): Promise<AssessmentRow> {
  const a = (await loadAssessments(em, [input.assessmentId], true)).get(input.assessmentId);
  if (!a) throw notFound('Không tìm thấy hồ sơ đánh giá', 'ASSESSMENT_NOT_FOUND', ['input', 'assessmentId']);
  await authorize(a);
  if (a.version !== input.expectedVersion)
    throw conflict(
      `Hồ sơ đã được cập nhật bởi người khác (phiên bản hiện tại ${a.version}, bạn gửi ${input.expectedVersion}); hãy tải lại`,
      'STALE_VERSION',
      ['input', 'expectedVersion'],
    );
  if (!allowed.includes(a.status)) throw wrongStatus(a, action, allowed);
  return a;
}

async function definitionOf(em: EntityManager, a: AssessmentRow): Promise<CriteriaDefinition> {
  const set = await em.findOneOrFail(CriteriaSet, { id: a.criteriaSetId });
  return set.definition;
}

async function recordTransition(
  em: EntityManager,
  assessmentId: string,
  from: AssessmentStatus | null,
  to: AssessmentStatus,
  by: string,
  why: { reasonCode?: string | null; reason?: string | null } = {},
) {
  await rawQuery(
    em,
    `insert into assessment_transition (id, assessment_id, from_status, to_status, reason_code, reason, at, by)
     values (?, ?, ?, ?, ?, ?, clock_timestamp(), ?)`,
    [randomUUID(), assessmentId, from, to, why.reasonCode ?? null, why.reason ?? null, by],
  );
}

/** Moves the assessment on (or only bumps its version when `to` is its status), recording the change. */
async function advance(
  em: EntityManager,
  a: AssessmentRow,
  to: AssessmentStatus,
  by: string,
  why: { reasonCode?: string | null; reason?: string | null } = {},
  extra: { sql: string; params: unknown[] } = { sql: '', params: [] },
) {
  await rawQuery(
    em,
    `update assessment set status = ?, version = version + 1, updated_at = now(), updated_by = ?${extra.sql} where id = ?`,
    [to, by, ...extra.params, a.id],
  );
  if (to !== a.status || why.reason) await recordTransition(em, a.id, a.status, to, by, why);
}

/** The score each indicator counts with: the reviewer's where given, else the subject's own. */
function effectiveScores(rows: { indicatorCode: string; selfPoints: number | null; reviewPoints: number | null }[]): IndicatorScores {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const v = r.reviewPoints ?? r.selfPoints;
    if (v !== null && v !== undefined) out[r.indicatorCode] = v;
  }
  return out;
}

/** Evaluates the effective scores and stores the result, or clears it while an indicator is unscored. */
async function recomputeResult(em: EntityManager, a: AssessmentRow, def: CriteriaDefinition) {
  const scores = effectiveScores((await loadScores(em, [a.id])).get(a.id) ?? []);
  if (unscoredIndicators(def, scores).length > 0) {
    await rawQuery(em, 'update assessment set result_level = null, total_points = null, explanation = null where id = ?', [a.id]);
    return null;
  }
  const evaluation = evaluateCriteriaSet(def, scores);
  await rawQuery(em, 'update assessment set result_level = ?, total_points = ?, explanation = ?::jsonb where id = ?', [
    evaluation.resultLevel,
    evaluation.totalPoints,
    JSON.stringify(evaluation),
    a.id,
  ]);
  return evaluation;
}

/** What a self-assessment still lacks: unscored indicators, and indicators needing evidence without any. */
async function selfAssessmentGaps(em: EntityManager, a: AssessmentRow, def: CriteriaDefinition) {
  const rows = (await loadScores(em, [a.id])).get(a.id) ?? [];
  const own: Record<string, number> = {};
  for (const r of rows) if (r.selfPoints !== null) own[r.indicatorCode] = r.selfPoints;
  const unscored = unscoredIndicators(def, own);
  const withEvidence = new Set(
    (
      await rawQuery<{ code: string }[]>(em, 'select distinct indicator_code as code from assessment_evidence where assessment_id = ?', [
        a.id,
      ])
    ).map((r) => r.code),
  );
  const needEvidence = def.criteria.flatMap((c) => c.indicators).filter((i) => i.evidenceRequired && !withEvidence.has(i.code));
  return { unscored, missingEvidence: needEvidence.map((i) => i.code) };
}

/** After a self-assessment change: SELF_ASSESSED when complete, DRAFT otherwise. */
async function settleSelfAssessment(em: EntityManager, initial: AssessmentRow, def: CriteriaDefinition, by: string) {
  let a = initial;
  const gaps = await selfAssessmentGaps(em, a, def);
  const to: AssessmentStatus = gaps.unscored.length === 0 && gaps.missingEvidence.length === 0 ? 'SELF_ASSESSED' : 'DRAFT';
  if (a.status === 'REGISTERED' && to === 'SELF_ASSESSED') {
    // the first save opens the draft, even when it completes it at once
    await recordTransition(em, a.id, 'REGISTERED', 'DRAFT', by);
    a = { ...a, status: 'DRAFT' };
  }
  await advance(em, a, to, by);
  await recomputeResult(em, a, def);
}

function eventData(a: AssessmentRow) {
  return {
    assessmentId: a.id,
    cycleId: a.cycleId,
    year: a.year,
    title: a.title,
    subjectLevel: a.subjectLevel,
    subjectKind: a.subjectKind,
    subjectId: a.subjectId,
    subjectUnitId: a.subjectUnitId,
    criteriaSetId: a.criteriaSetId,
  };
}

/** Parses score entries against the set: pass/fail by `passed` (or points 0/1), points by `points`. */
function parseScoreEntries(def: CriteriaDefinition, entries: z.infer<typeof scoreEntry>[]) {
  const scoring = new Map(def.criteria.flatMap((c) => c.indicators.map((i) => [i.code, i.scoring] as const)));
  const seen = new Set<string>();
  const out: { code: string; points: number | null; comment: string | null }[] = [];
  for (const e of entries) {
    if (seen.has(e.indicatorCode)) throw badInput(`Chỉ tiêu ${e.indicatorCode} được chấm hai lần`, 'DUPLICATE_SCORE', ['input', 'scores']);
    seen.add(e.indicatorCode);
    const kind = scoring.get(e.indicatorCode);
    if (!kind)
      throw badInput(`Bộ tiêu chí không có chỉ tiêu: ${e.indicatorCode}`, 'UNKNOWN_INDICATOR', ['input', 'scores'], {
        indicators: [e.indicatorCode],
      });
    if (kind === 'POINTS' && e.passed != null)
      throw badInput(`Chỉ tiêu ${e.indicatorCode} chấm bằng điểm, không chấm đạt/không đạt`, 'SCORE_KIND_MISMATCH', ['input', 'scores']);
    const points = kind === 'PASS_FAIL' && e.passed != null ? (e.passed ? 1 : 0) : (e.points ?? null);
    out.push({ code: e.indicatorCode, points, comment: e.comment ?? null });
  }
  checkScoreValues(def, Object.fromEntries(out.filter((o) => o.points !== null).map((o) => [o.code, o.points!])));
  return out;
}

// ---- self-assessment ----

export async function registerForAssessment(
  em: EntityManager,
  actor: Actor,
  input: z.infer<typeof registerInput>,
): Promise<{ result: string; events: CloudEvent[] }> {
  const cycle = await loadCycle(em, input.cycleId);
  if (!cycle) throw notFound('Không tìm thấy đợt xét công nhận', 'CYCLE_NOT_FOUND', ['input', 'cycleId']);
  if (cycle.status !== 'OPEN') throw conflict(`Đợt xét "${cycle.name}" đã đóng, không nhận đăng ký`, 'CYCLE_CLOSED', ['input', 'cycleId']);
  const title = LEARNING_TITLES.find((t) => t.title === cycle.title)!;
  if (title.subjectKind !== input.subjectKind)
    throw badInput(`Danh hiệu ${title.name} xét đối tượng ${title.subjectKind}, không xét ${input.subjectKind}`, 'SUBJECT_KIND_MISMATCH', [
      'input',
      'subjectKind',
    ]);
  const today = todayInVietnam();
  let subjectUnitId: string;
  if (input.subjectKind === 'ADMIN_UNIT') {
    const kind = (await actor.scope.unitKinds([input.subjectId], today)).get(input.subjectId);
    if (!kind) throw notFound('Không tìm thấy đơn vị hành chính đang tồn tại', 'SUBJECT_NOT_FOUND', ['input', 'subjectId']);
    if (kind !== cycle.subjectLevel)
      throw badInput(`Đợt xét dành cho cấp ${cycle.subjectLevel}, đơn vị này là cấp ${kind}`, 'SUBJECT_LEVEL_MISMATCH', [
        'input',
        'subjectId',
      ]);
    subjectUnitId = input.subjectId;
  } else {
    const p = (await findParticipants(em, [input.subjectId])).get(input.subjectId);
    if (!p || p.kind !== input.subjectKind)
      throw notFound(`Không tìm thấy đối tượng ${input.subjectKind} này`, 'SUBJECT_NOT_FOUND', ['input', 'subjectId']);
    subjectUnitId = p.unitId;
  }
  const t: AssessmentTarget = {
    title: cycle.title,
    subjectLevel: cycle.subjectLevel,
    subjectKind: input.subjectKind,
    subjectId: input.subjectId,
    subjectUnitId,
  };
  await requireSelfAssess(actor.auth, actor.scope, t);
  if (!(await actor.scope.subtree(cycle.decidingUnitId, today)).includes(subjectUnitId))
    throw badInput('Đối tượng không thuộc địa bàn của đợt xét này', 'SUBJECT_OUTSIDE_CYCLE', ['input', 'subjectId']);

  let set: CriteriaSet | null;
  if (cycle.criteriaSetId) {
    set = await em.findOne(CriteriaSet, { id: cycle.criteriaSetId });
    // a set chosen for the cycle must be published (or since retired) and for its title and level
    if (set && (set.status === 'DRAFT' || set.title !== cycle.title || set.subjectLevel !== cycle.subjectLevel)) set = null;
  } else set = await findCriteriaSetInForce(em, cycle.title, cycle.subjectLevel, cycle.year);
  if (!set)
    throw badInput(`Chưa có bộ tiêu chí đã ban hành cho ${title.name} cấp ${cycle.subjectLevel} năm ${cycle.year}`, 'NO_CRITERIA_SET', [
      'input',
      'cycleId',
    ]);

  const [taken] = await rawQuery<{ id: string; status: AssessmentStatus }[]>(
    em,
    'select id, status from assessment where cycle_id = ? and subject_id = ?',
    [cycle.id, input.subjectId],
  );
  if (taken)
    throw conflict(`Đối tượng đã đăng ký trong đợt xét này (hồ sơ ${statusLabel(taken.status)})`, 'ALREADY_REGISTERED', [
      'input',
      'subjectId',
    ]);
  const assessmentId = randomUUID();
  await rawQuery(
    em,
    `insert into assessment (id, cycle_id, subject_kind, subject_id, subject_unit_id, criteria_set_id, status, created_by, updated_by)
     values (?, ?, ?, ?, ?, ?, 'REGISTERED', ?, ?)`,
    [assessmentId, cycle.id, input.subjectKind, input.subjectId, subjectUnitId, set.id, actor.auth.subject, actor.auth.subject],
  );
  await recordTransition(em, assessmentId, null, 'REGISTERED', actor.auth.subject);
  return { result: assessmentId, events: [] };
}

const SELF_EDITABLE: AssessmentStatus[] = ['REGISTERED', 'DRAFT', 'SELF_ASSESSED', 'RETURNED'];

/** Saves the subject's own scores and comments (an entry without points or passed clears that score). */
export async function saveSelfAssessment(
  em: EntityManager,
  actor: Actor,
  input: z.infer<typeof scoresInput>,
): Promise<{ result: string; events: CloudEvent[] }> {
  const a = await lockForStep(em, input, (x) => requireSelfAssess(actor.auth, actor.scope, target(x)), 'tự chấm điểm', SELF_EDITABLE);
  const def = await definitionOf(em, a);
  const entries = parseScoreEntries(def, input.scores);
  await rawQuery(
    em,
    `insert into assessment_score (assessment_id, indicator_code, self_points, self_comment, self_scored_at, self_scored_by)
     select ?, x.code, x.points, x.comment, now(), ? from jsonb_to_recordset(?::jsonb) as x(code text, points float8, comment text)
     on conflict (assessment_id, indicator_code) do update
       set self_points = excluded.self_points, self_comment = excluded.self_comment,
           self_scored_at = excluded.self_scored_at, self_scored_by = excluded.self_scored_by`,
    [a.id, actor.auth.subject, JSON.stringify(entries)],
  );
  await settleSelfAssessment(em, a, def, actor.auth.subject);
  return { result: a.id, events: [] };
}

export async function attachAssessmentEvidence(
  em: EntityManager,
  actor: Actor,
  input: z.infer<typeof attachInput>,
): Promise<{ result: { assessmentId: string; evidenceId: string }; events: CloudEvent[] }> {
  const a = await lockForStep(em, input, (x) => requireSelfAssess(actor.auth, actor.scope, target(x)), 'bổ sung minh chứng', SELF_EDITABLE);
  const def = await definitionOf(em, a);
  if (!def.criteria.some((c) => c.indicators.some((i) => i.code === input.indicatorCode)))
    throw badInput(`Bộ tiêu chí không có chỉ tiêu: ${input.indicatorCode}`, 'UNKNOWN_INDICATOR', ['input', 'indicatorCode']);
  const evidence = await attachEvidence(em, {
    assessmentId: a.id,
    indicatorCode: input.indicatorCode,
    evidenceFileId: input.evidenceFileId,
    url: input.url,
    by: actor.auth.subject,
  });
  await em.flush();
  await settleSelfAssessment(em, a, def, actor.auth.subject);
  return { result: { assessmentId: a.id, evidenceId: evidence.id }, events: [] };
}

export async function submitAssessment(
  em: EntityManager,
  actor: Actor,
  input: z.infer<typeof stepInput>,
): Promise<{ result: string; events: CloudEvent[] }> {
  const a = await lockForStep(em, input, (x) => requireSelfAssess(actor.auth, actor.scope, target(x)), 'nộp hồ sơ', ['SELF_ASSESSED']);
  const def = await definitionOf(em, a);
  const gaps = await selfAssessmentGaps(em, a, def);
  if (gaps.unscored.length || gaps.missingEvidence.length)
    throw conflict(
      `Hồ sơ chưa đủ để nộp: ${[
        gaps.unscored.length ? `chưa chấm ${gaps.unscored.join(', ')}` : '',
        gaps.missingEvidence.length ? `thiếu minh chứng ${gaps.missingEvidence.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ')}`,
      'SELF_ASSESSMENT_INCOMPLETE',
      ['input', 'assessmentId'],
    );
  const now = new Date();
  // late is judged on the first submission: a resubmission after a return is not late for that
  const late = a.firstSubmittedAt ? a.late : todayInVietnam(now) > a.submissionDeadline;
  await advance(
    em,
    a,
    'SUBMITTED',
    actor.auth.subject,
    { reason: input.comment ?? null },
    {
      sql: ', submitted_at = ?, first_submitted_at = coalesce(first_submitted_at, ?), late = ?',
      params: [now, now, late],
    },
  );
  const evaluation = await recomputeResult(em, a, def);
  const event = newEvent(ASSESSMENT_SUBMITTED, a.id, {
    ...eventData(a),
    submittedAt: now.toISOString(),
    late,
    resubmission: a.firstSubmittedAt !== null,
    resultLevel: evaluation?.resultLevel ?? null,
    totalPoints: evaluation?.totalPoints ?? null,
  });
  return { result: a.id, events: [event] };
}

// ---- review ----

const reviewer = (actor: Actor) => (x: AssessmentRow) => requireReview(actor.auth, actor.scope, target(x));

export async function takeAssessmentForReview(
  em: EntityManager,
  actor: Actor,
  input: z.infer<typeof stepInput>,
): Promise<{ result: string; events: CloudEvent[] }> {
  const a = await lockForStep(em, input, reviewer(actor), 'nhận thẩm định', ['SUBMITTED']);
  await advance(
    em,
    a,
    'UNDER_REVIEW',
    actor.auth.subject,
    { reason: input.comment ?? null },
    { sql: ', reviewer = ?', params: [actor.auth.subject] },
  );
  return { result: a.id, events: [] };
}

/** The reviewer's scores and comments (an entry without points or passed keeps the subject's score and records the comment). */
export async function reviewAssessmentScores(
  em: EntityManager,
  actor: Actor,
  input: z.infer<typeof scoresInput>,
): Promise<{ result: string; events: CloudEvent[] }> {
  const a = await lockForStep(em, input, reviewer(actor), 'chấm thẩm định', ['UNDER_REVIEW']);
  const def = await definitionOf(em, a);
  const entries = parseScoreEntries(def, input.scores);
  await rawQuery(
    em,
    `insert into assessment_score (assessment_id, indicator_code, review_points, review_comment, reviewed_at, reviewed_by)
     select ?, x.code, x.points, x.comment, now(), ? from jsonb_to_recordset(?::jsonb) as x(code text, points float8, comment text)
     on conflict (assessment_id, indicator_code) do update
       set review_points = excluded.review_points, review_comment = excluded.review_comment,
           reviewed_at = excluded.reviewed_at, reviewed_by = excluded.reviewed_by`,
    [a.id, actor.auth.subject, JSON.stringify(entries)],
  );
  await advance(em, a, a.status, actor.auth.subject);
  await recomputeResult(em, a, def);
  return { result: a.id, events: [] };
}

export async function returnAssessment(
  em: EntityManager,
  actor: Actor,
  input: z.infer<typeof reasonInput>,
): Promise<{ result: string; events: CloudEvent[] }> {
  const a = await lockForStep(em, input, reviewer(actor), 'trả lại hồ sơ', ['UNDER_REVIEW']);
  await advance(em, a, 'RETURNED', actor.auth.subject, { reasonCode: input.reasonCode, reason: input.reason });
  return { result: a.id, events: [newEvent(ASSESSMENT_RETURNED, a.id, { ...eventData(a), reasonCode: input.reasonCode })] };
}

export async function approveAssessment(
  em: EntityManager,
  actor: Actor,
  input: z.infer<typeof stepInput>,
): Promise<{ result: string; events: CloudEvent[] }> {
  const a = await lockForStep(em, input, reviewer(actor), 'duyệt hồ sơ', ['UNDER_REVIEW']);
  const def = await definitionOf(em, a);
  await advance(em, a, 'APPROVED', actor.auth.subject, { reason: input.comment ?? null });
  const evaluation = await recomputeResult(em, a, def);
  if (!evaluation) throw conflict('Hồ sơ còn chỉ tiêu chưa được chấm', 'SCORES_INCOMPLETE', ['input', 'assessmentId']);
  return {
    result: a.id,
    events: [
      newEvent(ASSESSMENT_APPROVED, a.id, { ...eventData(a), resultLevel: evaluation.resultLevel, totalPoints: evaluation.totalPoints }),
    ],
  };
}

export async function rejectAssessment(
  em: EntityManager,
  actor: Actor,
  input: z.infer<typeof reasonInput>,
): Promise<{ result: string; events: CloudEvent[] }> {
  const a = await lockForStep(em, input, reviewer(actor), 'không duyệt hồ sơ', ['UNDER_REVIEW']);
  await advance(em, a, 'REJECTED', actor.auth.subject, { reasonCode: input.reasonCode, reason: input.reason });
  return { result: a.id, events: [newEvent(ASSESSMENT_REJECTED, a.id, { ...eventData(a), reasonCode: input.reasonCode })] };
}
