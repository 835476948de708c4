import type { EntityManager } from '@mikro-orm/postgresql';
import { INDICATOR_NAMES } from '../plans/indicators';
import { unitProgress } from '../progress/progress';
import type { ProgressStatus } from '../progress/progress-status';

/** One figure a report is pre-filled with: an indicator's count for the reporter's unit, its target and status. */
export interface ReportFigure {
  indicator: string;
  name: string;
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator in %, 2 decimals; null when the denominator is 0 */
  rate: number | null;
  /** the year's target (%), or the next milestone's when the year has none; null when no plan sets one */
  target: number | null;
  status: ProgressStatus;
}

/**
 * The figures a report on `unitId` for `year` is pre-filled with: the unit's progress (progress.ts)
 * as of `asOf` (an ISO date). Every submission reads its figures here and nowhere else.
 */
export async function reportFigures(em: EntityManager, unitId: string, year: number, asOf: string): Promise<ReportFigure[]> {
  const [progress] = await unitProgress(em, [unitId], year, asOf);
  return progress!.indicators.map((i) => ({
    indicator: i.indicator,
    name: INDICATOR_NAMES[i.indicator],
    numerator: i.numerator,
    denominator: i.denominator,
    rate: i.rate,
    target: i.target,
    status: i.status,
  }));
}
