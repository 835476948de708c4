import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createLogger, initORM, rawQuery, type MikroORM } from '@xhht/infra';
import { stack } from '../../../../test/support/stack';
import { migrations } from '../migrations';
import { REPORT_OVERDUE } from './report.events';
import { sweepOverdueReports } from './report-overdue';

/** The overdue sweep on the test stack's real PostgreSQL, with several sweeps racing as several instances would. */
describe('report overdue sweep', () => {
  let orm: MikroORM;
  const fork = () => orm.em.fork() as unknown as EntityManager;

  beforeAll(async () => {
    const url = new URL(stack().databaseUrls.reporting);
    url.pathname = '/xhht_test_reporting_reports';
    orm = await initORM({ databaseUrl: url.toString(), entities: [], migrations, logger: createLogger('reports-test', 'silent') });
  });
  afterAll(() => orm?.close(true));

  /** A request due on `dueDate` to `n` communes, with nothing drafted. */
  async function request(dueDate: string, n: number): Promise<{ id: string; reporters: string[] }> {
    const id = randomUUID();
    const reporters = Array.from({ length: n }, () => randomUUID());
    await rawQuery(
      fork(),
      `insert into report_request (id, kind, year, title, period_start, period_end, requesting_unit_id, due_date, sections, created_at, created_by)
       values (?, 'ANNUAL_REPORT', 2026, 'Báo cáo năm 2026', '2026-01-01', '2026-12-31', ?, ?::date, '[]', now(), 'test')`,
      [id, randomUUID(), dueDate],
    );
    await rawQuery(
      fork(),
      `insert into report_reporter (request_id, reporter_id, reporter_kind, level, unit_id)
       select ?, r, 'UNIT', 'COMMUNE', r from unnest(?::uuid[]) as r`,
      [id, `{${reporters.join(',')}}`],
    );
    return { id, reporters };
  }

  async function submission(requestId: string, reporterId: string, status: string, submitted: boolean): Promise<string> {
    const id = randomUUID();
    await rawQuery(
      fork(),
      `insert into report_submission (id, request_id, reporter_id, status, version, sections, figures, figures_as_of,
         first_submitted_at, submitted_at, created_at, created_by, updated_at, updated_by)
       values (?, ?, ?, ?, 1, '[]', '[]', '2026-11-10', ?, ?, now(), 'test', now(), 'test')`,
      [id, requestId, reporterId, status, submitted ? new Date() : null, submitted ? new Date() : null],
    );
    return id;
  }

  /** The overdue events staged in the outbox for a request: reporter → [status, submissionId]. */
  async function staged(requestId: string): Promise<[string, string, string | null][]> {
    const rows = await rawQuery<{ data: { reporterId: string; status: string; submissionId: string | null } }[]>(
      fork(),
      `select payload->'data' as data from outbox where event_type = ? and payload->'data'->>'requestId' = ?`,
      [REPORT_OVERDUE, requestId],
    );
    return rows.map((r) => [r.data.reporterId, r.data.status, r.data.submissionId]);
  }

  it('marks each reporter with nothing submitted once, whatever the number of sweeps racing', async () => {
    const { id, reporters } = await request('2026-11-15', 2500);
    const [submitted, returned, drafted] = reporters as [string, string, string];
    await submission(id, submitted, 'SUBMITTED', true);
    await submission(id, returned, 'RETURNED', true);
    const draftId = await submission(id, drafted, 'DRAFT', false);

    await Promise.all([1, 2, 3, 4].map(() => sweepOverdueReports(fork(), '2026-11-16')));
    const events = await staged(id);
    expect(events).toHaveLength(2498);
    expect(new Set(events.map((e) => e[0])).size).toBe(2498);
    expect(events.some((e) => e[0] === submitted || e[0] === returned)).toBe(false);
    expect(events.find((e) => e[0] === drafted)).toEqual([drafted, 'DRAFT', draftId]);
    expect(events.filter((e) => e[1] === 'NOT_STARTED')).toHaveLength(2497);

    await sweepOverdueReports(fork(), '2026-11-20');
    expect(await staged(id)).toHaveLength(2498);
    const [marked] = await rawQuery<{ n: number }[]>(
      fork(),
      'select count(*)::int as n from report_reporter where request_id = ? and overdue_at is not null',
      [id],
    );
    expect(marked!.n).toBe(2498);
  });

  it('waits for the due date to pass (the due date itself is on time)', async () => {
    const { id } = await request('2026-11-15', 3);
    await sweepOverdueReports(fork(), '2026-11-15');
    expect(await staged(id)).toHaveLength(0);
    await sweepOverdueReports(fork(), '2026-11-16');
    expect(await staged(id)).toHaveLength(3);
  });

  it('leaves a reporter whose submission is in progress to that submission', async () => {
    const { id, reporters } = await request('2026-11-15', 2);
    const [busy, idle] = reporters as [string, string];
    // a submission holds the reporter's row lock (as submitReport does) and commits a submitted report
    await fork().transactional(async (tx) => {
      await rawQuery(tx as EntityManager, 'select 1 from report_reporter where request_id = ? and reporter_id = ? for update', [id, busy]);
      await sweepOverdueReports(fork(), '2026-11-16');
      await rawQuery(
        tx as EntityManager,
        `insert into report_submission (id, request_id, reporter_id, status, version, sections, figures, figures_as_of,
           first_submitted_at, submitted_at, created_at, created_by, updated_at, updated_by)
         values (?, ?, ?, 'SUBMITTED', 1, '[]', '[]', '2026-11-16', now(), now(), now(), 'test', now(), 'test')`,
        [randomUUID(), id, busy],
      );
    });
    await sweepOverdueReports(fork(), '2026-11-16');
    expect((await staged(id)).map((e) => e[0])).toEqual([idle]);
  });
});
