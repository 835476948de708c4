import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { connection, pageWindow, rawQuery, todayInVietnam, uuidArray, type Connection, type PageArgs } from '@xhht/infra';
import type { ReportFigure } from './report-figures';
import { timeliness, vietnamDay, type ReportKind, type ReporterState, type SubmissionStatus, type Timeliness } from './report-stats';

export interface ReportSection {
  code: string;
  title: string;
}

export interface SectionText {
  code: string;
  text: string;
}

export type ReporterKind = 'UNIT' | 'ORGANIZATION';

export interface ReportRequestRow {
  id: string;
  kind: ReportKind;
  year: number;
  title: string;
  periodStart: string;
  periodEnd: string;
  requestingUnitId: string;
  requestingOrganizationId: string | null;
  /** The Study Promotion Association's own request: its officers create and review it. */
  association: boolean;
  dueDate: string;
  sections: ReportSection[];
  createdAt: Date;
  createdBy: string;
}

export interface ReporterRow {
  requestId: string;
  reporterId: string;
  reporterKind: ReporterKind;
  /** The unit kind on the day of the request (COMMUNE, …), or ORGANIZATION. */
  level: string;
  /** The unit whose figures the report carries and whose officers draft it: the unit itself, or the organization's. */
  unitId: string;
  overdueAt: Date | null;
}

export type StoredStatus = Exclude<SubmissionStatus, 'NOT_STARTED'>;

export interface SubmissionRow {
  id: string;
  requestId: string;
  reporterId: string;
  status: StoredStatus;
  version: number;
  sections: SectionText[];
  figures: ReportFigure[];
  figuresAsOf: string;
  firstSubmittedAt: Date | null;
  submittedAt: Date | null;
  returnReason: string | null;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

export interface TransitionRow {
  submissionId: string;
  fromStatus: StoredStatus | null;
  toStatus: StoredStatus;
  reason: string | null;
  at: Date;
  by: string;
}

/** Timestamps come back as Date or as text depending on the connection's type parsers: always a Date here. */
const toDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));
const requestOf = (r: ReportRequestRow): ReportRequestRow => ({ ...r, createdAt: toDate(r.createdAt)! });
const submissionOf = (r: SubmissionRow): SubmissionRow => ({
  ...r,
  firstSubmittedAt: toDate(r.firstSubmittedAt),
  submittedAt: toDate(r.submittedAt),
  createdAt: toDate(r.createdAt)!,
  updatedAt: toDate(r.updatedAt)!,
});
const reporterOf = <T extends ReporterRow>(r: T): T => ({ ...r, overdueAt: toDate(r.overdueAt) });

const REQUEST_COLUMNS = `q.id, q.kind, q.year, q.title, to_char(q.period_start, 'YYYY-MM-DD') as "periodStart",
  to_char(q.period_end, 'YYYY-MM-DD') as "periodEnd", q.requesting_unit_id as "requestingUnitId",
  q.requesting_organization_id as "requestingOrganizationId", q.association, to_char(q.due_date, 'YYYY-MM-DD') as "dueDate",
  q.sections, q.created_at as "createdAt", q.created_by as "createdBy"`;

const SUBMISSION_COLUMNS = `s.id, s.request_id as "requestId", s.reporter_id as "reporterId", s.status, s.version, s.sections, s.figures,
  to_char(s.figures_as_of, 'YYYY-MM-DD') as "figuresAsOf", s.first_submitted_at as "firstSubmittedAt", s.submitted_at as "submittedAt",
  s.return_reason as "returnReason", s.created_at as "createdAt", s.created_by as "createdBy", s.updated_at as "updatedAt",
  s.updated_by as "updatedBy"`;

const REPORTER_COLUMNS = `r.request_id as "requestId", r.reporter_id as "reporterId", r.reporter_kind as "reporterKind", r.level,
  r.unit_id as "unitId", r.overdue_at as "overdueAt"`;

export async function loadRequests(em: EntityManager, ids: readonly string[]): Promise<Map<string, ReportRequestRow>> {
  if (ids.length === 0) return new Map();
  const rows = await rawQuery<ReportRequestRow[]>(em, `select ${REQUEST_COLUMNS} from report_request q where q.id = any(?::uuid[])`, [
    uuidArray(ids),
  ]);
  return new Map(rows.map((r) => [r.id, requestOf(r)]));
}

/** Submissions by id; `lock` takes their row locks for the caller's transaction. */
export async function loadSubmissions(em: EntityManager, ids: readonly string[], lock = false): Promise<Map<string, SubmissionRow>> {
  if (ids.length === 0) return new Map();
  const rows = await rawQuery<SubmissionRow[]>(
    em,
    `select ${SUBMISSION_COLUMNS} from report_submission s where s.id = any(?::uuid[])${lock ? ' for update' : ''}`,
    [uuidArray(ids)],
  );
  return new Map(rows.map((r) => [r.id, submissionOf(r)]));
}

/** The reporter's submission to a request, locked for the caller's transaction. */
export async function lockSubmissionOf(em: EntityManager, requestId: string, reporterId: string): Promise<SubmissionRow | null> {
  const rows = await rawQuery<SubmissionRow[]>(
    em,
    `select ${SUBMISSION_COLUMNS} from report_submission s where s.request_id = ? and s.reporter_id = ? for update`,
    [requestId, reporterId],
  );
  return rows[0] ? submissionOf(rows[0]) : null;
}

/**
 * One expected reporter of a request; `lock` takes its row lock, which the overdue sweep skips, so
 * a submission and the sweep never both decide about the same reporter at once.
 */
export async function loadReporter(em: EntityManager, requestId: string, reporterId: string, lock = false): Promise<ReporterRow | null> {
  const rows = await rawQuery<ReporterRow[]>(
    em,
    `select ${REPORTER_COLUMNS} from report_reporter r where r.request_id = ? and r.reporter_id = ?${lock ? ' for update' : ''}`,
    [requestId, reporterId],
  );
  return rows[0] ? reporterOf(rows[0]) : null;
}

export const requestByIdLoader = (em: EntityManager) =>
  new DataLoader<string, ReportRequestRow | null>(async (ids) => {
    const byId = await loadRequests(em, ids);
    return ids.map((id) => byId.get(id) ?? null);
  });

export const submissionByIdLoader = (em: EntityManager) =>
  new DataLoader<string, SubmissionRow | null>(async (ids) => {
    const byId = await loadSubmissions(em, ids);
    return ids.map((id) => byId.get(id) ?? null);
  });

/** Reporter rows keyed `${requestId}|${reporterId}`, one statement per batch. */
export const reporterLoader = (em: EntityManager) =>
  new DataLoader<string, ReporterRow | null>(async (keys) => {
    const pairs = keys.map((k) => k.split('|') as [string, string]);
    const rows = await rawQuery<ReporterRow[]>(
      em,
      `select ${REPORTER_COLUMNS} from report_reporter r
       join unnest(?::uuid[], ?::uuid[]) as k(request_id, reporter_id) on k.request_id = r.request_id and k.reporter_id = r.reporter_id`,
      [`{${pairs.map((p) => p[0]).join(',')}}`, `{${pairs.map((p) => p[1]).join(',')}}`],
    );
    const byKey = new Map(rows.map((r) => [`${r.requestId}|${r.reporterId}`, reporterOf(r)]));
    return keys.map((k) => byKey.get(k) ?? null);
  });

export const transitionsBySubmissionLoader = (em: EntityManager) =>
  new DataLoader<string, TransitionRow[]>(async (ids) => {
    const rows = await rawQuery<TransitionRow[]>(
      em,
      `select submission_id as "submissionId", from_status as "fromStatus", to_status as "toStatus", reason, at, by
       from report_submission_transition where submission_id = any(?::uuid[]) order by at, id`,
      [uuidArray(ids)],
    );
    return ids.map((id) => rows.filter((r) => r.submissionId === id).map((r) => ({ ...r, at: toDate(r.at)! })));
  });

/** A reporter of a request with its submission (if any): one row of the reporters list. */
export interface ReporterView extends ReporterRow {
  submissionId: string | null;
  status: SubmissionStatus;
  timeliness: Timeliness | null;
  dueDate: string;
}

interface ReporterStateRow extends ReporterRow {
  submissionId: string | null;
  status: StoredStatus | null;
  firstSubmittedAt: Date | null;
  submittedAt: Date | null;
  dueDate: string;
}

const STATE_SELECT = `select ${REPORTER_COLUMNS}, s.id as "submissionId", s.status, s.first_submitted_at as "firstSubmittedAt",
  s.submitted_at as "submittedAt", to_char(q.due_date, 'YYYY-MM-DD') as "dueDate"
  from report_reporter r
  join report_request q on q.id = r.request_id
  left join report_submission s on s.request_id = r.request_id and s.reporter_id = r.reporter_id`;

function view(raw: ReporterStateRow, today: string): ReporterView {
  const r = {
    ...reporterOf(raw),
    firstSubmittedAt: toDate(raw.firstSubmittedAt),
    submittedAt: toDate(raw.submittedAt),
  };
  return {
    requestId: r.requestId,
    reporterId: r.reporterId,
    reporterKind: r.reporterKind,
    level: r.level,
    unitId: r.unitId,
    overdueAt: r.overdueAt,
    submissionId: r.submissionId,
    status: r.status ?? 'NOT_STARTED',
    timeliness: submissionTimeliness(r.dueDate, r, today),
    dueDate: r.dueDate,
  };
}

/** A submission's (or a reporter's without one) timeliness today. */
export const submissionTimeliness = (
  dueDate: string,
  s: { firstSubmittedAt: Date | null; submittedAt: Date | null } | null,
  today = todayInVietnam(),
): Timeliness | null =>
  timeliness(
    dueDate,
    s?.firstSubmittedAt ? vietnamDay(s.firstSubmittedAt) : null,
    s?.submittedAt ? vietnamDay(s.submittedAt) : null,
    today,
  );

export interface ReporterListArgs extends PageArgs {
  level?: string | null;
  status?: SubmissionStatus | null;
}

/** A request's reporters with their status, by level then id, filtered and paged in SQL. */
export async function listReporters(em: EntityManager, requestId: string, args: ReporterListArgs): Promise<Connection<ReporterView>> {
  const { limit, offset } = pageWindow(args);
  const filters: string[] = ['r.request_id = ?'];
  const params: unknown[] = [requestId];
  if (args.level) {
    filters.push('r.level = ?');
    params.push(args.level);
  }
  if (args.status) {
    filters.push(args.status === 'NOT_STARTED' ? 's.id is null' : 's.status = ?');
    if (args.status !== 'NOT_STARTED') params.push(args.status);
  }
  const rows = await rawQuery<(ReporterStateRow & { total: number })[]>(
    em,
    `${STATE_SELECT.replace('select ', 'select count(*) over()::int as total, ')} where ${filters.join(' and ')}
     order by r.level, r.reporter_id limit ? offset ?`,
    [...params, limit, offset],
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && offset > 0) {
    total =
      (
        await rawQuery<{ n: number }[]>(
          em,
          `select count(*)::int as n from report_reporter r
           left join report_submission s on s.request_id = r.request_id and s.reporter_id = r.reporter_id where ${filters.join(' and ')}`,
          params,
        )
      )[0]?.n ?? 0;
  }
  const today = todayInVietnam();
  return connection(
    rows.map((r) => view(r, today)),
    total,
    offset,
  );
}

/** Every reporter's state, per request, for the statistics; one statement per batch of requests. */
export const reporterStatesLoader = (em: EntityManager) =>
  new DataLoader<string, ReporterState[]>(async (ids) => {
    const rows = await rawQuery<ReporterStateRow[]>(em, `${STATE_SELECT} where r.request_id = any(?::uuid[])`, [uuidArray(ids)]);
    const today = todayInVietnam();
    const out = new Map<string, ReporterState[]>(ids.map((id) => [id, []]));
    for (const r of rows) {
      const v = view(r, today);
      out
        .get(r.requestId)!
        .push({ level: v.level, status: v.status, timeliness: v.timeliness, everSubmitted: r.firstSubmittedAt !== null });
    }
    return ids.map((id) => out.get(id)!);
  });

export const reporterCountLoader = (em: EntityManager) =>
  new DataLoader<string, number>(async (ids) => {
    const rows = await rawQuery<{ id: string; n: number }[]>(
      em,
      'select request_id as id, count(*)::int as n from report_reporter where request_id = any(?::uuid[]) group by request_id',
      [uuidArray(ids)],
    );
    const byId = new Map(rows.map((r) => [r.id, r.n]));
    return ids.map((id) => byId.get(id) ?? 0);
  });

/** Submissions of reports on a unit (as the unit, or by its organizations) for requests of a year; keyed `${unitId}|${year}`. */
export const submissionsByUnitYearLoader = (em: EntityManager) =>
  new DataLoader<string, SubmissionRow[]>(async (keys) => {
    const pairs = keys.map((k) => k.split('|') as [string, string]);
    const rows = await rawQuery<(SubmissionRow & { key: string })[]>(
      em,
      `select ${SUBMISSION_COLUMNS}, k.unit_id || '|' || k.year as key
       from unnest(?::uuid[], ?::int[]) as k(unit_id, year)
       join report_reporter r on r.unit_id = k.unit_id
       join report_request q on q.id = r.request_id and q.year = k.year
       join report_submission s on s.request_id = r.request_id and s.reporter_id = r.reporter_id
       order by q.due_date, s.created_at, s.id`,
      [`{${pairs.map((p) => p[0]).join(',')}}`, `{${pairs.map((p) => p[1]).join(',')}}`],
    );
    return keys.map((k) => rows.filter((r) => r.key === k).map(({ key: _, ...r }) => submissionOf(r)));
  });

export interface RequestListArgs extends PageArgs {
  unitId?: string | null;
  year?: number | null;
}

/** Requests made by a unit (every request without one), for a year when given; newest due date first. */
export async function listRequests(em: EntityManager, args: RequestListArgs): Promise<Connection<ReportRequestRow>> {
  const { limit, offset } = pageWindow(args);
  const filters: string[] = [];
  const params: unknown[] = [];
  if (args.unitId) {
    filters.push('q.requesting_unit_id = ?');
    params.push(args.unitId);
  }
  if (args.year != null) {
    filters.push('q.year = ?');
    params.push(args.year);
  }
  const where = filters.length ? `where ${filters.join(' and ')}` : '';
  const rows = await rawQuery<(ReportRequestRow & { total: number })[]>(
    em,
    `select ${REQUEST_COLUMNS}, count(*) over()::int as total from report_request q ${where}
     order by q.due_date desc, q.created_at desc, q.id limit ? offset ?`,
    [...params, limit, offset],
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && offset > 0) {
    total = (await rawQuery<{ n: number }[]>(em, `select count(*)::int as n from report_request q ${where}`, params))[0]?.n ?? 0;
  }
  return connection(
    rows.map(({ total: _, ...r }) => requestOf(r)),
    total,
    offset,
  );
}
