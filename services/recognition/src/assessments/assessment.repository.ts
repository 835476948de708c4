import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid, rawQuery, uuidArray } from '@xhht/infra';
import type { Evaluation } from '../criteria/criteria-engine';
import { evidenceForAssessments } from '../evidence/evidence.repository';

export const ASSESSMENT_STATUSES = [
  'REGISTERED',
  'DRAFT',
  'SELF_ASSESSED',
  'SUBMITTED',
  'UNDER_REVIEW',
  'RETURNED',
  'APPROVED',
  'REJECTED',
] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

export const ASSESSMENT_STATUS_NAMES: Record<AssessmentStatus, string> = {
  REGISTERED: 'Đã đăng ký',
  DRAFT: 'Đang tự đánh giá',
  SELF_ASSESSED: 'Đã tự đánh giá',
  SUBMITTED: 'Đã nộp',
  UNDER_REVIEW: 'Đang thẩm định',
  RETURNED: 'Trả lại để bổ sung',
  APPROVED: 'Đã duyệt',
  REJECTED: 'Không duyệt',
};

/** An assessment with what its cycle says about it (title, year, subject level, deadline). */
export interface AssessmentRow {
  id: string;
  cycleId: string;
  year: number;
  title: string;
  subjectLevel: string;
  submissionDeadline: string;
  subjectKind: string;
  subjectId: string;
  subjectUnitId: string;
  criteriaSetId: string;
  status: AssessmentStatus;
  resultLevel: string | null;
  totalPoints: number | null;
  explanation: Evaluation | null;
  submittedAt: Date | null;
  firstSubmittedAt: Date | null;
  late: boolean;
  reviewer: string | null;
  version: number;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

export const ASSESSMENT_SELECT = `select a.id, a.cycle_id as "cycleId", c.year, c.title, c.subject_level as "subjectLevel",
  c.submission_deadline::text as "submissionDeadline", a.subject_kind as "subjectKind", a.subject_id as "subjectId",
  a.subject_unit_id as "subjectUnitId", a.criteria_set_id as "criteriaSetId", a.status, a.result_level as "resultLevel",
  a.total_points::float8 as "totalPoints", a.explanation, a.submitted_at as "submittedAt", a.first_submitted_at as "firstSubmittedAt",
  a.late, a.reviewer, a.version, a.created_at as "createdAt", a.created_by as "createdBy", a.updated_at as "updatedAt", a.updated_by as "updatedBy"
  from assessment a join recognition_cycle c on c.id = a.cycle_id`;

export async function loadAssessments(em: EntityManager, ids: readonly string[], forUpdate = false): Promise<Map<string, AssessmentRow>> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return new Map();
  const rows = await rawQuery<AssessmentRow[]>(
    em,
    `${ASSESSMENT_SELECT} where a.id = any(?::uuid[])${forUpdate ? ' for update of a' : ''}`,
    [uuidArray(valid)],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

export interface ScoreRow {
  assessmentId: string;
  indicatorCode: string;
  selfPoints: number | null;
  selfComment: string | null;
  selfScoredAt: Date | null;
  selfScoredBy: string | null;
  reviewPoints: number | null;
  reviewComment: string | null;
  reviewedAt: Date | null;
  reviewedBy: string | null;
}

export async function loadScores(em: EntityManager, assessmentIds: readonly string[]): Promise<Map<string, ScoreRow[]>> {
  const out = new Map<string, ScoreRow[]>(assessmentIds.map((id) => [id, []]));
  const valid = assessmentIds.filter(isUuid);
  if (valid.length === 0) return out;
  const rows = await rawQuery<ScoreRow[]>(
    em,
    `select assessment_id as "assessmentId", indicator_code as "indicatorCode", self_points as "selfPoints", self_comment as "selfComment",
       self_scored_at as "selfScoredAt", self_scored_by as "selfScoredBy", review_points as "reviewPoints", review_comment as "reviewComment",
       reviewed_at as "reviewedAt", reviewed_by as "reviewedBy"
     from assessment_score where assessment_id = any(?::uuid[])`,
    [uuidArray(valid)],
  );
  for (const r of rows) out.get(r.assessmentId)?.push(r);
  return out;
}

export interface TransitionRow {
  id: string;
  assessmentId: string;
  fromStatus: AssessmentStatus | null;
  toStatus: AssessmentStatus;
  reasonCode: string | null;
  reason: string | null;
  at: Date;
  by: string;
}

export interface CycleRow {
  id: string;
  year: number;
  title: string;
  subjectLevel: string;
  name: string;
  decidingUnitId: string;
  criteriaSetId: string | null;
  submissionDeadline: string;
  status: string;
}

export async function loadCycle(em: EntityManager, id: string): Promise<CycleRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await rawQuery<CycleRow[]>(
    em,
    `select id, year, title, subject_level as "subjectLevel", name, deciding_unit_id as "decidingUnitId",
       criteria_set_id as "criteriaSetId", submission_deadline::text as "submissionDeadline", status
     from recognition_cycle where id = ?`,
    [id],
  );
  return row ?? null;
}

/** Per-request loaders of assessments and what hangs off them, one statement per batch. */
export const assessmentLoaders = (em: EntityManager) => ({
  assessment: new DataLoader<string, AssessmentRow | null>(async (ids) => {
    const found = await loadAssessments(em, ids);
    return ids.map((id) => found.get(id) ?? null);
  }),
  assessmentScores: new DataLoader<string, ScoreRow[]>(async (ids) => {
    const found = await loadScores(em, ids);
    return ids.map((id) => found.get(id) ?? []);
  }),
  assessmentHistory: new DataLoader<string, TransitionRow[]>(async (ids) => {
    const rows = await rawQuery<TransitionRow[]>(
      em,
      `select id, assessment_id as "assessmentId", from_status as "fromStatus", to_status as "toStatus", reason_code as "reasonCode",
         reason, at, by from assessment_transition where assessment_id = any(?::uuid[]) order by at, id`,
      [uuidArray(ids.filter(isUuid))],
    );
    return ids.map((id) => rows.filter((r) => r.assessmentId === id));
  }),
  assessmentEvidence: new DataLoader(async (ids: readonly string[]) => {
    const found = await evidenceForAssessments(em, ids);
    return ids.map((id) => found.get(id) ?? []);
  }),
});
