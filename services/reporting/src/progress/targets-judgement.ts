import type { EntityManager } from '@mikro-orm/postgresql';
import { newEvent, rawQuery, todayInVietnam, type CloudEvent } from '@xhht/infra';
import type { Indicator } from '../plans/indicators';
import { unitProgress, type UnitProgress } from './progress';
import type { ProgressStatus } from './progress-status';

export const TARGETS_JUDGED = 'vn.xhht.reporting.targets.judged.v1';

/** MET: every indicator with a target met it; NOT_MET: at least one did not; NO_TARGETS: no plan set the unit a target for the year. */
export const TARGETS_OUTCOMES = ['MET', 'NOT_MET', 'NO_TARGETS'] as const;
export type TargetsOutcome = (typeof TARGETS_OUTCOMES)[number];

/** One indicator of the year judged against the figure the plans require of it that year. */
export interface JudgedIndicator {
  indicator: Indicator;
  numerator: number;
  denominator: number;
  /** Achieved, in %; null when there is nothing to count. */
  rate: number | null;
  /** The figure required this year (%): the year's own target, or the point on the way to the next milestone's. */
  target: number;
  /** The plan target it comes from and that target's year (the year itself, or the next milestone). */
  planTarget: number;
  targetYear: number;
  status: Exclude<ProgressStatus, 'NO_TARGET'>;
  met: boolean;
}

export interface TargetsJudgement {
  outcome: TargetsOutcome;
  indicators: JudgedIndicator[];
}

/**
 * The year's result of a unit against its targets, from its progress (progress.ts). An indicator
 * without a target is left out. One with a target is met when its status is ACHIEVED, or ON_TRACK in
 * a year between milestones (the year's target is then the straight line to the next milestone).
 * Nothing to count is not met: the unit cannot show the rate it was set.
 */
export function judgeTargets(progress: UnitProgress): TargetsJudgement {
  const indicators = progress.indicators.flatMap((i): JudgedIndicator[] =>
    i.status === 'NO_TARGET' || i.target === null || i.targetYear === null
      ? []
      : [
          {
            indicator: i.indicator,
            numerator: i.numerator,
            denominator: i.denominator,
            rate: i.rate,
            target: i.expected ?? i.target,
            planTarget: i.target,
            targetYear: i.targetYear,
            status: i.status,
            met: i.status === 'ACHIEVED' || i.status === 'ON_TRACK',
          },
        ],
  );
  const outcome: TargetsOutcome = indicators.length === 0 ? 'NO_TARGETS' : indicators.every((i) => i.met) ? 'MET' : 'NOT_MET';
  return { outcome, indicators };
}

/** What made reporting judge the year: the unit's annual report for it was accepted. */
export interface JudgementTrigger {
  requestId: string;
  submissionId: string;
}

/**
 * Judges a unit's year against its targets as of the day of `at` (in Vietnam) and records it as the
 * year's latest judgement, one version up; returns the targets.judged event (keyed by the unit).
 * Runs in the transaction of what triggered it, so the judgement and its event commit with it.
 */
export async function judgeUnitYear(
  em: EntityManager,
  unitId: string,
  year: number,
  trigger: JudgementTrigger,
  at: Date,
): Promise<CloudEvent> {
  const asOf = todayInVietnam(at);
  const [progress] = await unitProgress(em, [unitId], year, asOf);
  const { outcome, indicators } = judgeTargets(progress!);
  const [row] = await rawQuery<{ version: number }[]>(
    em,
    `insert into unit_targets_judgement as j (unit_id, year, version, outcome, indicators, as_of, judged_at, request_id, submission_id)
     values (?, ?, 1, ?, ?::jsonb, ?::date, ?, ?, ?)
     on conflict (unit_id, year) do update set version = j.version + 1, outcome = excluded.outcome, indicators = excluded.indicators,
       as_of = excluded.as_of, judged_at = excluded.judged_at, request_id = excluded.request_id, submission_id = excluded.submission_id
     returning version`,
    [unitId, year, outcome, JSON.stringify(indicators), asOf, at, trigger.requestId, trigger.submissionId],
  );
  return newEvent(
    TARGETS_JUDGED,
    unitId,
    {
      unitId,
      year,
      outcome,
      met: outcome === 'MET',
      indicators,
      asOf,
      judgedAt: at.toISOString(),
      version: row!.version,
      trigger: { kind: 'ANNUAL_REPORT_ACCEPTED', ...trigger },
    },
    at,
  );
}
