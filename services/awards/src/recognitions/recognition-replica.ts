import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, todayInVietnam, uuidArray, type CloudEvent, type InboxHandler } from '@xhht/infra';
import type { LearningTitle } from './learning-titles';

export const RECOGNITION_GRANTED = 'vn.xhht.recognition.recognition.granted.v1';
export const RECOGNITION_REVOKED = 'vn.xhht.recognition.recognition.revoked.v1';
export const RECOGNITION_EXPIRED = 'vn.xhht.recognition.recognition.expired.v1';

export type RecognitionLevel = 'ACHIEVED' | 'LEVEL_1' | 'LEVEL_2';
export type RecognitionSubjectKind = 'HOUSEHOLD' | 'CLAN' | 'PERSON' | 'ORGANIZATION' | 'ADMIN_UNIT';

/** A recognition as awards knows it (table award_recognition). Dates are ISO days. */
export interface AwardRecognition {
  recognitionId: string;
  subjectKind: RecognitionSubjectKind;
  subjectId: string;
  title: LearningTitle;
  level: RecognitionLevel;
  year: number;
  validFrom: string | null;
  validTo: string | null;
  revoked: boolean;
  revokedOn: string | null;
  revocationReason: string | null;
  expired: boolean;
  decisionId: string;
  decisionNumber: string | null;
  decisionDate: string | null;
  decidingUnitId: string | null;
}

interface Payload {
  recognitionId: string;
  decisionId: string;
  subjectKind: string;
  subjectId: string;
  title: string;
  level: string;
  year: number;
  validFrom?: string;
  validTo?: string;
  decisionNumber?: string;
  decisionDate?: string;
  decidingUnitId?: string;
  reason?: string;
  revokedAt?: string;
}

type Row = Omit<AwardRecognition, 'subjectKind' | 'title' | 'level'> & { subjectKind: string; title: string; level: string };

/** What one event tells about its recognition; what it does not tell is null. */
function rowOf(event: CloudEvent<unknown>): Row {
  const d = event.data as Payload;
  const base: Row = {
    recognitionId: d.recognitionId,
    subjectKind: d.subjectKind,
    subjectId: d.subjectId,
    title: d.title,
    level: d.level,
    year: d.year,
    validFrom: null,
    validTo: null,
    revoked: false,
    revokedOn: null,
    revocationReason: null,
    expired: false,
    decisionId: d.decisionId,
    decisionNumber: null,
    decisionDate: null,
    decidingUnitId: null,
  };
  switch (event.type) {
    case RECOGNITION_GRANTED:
      return {
        ...base,
        validFrom: d.validFrom ?? null,
        validTo: d.validTo ?? null,
        decisionNumber: d.decisionNumber ?? null,
        decisionDate: d.decisionDate ?? null,
        decidingUnitId: d.decidingUnitId ?? null,
      };
    case RECOGNITION_REVOKED:
      // the day it was revoked, in Vietnam
      return {
        ...base,
        revoked: true,
        revokedOn: d.revokedAt ? todayInVietnam(new Date(d.revokedAt)) : null,
        revocationReason: d.reason ?? null,
      };
    case RECOGNITION_EXPIRED:
      return { ...base, expired: true, validTo: d.validTo ?? null };
    default:
      throw new Error(`not a recognition event: ${event.type}`);
  }
}

/** Two accounts of one recognition as one: what either knows is kept, an end (revoked, expired) is never undone. */
function merge(a: Row, b: Row): Row {
  return {
    ...a,
    validFrom: a.validFrom ?? b.validFrom,
    validTo: a.validTo ?? b.validTo,
    revoked: a.revoked || b.revoked,
    revokedOn: a.revokedOn ?? b.revokedOn,
    revocationReason: a.revocationReason ?? b.revocationReason,
    expired: a.expired || b.expired,
    decisionNumber: a.decisionNumber ?? b.decisionNumber,
    decisionDate: a.decisionDate ?? b.decisionDate,
    decidingUnitId: a.decidingUnitId ?? b.decidingUnitId,
  };
}

/**
 * Applies recognition events in one statement. Every fact of a recognition is fixed once known (the
 * grant's period and decision, the day it was revoked), so applying them in any order, or twice,
 * leaves the same row: a redelivered or late event changes nothing.
 */
export async function applyRecognitionEvents(events: CloudEvent<unknown>[], em: EntityManager): Promise<void> {
  if (events.length === 0) return;
  const byId = new Map<string, Row>();
  for (const event of events) {
    const row = rowOf(event);
    const seen = byId.get(row.recognitionId);
    byId.set(row.recognitionId, seen ? merge(seen, row) : row);
  }
  await rawQuery(
    em,
    `insert into award_recognition as r (recognition_id, subject_kind, subject_id, title, level, year, valid_from, valid_to, revoked, revoked_on,
       revocation_reason, expired, decision_id, decision_number, decision_date, deciding_unit_id)
     select "recognitionId", "subjectKind", "subjectId", title, level, year, "validFrom", "validTo", revoked, "revokedOn",
       "revocationReason", expired, "decisionId", "decisionNumber", "decisionDate", "decidingUnitId"
     from jsonb_to_recordset(?::jsonb) as s("recognitionId" uuid, "subjectKind" text, "subjectId" uuid, title text, level text, year int,
       "validFrom" date, "validTo" date, revoked boolean, "revokedOn" date, "revocationReason" text, expired boolean, "decisionId" uuid,
       "decisionNumber" text, "decisionDate" date, "decidingUnitId" uuid)
     on conflict (recognition_id) do update set
       valid_from = coalesce(r.valid_from, excluded.valid_from),
       valid_to = coalesce(r.valid_to, excluded.valid_to),
       revoked = r.revoked or excluded.revoked,
       revoked_on = coalesce(r.revoked_on, excluded.revoked_on),
       revocation_reason = coalesce(r.revocation_reason, excluded.revocation_reason),
       expired = r.expired or excluded.expired,
       decision_number = coalesce(r.decision_number, excluded.decision_number),
       decision_date = coalesce(r.decision_date, excluded.decision_date),
       deciding_unit_id = coalesce(r.deciding_unit_id, excluded.deciding_unit_id),
       updated_at = now()`,
    [JSON.stringify([...byId.values()])],
  );
}

const handler: InboxHandler = { one: (event, em) => applyRecognitionEvents([event], em), many: applyRecognitionEvents };

/** Handlers of the `xhht.awards.recognitions` group. */
export const recognitionReplicaHandlers: Record<string, InboxHandler> = {
  [RECOGNITION_GRANTED]: handler,
  [RECOGNITION_REVOKED]: handler,
  [RECOGNITION_EXPIRED]: handler,
};

const COLUMNS = `recognition_id as "recognitionId", subject_kind as "subjectKind", subject_id as "subjectId", title, level, year,
  valid_from::text as "validFrom", valid_to::text as "validTo", revoked, revoked_on::text as "revokedOn",
  revocation_reason as "revocationReason", expired, decision_id as "decisionId", decision_number as "decisionNumber",
  decision_date::text as "decisionDate", deciding_unit_id as "decidingUnitId"`;

/** Every recognition of the subjects (revoked and expired ones too), by subject, oldest year first; one statement. */
export async function recognitionsOf(em: EntityManager, subjectIds: readonly string[]): Promise<Map<string, AwardRecognition[]>> {
  const out = new Map<string, AwardRecognition[]>(subjectIds.map((id) => [id, []]));
  if (subjectIds.length === 0) return out;
  const rows = await rawQuery<AwardRecognition[]>(
    em,
    `select ${COLUMNS} from award_recognition where subject_id = any(?::uuid[]) order by year, title, decision_date nulls last, recognition_id`,
    [uuidArray(subjectIds)],
  );
  for (const r of rows) out.get(r.subjectId)?.push(r);
  return out;
}

/** Each subject's recognitions, batched per request (for nominations and eligibility). */
export const recognitionsOfSubjectsLoader = (em: EntityManager) =>
  new DataLoader<string, AwardRecognition[]>(async (ids) => {
    const found = await recognitionsOf(em, ids);
    return ids.map((id) => found.get(id) ?? []);
  });
