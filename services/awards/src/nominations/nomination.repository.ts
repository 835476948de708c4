import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, uuidArray } from '@xhht/infra';
import type { EligibilityCheck } from '../rounds/eligibility';
import type { NomineeKind } from '../rounds/eligibility-rules';
import type { LearningTitle } from '../recognitions/learning-titles';

export const NOMINATION_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'RECEIVED',
  'UNDER_REVIEW',
  'APPROVED',
  'REJECTED',
  'RETURNED',
  'DECIDED',
  'WITHDRAWN',
] as const;
export type NominationStatus = (typeof NOMINATION_STATUSES)[number];

export const NOMINATION_STATUS_NAMES: Record<NominationStatus, string> = {
  DRAFT: 'Đang soạn hồ sơ',
  SUBMITTED: 'Đã gửi đề nghị',
  RECEIVED: 'Cấp trên đã tiếp nhận',
  UNDER_REVIEW: 'Đang thẩm định',
  APPROVED: 'Đã được chấp thuận đề nghị',
  REJECTED: 'Không chấp thuận',
  RETURNED: 'Bị trả lại, cần bổ sung',
  DECIDED: 'Đã có quyết định khen thưởng',
  WITHDRAWN: 'Đã rút hồ sơ',
};

/** What a nomination rests on: recognitions from the replica, a recognised initiative, or an achievement described freely. */
export type Achievement =
  | { kind: 'RECOGNITIONS'; recognitionIds: string[] }
  | { kind: 'INITIATIVE'; initiativeId: string }
  | { kind: 'FREE'; achievementKind: string; year: number; text: string };

export interface NominationEvidence {
  title: string;
  url: string | null;
  fileId: string | null;
}

/** A recognition as attached at submission: what the replica knew that day. */
export interface RecognitionSnapshot {
  recognitionId: string;
  title: LearningTitle;
  level: string;
  year: number;
  revoked: boolean;
  decisionNumber: string | null;
  decisionDate: string | null;
}

export interface NominationRow {
  id: string;
  roundId: string;
  formCode: string;
  nomineeKind: NomineeKind;
  nomineeId: string;
  proposingUnitId: string;
  summary: string;
  evidence: NominationEvidence[];
  achievement: Achievement;
  status: NominationStatus;
  version: number;
  returnReason: string | null;
  rejectionReason: string | null;
  withdrawalReason: string | null;
  recognitions: RecognitionSnapshot[] | null;
  eligibility: { eligible: boolean; checks: EligibilityCheck[] } | null;
  submittedAt: Date | null;
  escalatedFrom: string | null;
  escalatedTo: string | null;
  decisionRef: string | null;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

export interface NominationTransitionRow {
  nominationId: string;
  fromStatus: NominationStatus | null;
  toStatus: NominationStatus;
  reason: string | null;
  at: Date;
  by: string;
}

const toDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));
const rowOf = (r: NominationRow): NominationRow => ({
  ...r,
  submittedAt: toDate(r.submittedAt),
  createdAt: toDate(r.createdAt)!,
  updatedAt: toDate(r.updatedAt)!,
});

export const NOMINATION_COLUMNS = `n.id, n.round_id as "roundId", n.form_code as "formCode", n.nominee_kind as "nomineeKind",
  n.nominee_id as "nomineeId", n.proposing_unit_id as "proposingUnitId", n.summary, n.evidence, n.achievement, n.status, n.version,
  n.return_reason as "returnReason", n.rejection_reason as "rejectionReason", n.withdrawal_reason as "withdrawalReason", n.recognitions, n.eligibility,
  n.submitted_at as "submittedAt", n.escalated_from as "escalatedFrom", n.escalated_to as "escalatedTo", n.decision_ref as "decisionRef",
  n.created_at as "createdAt", n.created_by as "createdBy", n.updated_at as "updatedAt", n.updated_by as "updatedBy"`;

/** Nominations by id; `lock` takes their row locks for the caller's transaction. */
export async function loadNominations(em: EntityManager, ids: readonly string[], lock = false): Promise<Map<string, NominationRow>> {
  if (ids.length === 0) return new Map();
  const rows = await rawQuery<NominationRow[]>(
    em,
    `select ${NOMINATION_COLUMNS} from nomination n where n.id = any(?::uuid[]) order by n.id${lock ? ' for update' : ''}`,
    [uuidArray(ids)],
  );
  return new Map(rows.map((r) => [r.id, rowOf(r)]));
}

export const nominationByIdLoader = (em: EntityManager) =>
  new DataLoader<string, NominationRow | null>(async (ids) => {
    const byId = await loadNominations(em, ids);
    return ids.map((id) => byId.get(id) ?? null);
  });

/** Key of nominationsByRoundLoader: a round and a status, or every status. */
export const roundStatusKey = (roundId: string, status?: string | null) => `${roundId}|${status ?? ''}`;

/** A round's nominations, oldest first; every round of a batch in one statement. */
export const nominationsByRoundLoader = (em: EntityManager) =>
  new DataLoader<string, NominationRow[]>(async (keys) => {
    const wanted = keys.map((k) => {
      const [roundId, status] = k.split('|');
      return { roundId: roundId!, status: status || null };
    });
    const rows = (
      await rawQuery<NominationRow[]>(
        em,
        `select ${NOMINATION_COLUMNS} from nomination n where n.round_id = any(?::uuid[]) order by n.created_at, n.id`,
        [uuidArray(wanted.map((w) => w.roundId))],
      )
    ).map(rowOf);
    return wanted.map((w) => rows.filter((r) => r.roundId === w.roundId && (w.status === null || r.status === w.status)));
  });

/**
 * Nominations naming each id as nominee or as proposing unit (an administrative unit may be both),
 * newest first; one statement per batch.
 */
export const nominationsByPartyLoader = (em: EntityManager) =>
  new DataLoader<string, NominationRow[]>(async (ids) => {
    const rows = (
      await rawQuery<NominationRow[]>(
        em,
        `select ${NOMINATION_COLUMNS} from nomination n
         where n.nominee_id = any(?::uuid[]) or n.proposing_unit_id = any(?::uuid[]) order by n.created_at desc, n.id`,
        [uuidArray(ids), uuidArray(ids)],
      )
    ).map(rowOf);
    return ids.map((id) => rows.filter((r) => r.nomineeId === id || r.proposingUnitId === id));
  });

export const nominationTransitionsLoader = (em: EntityManager) =>
  new DataLoader<string, NominationTransitionRow[]>(async (ids) => {
    const rows = await rawQuery<NominationTransitionRow[]>(
      em,
      `select nomination_id as "nominationId", from_status as "fromStatus", to_status as "toStatus", reason, at, by
       from nomination_transition where nomination_id = any(?::uuid[]) order by at, id`,
      [uuidArray(ids)],
    );
    return ids.map((id) => rows.filter((r) => r.nominationId === id).map((r) => ({ ...r, at: toDate(r.at)! })));
  });
