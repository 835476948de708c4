/** Where a rate stands against its targets (domain.md §3: achieved / on track / behind). */
export const PROGRESS_STATUSES = ['ACHIEVED', 'ON_TRACK', 'BEHIND', 'NO_TARGET', 'NO_DATA'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];
export const PROGRESS_STATUS_NAMES: Record<ProgressStatus, string> = {
  ACHIEVED: 'Đạt chỉ tiêu',
  ON_TRACK: 'Đúng tiến độ',
  BEHIND: 'Chậm tiến độ',
  NO_TARGET: 'Chưa giao chỉ tiêu',
  NO_DATA: 'Chưa có số liệu',
};

/** The year before the movement began (Decision 387, 2023–2030): the trajectory to a first milestone starts from 0 here. */
export const BASELINE_YEAR = 2022;

export interface StatusJudgement {
  status: ProgressStatus;
  /** The year's own target, or when it has none the next milestone's. */
  target: number | null;
  targetYear: number | null;
  /** Where the rate should be in `year`: the own target, or the point on the straight line to the next milestone. */
  expected: number | null;
}

/**
 * Judges a rate (a percentage, null when nothing is counted) for `year` against the targets set for
 * each year (`targets`: year → percentage, e.g. 2025 → 70 and 2030 → 80).
 *
 * - A year with its own target: ACHIEVED when the rate reaches it, BEHIND otherwise.
 * - A year between milestones: ACHIEVED when the rate already reaches the next milestone's target;
 *   ON_TRACK when it reaches the straight line from the previous milestone's target (or 0 in 2022)
 *   to the next one; BEHIND below it.
 * - NO_TARGET when neither the year nor a later one has a target; NO_DATA when there is a target but
 *   nothing to count.
 */
export function judgeProgress(year: number, rate: number | null, targets: ReadonlyMap<number, number>): StatusJudgement {
  const own = targets.get(year);
  const later = [...targets.keys()].filter((y) => y > year).sort((a, b) => a - b)[0];
  if (own === undefined && later === undefined) return { status: 'NO_TARGET', target: null, targetYear: null, expected: null };
  const targetYear = own !== undefined ? year : later!;
  const target = targets.get(targetYear)!;
  let expected = target;
  if (own === undefined) {
    const earlier = [...targets.keys()].filter((y) => y < year).sort((a, b) => b - a)[0];
    const fromYear = earlier ?? BASELINE_YEAR;
    const fromRate = earlier === undefined ? 0 : targets.get(earlier)!;
    expected = round2(fromRate + ((target - fromRate) * (year - fromYear)) / (targetYear - fromYear));
  }
  if (rate === null) return { status: 'NO_DATA', target, targetYear, expected };
  const status: ProgressStatus = rate >= target ? 'ACHIEVED' : own === undefined && rate >= expected ? 'ON_TRACK' : 'BEHIND';
  return { status, target, targetYear, expected };
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

/** numerator ÷ denominator as a percentage with 2 decimals; null when there is nothing to count. */
export const ratePercent = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : round2((numerator * 100) / denominator);
