import type { EntityManager } from '@mikro-orm/postgresql';
import { measureCounts } from '../progress/progress-counts';
import { INDICATORS, type Indicator } from '../plans/indicators';

export interface IndicatorCount {
  unitId: string;
  indicator: Indicator;
  numerator: number;
  denominator: number;
}

/**
 * For each unit and each plan indicator, how many subjects in the unit and below it hold a valid
 * title for `year` (numerator) out of how many there are (denominator), on `asOf` (an ISO date);
 * what each counts is listed on `recomputeTallies`. Every unit asked for gets a row per indicator,
 * with zeros when empty.
 */
export async function indicatorCounts(
  em: EntityManager,
  unitIds: readonly string[],
  year: number,
  asOf: string,
): Promise<IndicatorCount[]> {
  const counts = await measureCounts(em, unitIds, [year], asOf);
  const key = (unitId: string, measure: string) => `${unitId}|${measure}`;
  const byKey = new Map(counts.map((c) => [key(c.unitId, c.measure), c]));
  return [...new Set(unitIds)].flatMap((unitId) =>
    INDICATORS.map((indicator) => {
      const c = byKey.get(key(unitId, indicator));
      return { unitId, indicator, numerator: c?.numerator ?? 0, denominator: c?.denominator ?? 0 };
    }),
  );
}
