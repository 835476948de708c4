import { todayInVietnam } from '@xhht/infra';
import { ratePercent } from '../progress/progress-status';

export const REPORT_KINDS = ['ANNUAL_REPORT', 'YEARLY_PLAN'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_KIND_NAMES: Record<ReportKind, string> = {
  ANNUAL_REPORT: 'Báo cáo kết quả thực hiện phong trào năm',
  YEARLY_PLAN: 'Kế hoạch năm',
};

/** NOT_STARTED has no row: a reporter without a submission. */
export const SUBMISSION_STATUSES = ['NOT_STARTED', 'DRAFT', 'SUBMITTED', 'ACCEPTED', 'RETURNED'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
export const SUBMISSION_STATUS_NAMES: Record<SubmissionStatus, string> = {
  NOT_STARTED: 'Chưa thực hiện',
  DRAFT: 'Đang soạn',
  SUBMITTED: 'Đã gửi',
  ACCEPTED: 'Đã tiếp nhận',
  RETURNED: 'Bị trả lại',
};

export type Timeliness = 'ON_TIME' | 'LATE' | 'MISSING';
export const TIMELINESS_NAMES: Record<Timeliness, string> = {
  ON_TIME: 'Đúng hạn',
  LATE: 'Trễ hạn',
  MISSING: 'Không gửi báo cáo',
};

export const LEVEL_NAMES: Record<string, string> = {
  NATION: 'Trung ương',
  PROVINCE: 'Cấp tỉnh',
  DISTRICT: 'Cấp huyện',
  COMMUNE: 'Cấp xã',
  VILLAGE: 'Thôn, tổ dân phố',
  ORGANIZATION: 'Cơ quan, tổ chức',
};

/** The Vietnam calendar day of an instant: deadlines are Vietnamese dates, whatever the server's time zone. */
export const vietnamDay = (at: Date): string => todayInVietnam(at);

/**
 * Whether a reporter met the due date (a Vietnam calendar date, inclusive):
 * - nothing submitted yet: MISSING once the due date has passed, otherwise null (not due yet);
 * - first-submission rule: a first submission after the due date is LATE, whatever follows;
 * - a resubmission after a return that comes after the due date makes it LATE as well: the report
 *   was not in an acceptable state by the deadline;
 * - otherwise ON_TIME.
 */
export function timeliness(
  dueDate: string,
  firstSubmittedOn: string | null,
  lastSubmittedOn: string | null,
  today: string = todayInVietnam(),
): Timeliness | null {
  if (firstSubmittedOn === null) return today > dueDate ? 'MISSING' : null;
  if (firstSubmittedOn > dueDate) return 'LATE';
  if (lastSubmittedOn !== null && lastSubmittedOn > dueDate) return 'LATE';
  return 'ON_TIME';
}

export interface ReporterState {
  level: string;
  /** NOT_STARTED when the reporter has no submission. */
  status: SubmissionStatus;
  timeliness: Timeliness | null;
  /** Submitted at least once (a returned report, or one redrafted after a return, has been). */
  everSubmitted: boolean;
}

export interface LevelStatistics {
  level: string;
  expected: number;
  submitted: number;
  accepted: number;
  returned: number;
  onTime: number;
  late: number;
  missing: number;
  /** submitted ÷ expected, in %, 2 decimals */
  reportingRate: number | null;
  /** on time ÷ expected, in % (the reporting rate on time), 2 decimals */
  onTimeRate: number | null;
}

const LEVEL_ORDER = ['NATION', 'PROVINCE', 'DISTRICT', 'COMMUNE', 'VILLAGE', 'ORGANIZATION'];

/**
 * Reporting rate and timeliness per reporter level. `submitted` counts reporters that submitted at
 * least once (on time + late); `accepted` and `returned` are current statuses; `missing` counts
 * reporters with nothing submitted once the due date has passed. Levels in hierarchy order,
 * organizations last.
 */
export function levelStatistics(reporters: readonly ReporterState[]): LevelStatistics[] {
  const byLevel = new Map<string, LevelStatistics>();
  for (const r of reporters) {
    let s = byLevel.get(r.level);
    if (!s) {
      s = {
        level: r.level,
        expected: 0,
        submitted: 0,
        accepted: 0,
        returned: 0,
        onTime: 0,
        late: 0,
        missing: 0,
        reportingRate: null,
        onTimeRate: null,
      };
      byLevel.set(r.level, s);
    }
    s.expected += 1;
    if (r.everSubmitted) s.submitted += 1;
    if (r.status === 'ACCEPTED') s.accepted += 1;
    if (r.status === 'RETURNED') s.returned += 1;
    if (r.timeliness === 'ON_TIME') s.onTime += 1;
    if (r.timeliness === 'LATE') s.late += 1;
    if (r.timeliness === 'MISSING') s.missing += 1;
  }
  const rank = (level: string) => (LEVEL_ORDER.includes(level) ? LEVEL_ORDER.indexOf(level) : LEVEL_ORDER.length);
  return [...byLevel.values()]
    .map((s) => ({ ...s, reportingRate: ratePercent(s.submitted, s.expected), onTimeRate: ratePercent(s.onTime, s.expected) }))
    .sort((a, b) => rank(a.level) - rank(b.level) || a.level.localeCompare(b.level));
}
