import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ADMIN_UNIT_CREATED,
  AuthContext,
  EventCatalog,
  newEvent,
  Outbox,
  rawQuery,
  ReplicaScope,
  todayInVietnam,
  type CloudEvent,
  type MikroORM,
} from '@xhht/infra';
import { countedOrg, countedRecognitions, reportingTestOrm } from '../../../../test/support/reporting';
import { learningFamilyIndicator } from '../../../../test/support/targets';
import { RECOGNITION_GRANTED, RECOGNITION_REVOKED } from '../read-models/recognition-fact';
import { acceptReport } from '../reports/report.domain';
import { REPORT_ACCEPTED } from '../reports/report.events';
import type { IndicatorProgress, UnitProgress } from './progress';
import { TARGETS_JUDGED, judgeTargets } from './targets-judgement';

const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
const unit = (id: string, kind: string, parentId: string | null) =>
  newEvent(
    ADMIN_UNIT_CREATED,
    id,
    { id, code: `T${id.slice(0, 8)}`, name: `Đơn vị ${kind}`, kind, subtype: kind, parentId, validFrom: '2020-01-01', validTo: null },
    at('2025-01-01'),
  );
const household = (id: string, unitId: string) =>
  newEvent('vn.xhht.org.household.registered.v1', id, { id, code: `H${id.slice(0, 8)}`, unitId }, at('2025-02-01'));
/** Learning Family 2025, decided on 10 January 2026, valid 36 months. */
const learningFamily = (subjectId: string) => ({
  recognitionId: randomUUID(),
  decisionId: randomUUID(),
  subjectKind: 'HOUSEHOLD',
  subjectId,
  title: 'LEARNING_FAMILY',
  level: 'ACHIEVED',
  year: 2025,
});
const granted = (f: ReturnType<typeof learningFamily>) =>
  newEvent(
    RECOGNITION_GRANTED,
    f.subjectId,
    {
      ...f,
      validFrom: '2026-01-10',
      validTo: '2029-01-09',
      decisionNumber: '12/QĐ-UBND',
      decisionDate: '2026-01-10',
      decidingUnitId: randomUUID(),
    },
    at('2026-01-10'),
  );

const admin = new AuthContext({ subject: 'test-admin', roles: [{ role: 'SYSTEM_ADMIN' }] });
const outbox = new Outbox(new EventCatalog());

/** A progress line as progress.ts gives it, for the pure judgement. */
const line = (p: Partial<IndicatorProgress> & Pick<IndicatorProgress, 'indicator' | 'status'>): IndicatorProgress => ({
  year: 2026,
  numerator: 0,
  denominator: 0,
  rate: null,
  target: null,
  targetYear: null,
  expected: null,
  targetSource: null,
  series: [],
  ...p,
});
const progressOf = (indicators: IndicatorProgress[]): UnitProgress => ({
  unitId: randomUUID(),
  year: 2026,
  asOf: '2026-12-20',
  indicators,
  occupationalGroups: [],
  communeCommunity: { communes: 0, recognised: 0, rate: null, levels: [] },
});

describe('judging a year against its targets', () => {
  it('a year between milestones is met on the way to the next one; nothing to count is not met; no target is left out', () => {
    const judged = judgeTargets(
      progressOf([
        // 2030's 80 % seen from 2025's 70 %: 72 % is expected in 2026
        line({
          indicator: 'LEARNING_FAMILY_RATE',
          status: 'ON_TRACK',
          numerator: 73,
          denominator: 100,
          rate: 73,
          target: 80,
          targetYear: 2030,
          expected: 72,
        }),
        line({ indicator: 'LEARNING_CLAN_RATE', status: 'NO_TARGET' }),
        line({ indicator: 'LEARNING_UNIT_RATE', status: 'NO_DATA', target: 90, targetYear: 2030, expected: 84 }),
      ]),
    );
    expect(judged).toEqual({
      outcome: 'NOT_MET',
      indicators: [
        {
          indicator: 'LEARNING_FAMILY_RATE',
          numerator: 73,
          denominator: 100,
          rate: 73,
          target: 72,
          planTarget: 80,
          targetYear: 2030,
          status: 'ON_TRACK',
          met: true,
        },
        {
          indicator: 'LEARNING_UNIT_RATE',
          numerator: 0,
          denominator: 0,
          rate: null,
          target: 84,
          planTarget: 90,
          targetYear: 2030,
          status: 'NO_DATA',
          met: false,
        },
      ],
    });
    expect(judgeTargets(progressOf([line({ indicator: 'LEARNING_CLAN_RATE', status: 'NO_TARGET' })]))).toEqual({
      outcome: 'NO_TARGETS',
      indicators: [],
    });
  });
});

/** Accepting reports on the test stack's real PostgreSQL: the judgement and its event are staged in the outbox with the acceptance. */
describe('accepting an annual report judges the unit against its targets', () => {
  let orm: MikroORM;
  const fork = () => orm.em.fork() as unknown as EntityManager;
  const inTx = (work: (em: EntityManager) => Promise<void>) => fork().transactional((tx) => work(tx as EntityManager));

  beforeAll(async () => {
    orm = await reportingTestOrm('xhht_test_reporting_targets');
  });
  afterAll(() => orm?.close(true));

  /** As the resolver's ctx.transact: one transaction, the events validated against the catalog and staged in the outbox. */
  const accept = (submissionId: string) => {
    const em = fork();
    return em.transactional(async (tx) => {
      const { events } = await acceptReport(tx as EntityManager, admin, new ReplicaScope(tx as EntityManager), {
        submissionId,
        expectedVersion: 2,
      });
      for (const e of events) outbox.add(tx, e);
      return events;
    });
  };

  /** A request of `kind` for 2025 from `requestingUnitId` to `reporters`, each with a submitted report; submission ids by reporter. */
  async function submitted(
    kind: string,
    requestingUnitId: string,
    reporters: string[],
  ): Promise<{ requestId: string; submissions: string[] }> {
    const requestId = randomUUID();
    await rawQuery(
      fork(),
      `insert into report_request (id, kind, year, title, period_start, period_end, requesting_unit_id, due_date, sections, created_at, created_by)
       values (?, ?, 2025, 'Báo cáo năm 2025', '2025-01-01', '2025-12-31', ?, '2099-12-15', '[]', now(), 'test')`,
      [requestId, kind, requestingUnitId],
    );
    const submissions: string[] = [];
    for (const reporter of reporters) {
      const id = randomUUID();
      await rawQuery(
        fork(),
        `insert into report_reporter (request_id, reporter_id, reporter_kind, level, unit_id) values (?, ?, 'UNIT', 'COMMUNE', ?)`,
        [requestId, reporter, reporter],
      );
      await rawQuery(
        fork(),
        `insert into report_submission (id, request_id, reporter_id, status, version, sections, figures, figures_as_of,
           first_submitted_at, submitted_at, created_at, created_by, updated_at, updated_by)
         values (?, ?, ?, 'SUBMITTED', 2, '[]', '[]', '2026-11-10', now(), now(), now(), 'test', now(), 'test')`,
        [id, requestId, reporter],
      );
      submissions.push(id);
    }
    return { requestId, submissions };
  }

  /** The targets.judged events staged for a unit, oldest first. */
  const staged = async (unitId: string) =>
    (
      await rawQuery<{ payload: CloudEvent<Record<string, any>> }[]>(
        fork(),
        `select payload from outbox where event_type = ? and message_key = ? order by (payload->'data'->>'version')::int`,
        [TARGETS_JUDGED, unitId],
      )
    ).map((r) => r.payload);

  it('publishes per commune whether it met every target, with the figures; a later accepted report judges it again', async () => {
    const [province, met, missed, elsewhere, noTargets] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const [villageMet, villageMissed] = [randomUUID(), randomUUID()];
    const homes = Array.from({ length: 8 }, () => randomUUID());
    await inTx((em) =>
      countedOrg(
        [
          unit(province, 'PROVINCE', null),
          unit(met, 'COMMUNE', province),
          unit(missed, 'COMMUNE', province),
          unit(elsewhere, 'PROVINCE', null),
          unit(noTargets, 'COMMUNE', elsewhere),
          unit(villageMet, 'VILLAGE', met),
          unit(villageMissed, 'VILLAGE', missed),
          ...homes.slice(0, 4).map((h) => household(h, villageMet)),
          ...homes.slice(4).map((h) => household(h, villageMissed)),
        ],
        em,
      ),
    );
    // three of four Learning Families in one commune, one of four in the other
    const families = [homes[0]!, homes[1]!, homes[2]!, homes[4]!].map(learningFamily);
    await inTx((em) => countedRecognitions(families.map(granted), em));
    // the province's plan: 70 % Learning Families in 2025, set on the province (its communes inherit it)
    const planId = randomUUID();
    await rawQuery(
      fork(),
      `insert into reporting_plan (id, number, issued_on, issuing_unit_id, start_year, end_year, phases, created_at, created_by)
       values (?, '110/KH-UBND', '2023-03-15', ?, 2023, 2030, '[]', now(), 'test')`,
      [planId, province],
    );
    await rawQuery(
      fork(),
      `insert into reporting_plan_target (id, plan_id, indicator, unit_id, year, percentage, set_at, set_by)
       values (?, ?, 'LEARNING_FAMILY_RATE', ?, 2025, 70, now(), 'test')`,
      [randomUUID(), planId, province],
    );

    const annual = await submitted('ANNUAL_REPORT', province, [met, missed]);
    const otherAnnual = await submitted('ANNUAL_REPORT', elsewhere, [noTargets]);
    const events = await accept(annual.submissions[0]!);
    expect(events.map((e) => [e.type, e.subject])).toEqual([
      [REPORT_ACCEPTED, annual.requestId],
      [TARGETS_JUDGED, met],
    ]);
    await accept(annual.submissions[1]!);
    await accept(otherAnnual.submissions[0]!);

    const today = todayInVietnam();
    const [metEvent] = await staged(met);
    expect(metEvent!.subject).toBe(met);
    expect(metEvent!.data).toEqual({
      unitId: met,
      year: 2025,
      outcome: 'MET',
      met: true,
      indicators: [learningFamilyIndicator(3)],
      asOf: today,
      judgedAt: expect.any(String),
      version: 1,
      trigger: { kind: 'ANNUAL_REPORT_ACCEPTED', requestId: annual.requestId, submissionId: annual.submissions[0] },
    });
    expect((await staged(missed)).map((e) => [e.data.outcome, e.data.met, e.data.indicators])).toEqual([
      ['NOT_MET', false, [learningFamilyIndicator(1)]],
    ]);
    // no plan sets the other province's commune a target: judged, and not met
    expect((await staged(noTargets)).map((e) => [e.data.outcome, e.data.met, e.data.indicators])).toEqual([['NO_TARGETS', false, []]]);

    // a yearly plan accepted judges nothing
    const plan = await submitted('YEARLY_PLAN', province, [met]);
    expect((await accept(plan.submissions[0]!)).map((e) => e.type)).toEqual([REPORT_ACCEPTED]);

    // a title revoked since, then another annual report of the commune accepted: judged again, one version up
    await inTx((em) =>
      countedRecognitions(
        [
          newEvent(
            RECOGNITION_REVOKED,
            homes[2]!,
            { ...families[2]!, reason: 'Kê khai sai', revokedAt: at('2026-03-01').toISOString() },
            at('2026-03-01'),
          ),
        ],
        em,
      ),
    );
    const again = await submitted('ANNUAL_REPORT', province, [met]);
    await accept(again.submissions[0]!);
    const judgements = await staged(met);
    expect(judgements.map((e) => [e.data.version, e.data.outcome, e.data.indicators[0].numerator, e.data.trigger.requestId])).toEqual([
      [1, 'MET', 3, annual.requestId],
      [2, 'NOT_MET', 2, again.requestId],
    ]);
    const [row] = await rawQuery<{ version: number; outcome: string; request_id: string }[]>(
      fork(),
      'select version, outcome, request_id from unit_targets_judgement where unit_id = ? and year = 2025',
      [met],
    );
    expect(row).toEqual({ version: 2, outcome: 'NOT_MET', request_id: again.requestId });
  });
});
