import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ADMIN_UNIT_CREATED, newEvent, todayInVietnam, type MikroORM } from '@xhht/infra';
import { communeMergeEvents } from '../../../../test/support/hierarchy-events';
import { RECOGNITION_GRANTED } from '../read-models/recognition-fact';
import { countedOrg, countedRecognitions, reportingTestOrm } from '../../../../test/support/reporting';
import { measureCounts } from './progress-counts';
import { refreshClosureForToday, rollupsHold } from './progress-rollup';
import { unitProgress } from './progress';

const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
const unit = (id: string, kind: string, parentId: string | null) =>
  newEvent(
    ADMIN_UNIT_CREATED,
    id,
    { id, code: `S${id.slice(0, 8)}`, name: `Đơn vị ${kind}`, kind, subtype: kind, parentId, validFrom: '2020-01-01', validTo: null },
    at('2025-01-01'),
  );
const participant = (aggregate: string, id: string, data: Record<string, unknown>, verb = 'registered', time = '2025-02-01') =>
  newEvent(`vn.xhht.org.${aggregate}.${verb}.v1`, id, { id, code: `P${id.slice(0, 8)}`, ...data }, at(time));
const person = (id: string, unitId: string, occupationalGroup: string, extra: Record<string, unknown> = {}) =>
  participant('person', id, { unitId, birthYear: 1980, sex: 'FEMALE', occupationalGroup, householdId: null, workplaceId: null, ...extra });
const granted = (subjectKind: string, subjectId: string, title: string, level = 'ACHIEVED', year = 2025) =>
  newEvent(
    RECOGNITION_GRANTED,
    subjectId,
    {
      recognitionId: randomUUID(),
      decisionId: randomUUID(),
      subjectKind,
      subjectId,
      title,
      level,
      year,
      validFrom: '2026-01-10',
      validTo: '2029-01-09',
      decisionNumber: '12/QĐ-UBND',
      decisionDate: '2026-01-10',
      decidingUnitId: randomUUID(),
    },
    at('2026-01-10'),
  );

/** Progress counted from reporting's read models on the test stack's real PostgreSQL. */
describe('progress', () => {
  let orm: MikroORM;
  const fork = () => orm.em.fork() as unknown as EntityManager;
  const inTx = (work: (em: EntityManager) => Promise<void>) => fork().transactional((tx) => work(tx as EntityManager));

  beforeAll(async () => {
    orm = await reportingTestOrm('xhht_test_reporting_progress');
  });
  afterAll(() => orm?.close(true));

  it('counts Learning Citizens among workers, staff and occupational groups, and communes by level', async () => {
    const [province, commune, village, other] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const [h1, h2, school] = [randomUUID(), randomUUID(), randomUUID()];
    const [farmer, worker, student, official, teacher, child] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    await inTx((em) =>
      countedOrg(
        [
          unit(province, 'PROVINCE', null),
          unit(commune, 'COMMUNE', province),
          unit(other, 'COMMUNE', province),
          unit(village, 'VILLAGE', commune),
          participant('household', h1, { unitId: village }),
          participant('household', h2, { unitId: village }),
          participant('organization', school, { unitId: commune, name: 'Trường Tiểu học', type: 'SCHOOL', parentId: null }),
          person(farmer, village, 'FARMER', { householdId: h1 }),
          person(student, village, 'STUDENT', { householdId: h1 }),
          person(worker, village, 'WORKER', { householdId: h2 }),
          person(official, commune, 'OFFICIAL', { workplaceId: school }),
          person(teacher, other, 'TEACHER', { workplaceId: school }),
          person(child, village, 'STUDENT', { householdId: h1, birthYear: 2015 }),
        ],
        em,
      ),
    );
    await inTx((em) =>
      countedRecognitions(
        [
          granted('HOUSEHOLD', h1, 'LEARNING_FAMILY'),
          granted('ADMIN_UNIT', village, 'LEARNING_COMMUNITY'),
          granted('ORGANIZATION', school, 'LEARNING_UNIT'),
          granted('PERSON', farmer, 'LEARNING_CITIZEN'),
          granted('PERSON', official, 'LEARNING_CITIZEN'),
          granted('PERSON', child, 'LEARNING_CITIZEN'), // not an adult: counted nowhere
          granted('ADMIN_UNIT', commune, 'LEARNING_COMMUNITY', 'LEVEL_1'),
          granted('ADMIN_UNIT', commune, 'LEARNING_COMMUNITY', 'LEVEL_2'), // the higher level counts, once
        ],
        em,
      ),
    );

    const [c, p] = await unitProgress(fork(), [commune, province], 2025, '2026-06-01');
    const rates = (u: typeof c) => Object.fromEntries(u!.indicators.map((i) => [i.indicator, [i.numerator, i.denominator]]));
    expect(rates(c)).toEqual({
      LEARNING_FAMILY_RATE: [1, 2],
      LEARNING_CLAN_RATE: [0, 0],
      LEARNING_COMMUNITY_RATE: [1, 1],
      LEARNING_UNIT_RATE: [1, 1],
      // farmer, student, worker, official (the teacher lives in the other commune)
      LEARNING_CITIZEN_RATE_ADULTS: [2, 4],
      // adults but students in a Learning Family or a Learning Community village: the farmer and the worker
      LEARNING_CITIZEN_RATE_WORKERS: [1, 2],
      // the school's staff, counted where the school is, wherever they live
      LEARNING_CITIZEN_RATE_STAFF: [1, 2],
    });
    expect(Object.fromEntries(c!.occupationalGroups.map((g) => [g.occupationalGroup, [g.numerator, g.denominator]]))).toEqual({
      FARMER: [1, 1],
      WORKER: [0, 1],
      OFFICIAL: [1, 1],
      TEACHER: [0, 0],
      STUDENT: [0, 1],
      OTHER: [0, 0],
    });
    expect(c!.communeCommunity).toEqual({
      communes: 1,
      recognised: 1,
      rate: 100,
      levels: [
        { level: 'ACHIEVED', communes: 0 },
        { level: 'LEVEL_1', communes: 0 },
        { level: 'LEVEL_2', communes: 1 },
      ],
    });
    // the province sums both communes: the teacher counts among its adults
    expect(rates(p)).toMatchObject({ LEARNING_CITIZEN_RATE_ADULTS: [2, 5], LEARNING_CITIZEN_RATE_STAFF: [1, 2] });
    expect(p!.occupationalGroups.find((g) => g.occupationalGroup === 'TEACHER')).toMatchObject({ numerator: 0, denominator: 1 });
    expect(p!.communeCommunity).toMatchObject({ communes: 2, recognised: 1, rate: 50 });

    // a household that moves to the other commune is counted there, and no longer here
    await inTx((em) => countedOrg([participant('household', h2, { unitId: other }, 'moved', '2026-03-01')], em));
    const [c2, o2] = await unitProgress(fork(), [commune, other], 2025, '2026-06-01');
    expect(rates(c2).LEARNING_FAMILY_RATE).toEqual([1, 1]);
    expect(rates(o2).LEARNING_FAMILY_RATE).toEqual([0, 1]);
  });

  it("reads rollups equal to the sums of the subtree's tallies, through a merge", async () => {
    const [province, a, b, c, village] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()] as [
      string,
      string,
      string,
      string,
      string,
    ];
    const [hA, hB, hV] = [randomUUID(), randomUUID(), randomUUID()];
    await inTx((em) => countedOrg(communeMergeEvents({ province, a, b, c, village }), em));
    await inTx((em) =>
      countedOrg(
        [
          participant('household', hA, { unitId: a }),
          participant('household', hB, { unitId: b }),
          participant('household', hV, { unitId: village }),
        ],
        em,
      ),
    );
    await inTx((em) => countedRecognitions([granted('HOUSEHOLD', hA, 'LEARNING_FAMILY'), granted('HOUSEHOLD', hV, 'LEARNING_FAMILY')], em));
    const today = todayInVietnam();
    const sorted = (rows: Awaited<ReturnType<typeof measureCounts>>) =>
      rows.map((r) => `${r.unitId} ${r.year} ${r.measure} ${r.numerator}/${r.denominator}`).sort();
    const units = [province, a, b, c, village];
    const fromRollups = await measureCounts(fork(), units, [2024, 2025], today);
    expect(sorted(fromRollups)).toEqual(sorted(await measureCounts(fork(), units, [2024, 2025], today, 'tallies')));
    // the village moved under C: C counts it once, with A's and B's households
    const family = fromRollups.filter((r) => r.measure === 'LEARNING_FAMILY_RATE' && r.year === 2025);
    expect(Object.fromEntries(family.map((r) => [units.indexOf(r.unitId), [r.numerator, r.denominator]]))).toEqual({
      0: [2, 3],
      // the merged communes keep their own households
      1: [1, 1],
      2: [0, 1],
      3: [2, 3],
      4: [1, 1],
    });

    // rollups summed for a day before the merge do not answer for today: figures come from the tallies
    // until the day's refresh sums them for today's tree again
    await fork().execute(`update progress_closure_state set tree_date = '2025-06-30'`);
    expect(await rollupsHold(fork(), today)).toBe(false);
    expect(sorted(await measureCounts(fork(), units, [2024, 2025], today))).toEqual(sorted(fromRollups));
    expect(await refreshClosureForToday(fork())).toBe(true);
    expect(await rollupsHold(fork(), today)).toBe(true);
    expect(await refreshClosureForToday(fork())).toBe(false);
    expect(sorted(await measureCounts(fork(), units, [2024, 2025], today))).toEqual(sorted(fromRollups));
  });
});
