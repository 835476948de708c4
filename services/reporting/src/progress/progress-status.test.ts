import { judgeProgress, ratePercent } from './progress-status';

/** Lạng Sơn's Learning Family targets: 70% in 2025, 80% in 2030. */
const family = new Map([
  [2025, 70],
  [2030, 80],
]);

describe('judging progress against targets', () => {
  it('a milestone year is achieved exactly at its target and behind just under it', () => {
    expect(judgeProgress(2025, 70, family)).toEqual({ status: 'ACHIEVED', target: 70, targetYear: 2025, expected: 70 });
    expect(judgeProgress(2025, 69.99, family).status).toBe('BEHIND');
  });

  it('a year between milestones is on track on the straight line to the next one, behind under it', () => {
    // 2027: two fifths of the way from 70 (2025) to 80 (2030)
    expect(judgeProgress(2027, 74, family)).toEqual({ status: 'ON_TRACK', target: 80, targetYear: 2030, expected: 74 });
    expect(judgeProgress(2027, 73.99, family).status).toBe('BEHIND');
    expect(judgeProgress(2027, 80, family).status).toBe('ACHIEVED');
  });

  it('before the first milestone the line starts from 0 in 2022', () => {
    expect(judgeProgress(2024, 46.67, family)).toMatchObject({ status: 'ON_TRACK', expected: 46.67 });
    expect(judgeProgress(2023, 20, family)).toMatchObject({ status: 'BEHIND', expected: 23.33 });
  });

  it('no target for the year or later, or nothing to count', () => {
    expect(judgeProgress(2031, 90, family)).toEqual({ status: 'NO_TARGET', target: null, targetYear: null, expected: null });
    expect(judgeProgress(2025, null, family)).toMatchObject({ status: 'NO_DATA', target: 70 });
  });

  it('rates are percentages with two decimals, none without a denominator', () => {
    expect(ratePercent(2, 3)).toBe(66.67);
    expect(ratePercent(0, 0)).toBeNull();
  });
});
