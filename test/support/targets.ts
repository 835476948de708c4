import { randomUUID } from 'node:crypto';
import { newEvent, type CloudEvent } from '@xhht/infra';

export const TARGETS_JUDGED = 'vn.xhht.reporting.targets.judged.v1';

/** The Learning Family line of a judgement: `numerator` of 4 households against the plan's 70 % target for `year`. */
export function learningFamilyIndicator(numerator: number, year = 2025) {
  const rate = (numerator * 100) / 4;
  const met = rate >= 70;
  return {
    indicator: 'LEARNING_FAMILY_RATE',
    numerator,
    denominator: 4,
    rate,
    target: 70,
    planTarget: 70,
    targetYear: year,
    status: met ? 'ACHIEVED' : 'BEHIND',
    met,
  };
}

/**
 * A judgement of a unit's year as reporting publishes it (targets.judged): `numerator` of 4
 * households Learning Families against a 70 % target, version `version`, judged and counted as of
 * the 15th of month `version` of the next year.
 */
export function targetsJudged(unitId: string, version: number, numerator: number, year = 2025): CloudEvent {
  const line = learningFamilyIndicator(numerator, year);
  const { met } = line;
  const at = new Date(Date.UTC(year + 1, version - 1, 15, 3));
  return newEvent(
    TARGETS_JUDGED,
    unitId,
    {
      unitId,
      year,
      outcome: met ? 'MET' : 'NOT_MET',
      met,
      indicators: [line],
      asOf: at.toISOString().slice(0, 10),
      judgedAt: at.toISOString(),
      version,
      trigger: { kind: 'ANNUAL_REPORT_ACCEPTED', requestId: randomUUID(), submissionId: randomUUID() },
    },
    at,
  );
}
