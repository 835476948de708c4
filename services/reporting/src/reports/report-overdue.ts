import type { EntityManager } from '@mikro-orm/postgresql';
import { EventCatalog, insertOutboxBatch, rawQuery, startPeriodic, todayInVietnam, type Logger, type MikroORM } from '@xhht/infra';
import { overdueEvent, reportFacts } from './report.events';
import type { ReporterRow, ReportRequestRow } from './report.repository';

/** Reporters marked per transaction; a larger backlog takes several. */
const CHUNK = 1000;

let catalog: EventCatalog | undefined;

interface OverdueRow
  extends ReporterRow, Pick<ReportRequestRow, 'kind' | 'year' | 'requestingUnitId' | 'requestingOrganizationId' | 'dueDate'> {
  submissionId: string | null;
}

/**
 * Marks every expected reporter with nothing submitted whose request's due date is before `today`
 * (Vietnam time) as overdue, and stages one report.overdue event for each, in the same
 * transaction. Exactly once, even with several instances sweeping together: a reporter row is
 * taken only while unmarked, under its row lock (`for update skip locked`: rows another sweeper or
 * a submission holds are left to them), and once it commits marked no sweep takes it again. A
 * submission locks the same row first, so a reporter is never found overdue while submitting.
 * Returns how many it marked.
 */
export async function sweepOverdueReports(em: EntityManager, today: string = todayInVietnam()): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await em.fork().transactional(async (tx) => {
      const rows = await rawQuery<OverdueRow[]>(
        tx as EntityManager,
        `select r.request_id as "requestId", r.reporter_id as "reporterId", r.reporter_kind as "reporterKind", r.level,
           r.unit_id as "unitId", r.overdue_at as "overdueAt", q.kind, q.year, q.requesting_unit_id as "requestingUnitId",
           q.requesting_organization_id as "requestingOrganizationId", to_char(q.due_date, 'YYYY-MM-DD') as "dueDate",
           s.id as "submissionId"
         from report_reporter r
         join report_request q on q.id = r.request_id
         left join report_submission s on s.request_id = r.request_id and s.reporter_id = r.reporter_id
         where q.due_date < ?::date and r.overdue_at is null and s.first_submitted_at is null
         order by q.due_date, r.request_id, r.reporter_id
         limit ? for update of r skip locked`,
        [today, CHUNK],
      );
      if (rows.length === 0) return 0;
      const marked = await rawQuery<{ request_id: string; reporter_id: string; overdue_at: Date | string }[]>(
        tx as EntityManager,
        `update report_reporter r set overdue_at = now()
         from unnest(?::uuid[], ?::uuid[]) as k(request_id, reporter_id)
         where r.request_id = k.request_id and r.reporter_id = k.reporter_id and r.overdue_at is null
         returning r.request_id, r.reporter_id, r.overdue_at`,
        [`{${rows.map((r) => r.requestId).join(',')}}`, `{${rows.map((r) => r.reporterId).join(',')}}`],
      );
      if (marked.length !== rows.length) throw new Error(`${rows.length} overdue reporters locked but ${marked.length} marked`);
      const events = rows.map((row) =>
        overdueEvent(reportFacts({ ...row, id: row.requestId }, row, 'MISSING'), {
          submissionId: row.submissionId,
          status: row.submissionId ? 'DRAFT' : 'NOT_STARTED',
          detectedAt: new Date(marked[0]!.overdue_at),
        }),
      );
      await insertOutboxBatch((catalog ??= new EventCatalog()), (sql, params) => rawQuery(tx as EntityManager, sql, params), events);
      return rows.length;
    });
    total += n;
    if (n < CHUNK) return total;
  }
}

/** Runs the sweep every `intervalMs` (and once at start) until stopped; failures are logged and retried next time. */
export const startOverdueSweeper = (orm: MikroORM, intervalMs: number, logger: Logger) =>
  startPeriodic(
    'report overdue sweep',
    intervalMs,
    async () => {
      const n = await sweepOverdueReports(orm.em.fork() as EntityManager);
      if (n > 0) logger.info({ overdue: n }, 'report reporters found overdue');
    },
    logger,
  );

/** REPORT_OVERDUE_SWEEP_MS: how often the sweep runs (default hourly; at least a second). */
export function overdueSweepMs(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.REPORT_OVERDUE_SWEEP_MS ?? 3_600_000);
  if (!Number.isInteger(ms) || ms < 1000) {
    throw new Error(`REPORT_OVERDUE_SWEEP_MS must be an integer ≥ 1000, got ${env.REPORT_OVERDUE_SWEEP_MS}`);
  }
  return ms;
}
