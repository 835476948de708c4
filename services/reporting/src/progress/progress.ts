import type { EntityManager } from '@mikro-orm/postgresql';
import { OCCUPATIONAL_GROUPS, RESULT_LEVELS, type OccupationalGroup, type ResultLevel } from '@xhht/infra';
import type { EffectiveTarget } from '../plans/effective-targets';
import { INDICATORS, type Indicator } from '../plans/indicators';
import { effectiveTargetsFor } from '../plans/plan.repository';
import { measureCounts, type MeasureCount } from './progress-counts';
import { judgeProgress, ratePercent, type ProgressStatus } from './progress-status';
import { MOVEMENT_YEARS } from './progress-tally';

export interface ProgressPoint {
  year: number;
  numerator: number;
  denominator: number;
  rate: number | null;
  target: number | null;
  status: ProgressStatus;
}

export interface IndicatorProgress extends ProgressPoint {
  indicator: Indicator;
  targetYear: number | null;
  expected: number | null;
  /** The plan target the status is judged against (the year's own, or the next milestone's). */
  targetSource: (EffectiveTarget & { year: number }) | null;
  /** The movement's years up to this one, each judged against its own year's targets. */
  series: ProgressPoint[];
}

export interface GroupProgress {
  occupationalGroup: OccupationalGroup;
  numerator: number;
  denominator: number;
  rate: number | null;
}

export interface CommuneCommunityProgress {
  communes: number;
  recognised: number;
  rate: number | null;
  /** Communes by the highest level of their Learning Community title at commune level. */
  levels: { level: ResultLevel; communes: number }[];
}

export interface UnitProgress {
  unitId: string;
  year: number;
  asOf: string;
  indicators: IndicatorProgress[];
  occupationalGroups: GroupProgress[];
  communeCommunity: CommuneCommunityProgress;
}

/** The years a unit's series covers for `year`: the movement's, from 2023 (or `year` itself when earlier). */
export const seriesYears = (year: number): number[] => {
  const first = Math.min(MOVEMENT_YEARS.first, year);
  return Array.from({ length: year - first + 1 }, (_, i) => first + i);
};

/**
 * Progress of each unit in `year` as of `asOf`: per plan indicator its figures, target and status,
 * and its series over the years; the Learning Citizen rate per occupational group; the communes'
 * Learning Community levels. Three statements whatever the number of units: the counts
 * (measureCounts), and the targets (each unit's ancestors, then the plans and targets).
 */
export async function unitProgress(em: EntityManager, unitIds: readonly string[], year: number, asOf: string): Promise<UnitProgress[]> {
  const units = [...new Set(unitIds)];
  if (units.length === 0) return [];
  const years = seriesYears(year);
  // targets up to the movement's last milestone, so a year between milestones finds the next one
  const targetYears = Array.from({ length: Math.max(year, MOVEMENT_YEARS.last) - years[0]! + 1 }, (_, i) => years[0]! + i);
  const [counts, targets] = await Promise.all([measureCounts(em, units, years, asOf), effectiveTargetsFor(em, units, targetYears, asOf)]);
  // counts by unit, then "year|measure": a nation-wide answer reads some thousands of them
  const byUnit = new Map<string, Map<string, MeasureCount>>();
  for (const c of counts) {
    let unit = byUnit.get(c.unitId);
    if (!unit) byUnit.set(c.unitId, (unit = new Map()));
    unit.set(`${c.year}|${c.measure}`, c);
  }

  return unitIds.map((unitId) => {
    const unitCounts = byUnit.get(unitId);
    const count = (y: number, measure: string) => {
      const c = unitCounts?.get(`${y}|${measure}`);
      return { numerator: c?.numerator ?? 0, denominator: c?.denominator ?? 0 };
    };
    const targetRows = new Map<Indicator, Map<number, EffectiveTarget & { year: number }>>();
    for (const y of targetYears) {
      for (const t of targets.get(`${unitId}|${y}`) ?? []) {
        if (!targetRows.has(t.indicator)) targetRows.set(t.indicator, new Map());
        targetRows.get(t.indicator)!.set(y, { ...t, year: y });
      }
    }
    const indicators = INDICATORS.map((indicator): IndicatorProgress => {
      const rows = targetRows.get(indicator) ?? new Map<number, EffectiveTarget & { year: number }>();
      const percentages = new Map([...rows].map(([y, t]) => [y, t.percentage]));
      // each year judged once; `year` is the series' last
      const judged = years.map((y) => {
        const c = count(y, indicator);
        const rate = ratePercent(c.numerator, c.denominator);
        return { year: y, ...c, rate, ...judgeProgress(y, rate, percentages) };
      });
      const now = judged[judged.length - 1]!;
      return {
        ...now,
        indicator,
        targetSource: now.targetYear === null ? null : (rows.get(now.targetYear) ?? null),
        series: judged.map((p) => ({
          year: p.year,
          numerator: p.numerator,
          denominator: p.denominator,
          rate: p.rate,
          target: p.target,
          status: p.status,
        })),
      };
    });
    const occupationalGroups = OCCUPATIONAL_GROUPS.map((group) => {
      const c = count(year, `CITIZEN_GROUP:${group}`);
      return { occupationalGroup: group, ...c, rate: ratePercent(c.numerator, c.denominator) };
    });
    const communes = count(year, 'COMMUNE_COMMUNITY');
    return {
      unitId,
      year,
      asOf,
      indicators,
      occupationalGroups,
      communeCommunity: {
        communes: communes.denominator,
        recognised: communes.numerator,
        rate: ratePercent(communes.numerator, communes.denominator),
        levels: RESULT_LEVELS.map((level) => ({ level, communes: count(year, `COMMUNE_COMMUNITY:${level}`).numerator })),
      },
    };
  });
}
