import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, uuidArray, type CloudEvent, type InboxHandler } from '@xhht/infra';

export const TARGETS_JUDGED = 'vn.xhht.reporting.targets.judged.v1';

export type TargetsOutcome = 'MET' | 'NOT_MET' | 'NO_TARGETS';

/** One indicator of a unit's year against the figure required of it (percentages). */
export interface TargetIndicator {
  indicator: string;
  numerator: number;
  denominator: number;
  /** Achieved; null when there was nothing to count. */
  rate: number | null;
  /** Required this year: the year's own target, or the point on the way to the next milestone's. */
  target: number;
  planTarget: number;
  targetYear: number;
  status: 'ACHIEVED' | 'ON_TRACK' | 'BEHIND' | 'NO_DATA';
  met: boolean;
}

/** A unit's year against its targets as awards knows it (table award_targets_result): reporting's latest judgement. */
export interface TargetsResult {
  unitId: string;
  year: number;
  version: number;
  outcome: TargetsOutcome;
  indicators: TargetIndicator[];
  /** The day the figures were counted as of (ISO). */
  asOf: string;
  judgedAt: Date;
  requestId: string;
  submissionId: string;
}

interface Payload {
  unitId: string;
  year: number;
  outcome: TargetsOutcome;
  indicators: TargetIndicator[];
  asOf: string;
  judgedAt: string;
  version: number;
  trigger: { requestId: string; submissionId: string };
}

/**
 * Applies targets.judged events in one statement: per unit and year the highest version wins, in the
 * batch and against the row already here, so a redelivered or older judgement arriving late leaves
 * the same row (and the inbox records each event once).
 */
export async function applyTargetsJudgements(events: CloudEvent<unknown>[], em: EntityManager): Promise<void> {
  if (events.length === 0) return;
  const latest = new Map<string, Payload>();
  for (const event of events) {
    if (event.type !== TARGETS_JUDGED) throw new Error(`not a targets judgement: ${event.type}`);
    const d = event.data as Payload;
    const key = `${d.unitId}|${d.year}`;
    if ((latest.get(key)?.version ?? 0) < d.version) latest.set(key, d);
  }
  const rows = [...latest.values()].map((d) => ({
    unitId: d.unitId,
    year: d.year,
    version: d.version,
    outcome: d.outcome,
    indicators: d.indicators,
    asOf: d.asOf,
    judgedAt: d.judgedAt,
    requestId: d.trigger.requestId,
    submissionId: d.trigger.submissionId,
  }));
  await rawQuery(
    em,
    `insert into award_targets_result as t (unit_id, year, version, outcome, indicators, as_of, judged_at, request_id, submission_id)
     select "unitId", year, version, outcome, indicators, "asOf", "judgedAt", "requestId", "submissionId"
     from jsonb_to_recordset(?::jsonb) as s("unitId" uuid, year int, version int, outcome text, indicators jsonb, "asOf" date,
       "judgedAt" timestamptz, "requestId" uuid, "submissionId" uuid)
     on conflict (unit_id, year) do update set
       version = excluded.version, outcome = excluded.outcome, indicators = excluded.indicators, as_of = excluded.as_of,
       judged_at = excluded.judged_at, request_id = excluded.request_id, submission_id = excluded.submission_id, updated_at = now()
     where t.version < excluded.version`,
    [JSON.stringify(rows)],
  );
}

const handler: InboxHandler = { one: (event, em) => applyTargetsJudgements([event], em), many: applyTargetsJudgements };

/** Handlers of the `xhht.awards.progress` group. */
export const targetsReplicaHandlers: Record<string, InboxHandler> = { [TARGETS_JUDGED]: handler };

/** The latest judgement of each unit's years, by unit; one statement. */
export async function targetsResultsOf(em: EntityManager, unitIds: readonly string[]): Promise<Map<string, TargetsResult[]>> {
  const out = new Map<string, TargetsResult[]>(unitIds.map((id) => [id, []]));
  if (unitIds.length === 0) return out;
  const rows = await rawQuery<TargetsResult[]>(
    em,
    `select unit_id as "unitId", year, version, outcome, indicators, as_of::text as "asOf", judged_at as "judgedAt",
       request_id as "requestId", submission_id as "submissionId"
     from award_targets_result where unit_id = any(?::uuid[]) order by year`,
    [uuidArray(unitIds)],
  );
  for (const r of rows) out.get(r.unitId)?.push({ ...r, judgedAt: new Date(r.judgedAt) });
  return out;
}
