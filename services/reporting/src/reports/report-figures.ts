import type { EntityManager } from '@mikro-orm/postgresql';
import { effectiveTargets } from '../plans/plan.repository';
import { INDICATOR_NAMES, type Indicator } from '../plans/indicators';
import { indicatorCounts } from '../read-models/indicator-counts';
import { percent } from './report-stats';

/** One figure a report is pre-filled with: an indicator's count for the reporter's unit, and its target. */
export interface ReportFigure {
  indicator: string;
  name: string;
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator in %, 2 decimals; null when the denominator is 0 */
  rate: number | null;
  /** the effective target for the unit and year (%), null when no plan sets one */
  target: number | null;
}

/**
 * The figures a report on `unitId` for `year` is pre-filled with, as the read models hold them on
 * `asOf` (an ISO date). Every submission reads its figures here and nowhere else, so a fuller
 * progress computation can take over by changing this body alone.
 */
export async function reportFigures(em: EntityManager, unitId: string, year: number, asOf: string): Promise<ReportFigure[]> {
  // one after the other: inside a transaction both run on its one connection
  const counts = await indicatorCounts(em, [unitId], year, asOf);
  const targets = await effectiveTargets(em, unitId, year);
  const targetOf = new Map(targets.map((t) => [t.indicator, t.percentage]));
  return counts.map((c) => ({
    indicator: c.indicator,
    name: INDICATOR_NAMES[c.indicator as Indicator],
    numerator: c.numerator,
    denominator: c.denominator,
    rate: percent(c.numerator, c.denominator),
    target: targetOf.get(c.indicator) ?? null,
  }));
}
