import { overdueSweepMs } from './report-overdue';
import { ratePercent as percent } from '../progress/progress-status';
import { levelStatistics, timeliness, vietnamDay, type ReporterState } from './report-stats';

describe('timeliness', () => {
  const due = '2026-11-15';

  it('is unknown before the due date while nothing is submitted, MISSING after it', () => {
    expect(timeliness(due, null, null, '2026-11-14')).toBeNull();
    expect(timeliness(due, null, null, '2026-11-15')).toBeNull();
    expect(timeliness(due, null, null, '2026-11-16')).toBe('MISSING');
  });

  it('counts the due date itself as on time', () => {
    expect(timeliness(due, '2026-11-15', '2026-11-15', '2026-12-01')).toBe('ON_TIME');
    expect(timeliness(due, '2026-11-01', '2026-11-01', '2026-11-02')).toBe('ON_TIME');
  });

  it('keeps a late first submission late, even after an on-time-looking history', () => {
    expect(timeliness(due, '2026-11-16', '2026-11-16', '2026-11-16')).toBe('LATE');
    expect(timeliness(due, '2026-11-16', '2026-11-20', '2026-12-01')).toBe('LATE');
  });

  it('marks a resubmission after the due date late', () => {
    expect(timeliness(due, '2026-11-10', '2026-11-14', '2026-12-01')).toBe('ON_TIME');
    expect(timeliness(due, '2026-11-10', '2026-11-18', '2026-12-01')).toBe('LATE');
  });

  it('reads instants as Vietnam days', () => {
    // 17:30 UTC on the 15th is 00:30 on the 16th in Vietnam: past a due date of the 15th
    expect(vietnamDay(new Date('2026-11-15T17:30:00Z'))).toBe('2026-11-16');
    expect(vietnamDay(new Date('2026-11-15T16:59:59Z'))).toBe('2026-11-15');
  });
});

describe('levelStatistics', () => {
  it('counts each level separately, with rates over the expected reporters', () => {
    const commune = (r: Partial<ReporterState>): ReporterState => ({
      level: 'COMMUNE',
      status: 'NOT_STARTED',
      timeliness: null,
      everSubmitted: false,
      ...r,
    });
    const stats = levelStatistics([
      commune({ status: 'ACCEPTED', timeliness: 'ON_TIME', everSubmitted: true }),
      commune({ status: 'SUBMITTED', timeliness: 'LATE', everSubmitted: true }),
      commune({ status: 'RETURNED', timeliness: 'ON_TIME', everSubmitted: true }),
      commune({ status: 'DRAFT', timeliness: 'MISSING' }),
      commune({ status: 'NOT_STARTED', timeliness: 'MISSING' }),
      commune({ status: 'NOT_STARTED', timeliness: 'MISSING' }),
      { level: 'ORGANIZATION', status: 'SUBMITTED', timeliness: 'ON_TIME', everSubmitted: true },
      { level: 'PROVINCE', status: 'DRAFT', timeliness: null, everSubmitted: false },
    ]);
    expect(stats).toEqual([
      {
        level: 'PROVINCE',
        expected: 1,
        submitted: 0,
        accepted: 0,
        returned: 0,
        onTime: 0,
        late: 0,
        missing: 0,
        reportingRate: 0,
        onTimeRate: 0,
      },
      {
        level: 'COMMUNE',
        expected: 6,
        submitted: 3,
        accepted: 1,
        returned: 1,
        onTime: 2,
        late: 1,
        missing: 3,
        reportingRate: 50,
        onTimeRate: 33.33,
      },
      {
        level: 'ORGANIZATION',
        expected: 1,
        submitted: 1,
        accepted: 0,
        returned: 0,
        onTime: 1,
        late: 0,
        missing: 0,
        reportingRate: 100,
        onTimeRate: 100,
      },
    ]);
  });

  it('has no rows without reporters, and percentages round to 2 decimals', () => {
    expect(levelStatistics([])).toEqual([]);
    expect(percent(2, 3)).toBe(66.67);
    expect(percent(0, 0)).toBeNull();
  });
});

describe('overdueSweepMs', () => {
  it('defaults to hourly and refuses less than a second or a non-number', () => {
    expect(overdueSweepMs({})).toBe(3_600_000);
    expect(overdueSweepMs({ REPORT_OVERDUE_SWEEP_MS: '60000' })).toBe(60_000);
    expect(() => overdueSweepMs({ REPORT_OVERDUE_SWEEP_MS: '10' })).toThrow(/REPORT_OVERDUE_SWEEP_MS/);
    expect(() => overdueSweepMs({ REPORT_OVERDUE_SWEEP_MS: 'soon' })).toThrow(/REPORT_OVERDUE_SWEEP_MS/);
  });
});
