import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ADMIN_UNIT_CREATED, newEvent, type CloudEvent, type MikroORM } from '@xhht/infra';
import { communeMergeEvents } from '../../../../test/support/hierarchy-events';
import { countedOrg, countedRecognitions, reportingTestOrm } from '../../../../test/support/reporting';
import { indicatorCounts, type IndicatorCount } from '../../../../test/support/reporting';
import {
  applyRecognitionEvents,
  RECOGNITION_EXPIRED,
  RECOGNITION_GRANTED,
  RECOGNITION_REVOKED,
  recognitionFactHandlers,
} from './recognition-fact';

const uuids = <N extends number>(n: N) =>
  Array.from({ length: n }, () => randomUUID()) as string[] & { [K in 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10]: string };
const at = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** A recognition as recognition's events describe it. */
const facts = (recognitionId: string, subjectKind: string, subjectId: string, title: string, year = 2025) => ({
  recognitionId,
  decisionId: randomUUID(),
  subjectKind,
  subjectId,
  title,
  level: 'ACHIEVED',
  year,
});
type Facts = ReturnType<typeof facts>;
const granted = (f: Facts, time = '2026-01-10', validFrom = '2026-01-10', validTo = '2029-01-09') =>
  newEvent(
    RECOGNITION_GRANTED,
    f.subjectId,
    { ...f, validFrom, validTo, decisionNumber: '12/QĐ-UBND', decisionDate: validFrom, decidingUnitId: randomUUID() },
    at(time),
  );
const revoked = (f: Facts, time: string) =>
  newEvent(RECOGNITION_REVOKED, f.subjectId, { ...f, reason: 'Khai không đúng', revokedAt: at(time).toISOString() }, at(time));
const expired = (f: Facts, time: string, validTo: string) => newEvent(RECOGNITION_EXPIRED, f.subjectId, { ...f, validTo }, at(time));

/** Reporting's read models and indicator counts on the test stack's real PostgreSQL. */
describe('reporting read models', () => {
  let orm: MikroORM;
  const fork = () => orm.em.fork() as unknown as EntityManager;
  const inTx = (work: (em: EntityManager) => Promise<void>) => fork().transactional((tx) => work(tx as EntityManager));
  const applyOne = (event: CloudEvent) =>
    inTx(async (em) => {
      const handler = recognitionFactHandlers[event.type]!;
      await (typeof handler === 'function' ? handler : handler.one)(event, em);
    });
  const fact = async (id: string) =>
    (
      await fork().execute<{ status: string; valid_from: string | null; valid_to: string | null; source_day: string }[]>(
        `select status, valid_from::text, valid_to::text, to_char(source_time at time zone 'UTC', 'YYYY-MM-DD') as source_day from recognition_fact where recognition_id = ?`,
        [id],
      )
    )[0];

  beforeAll(async () => {
    orm = await reportingTestOrm('xhht_test_reporting_read_models');
  });
  afterAll(() => orm?.close(true));

  it('keeps the newest status of each recognition: a redelivery or an older event arriving late changes nothing', async () => {
    const [r1, r2, r3, hh] = uuids(4);
    const f1 = facts(r1!, 'HOUSEHOLD', hh!, 'LEARNING_FAMILY');
    await applyOne(granted(f1));
    await applyOne(granted(f1)); // redelivered
    expect(await fact(r1!)).toMatchObject({ status: 'ACTIVE', valid_from: '2026-01-10', valid_to: '2029-01-09' });

    // revoked, then the grant arrives late and again: still revoked, and the validity period is known
    const f2 = facts(r2!, 'HOUSEHOLD', hh!, 'LEARNING_FAMILY');
    await applyOne(revoked(f2, '2026-02-01'));
    await applyOne(granted(f2));
    await applyOne(granted(f2));
    expect(await fact(r2!)).toMatchObject({ status: 'REVOKED', valid_from: '2026-01-10', valid_to: '2029-01-09' });

    // expired carries the last valid day; an older grant redelivered afterwards does not revive it
    const f3 = facts(r3!, 'HOUSEHOLD', hh!, 'LEARNING_FAMILY');
    await applyOne(granted(f3, '2026-01-10', '2026-01-10', '2026-06-30'));
    await applyOne(expired(f3, '2026-07-01', '2026-06-30'));
    await applyOne(granted(f3, '2026-01-10', '2026-01-10', '2026-06-30'));
    expect(await fact(r3!)).toMatchObject({ status: 'EXPIRED', valid_from: '2026-01-10', valid_to: '2026-06-30' });
    expect((await fact(r3!))!.source_day).toBe('2026-07-01');
  });

  it('applies a shuffled batch with duplicates like the events one by one in order', async () => {
    const [r1, r2, r3, hh] = uuids(4);
    const f1 = facts(r1!, 'HOUSEHOLD', hh!, 'LEARNING_FAMILY');
    const f2 = facts(r2!, 'HOUSEHOLD', hh!, 'LEARNING_FAMILY');
    const f3 = facts(r3!, 'PERSON', hh!, 'LEARNING_CITIZEN');
    const batch = [revoked(f2, '2026-03-01'), granted(f1), granted(f3), granted(f2), granted(f1), revoked(f2, '2026-03-01')];
    await inTx((em) => applyRecognitionEvents(batch, em));
    // a grant stamped with the revocation's time does not undo it
    await inTx((em) => applyRecognitionEvents([granted(f2, '2026-03-01')], em));
    expect(await fact(r1!)).toMatchObject({ status: 'ACTIVE' });
    expect(await fact(r2!)).toMatchObject({ status: 'REVOKED', valid_from: '2026-01-10' });
    expect(await fact(r3!)).toMatchObject({ status: 'ACTIVE' });
    const [n] = await fork().execute<{ n: number }[]>('select count(*)::int as n from recognition_fact where recognition_id in (?, ?, ?)', [
      r1,
      r2,
      r3,
    ]);
    expect(n!.n).toBe(3);
  });

  it('counts numerators and denominators per indicator for a unit and everything below it', async () => {
    const [province, a, b, va, vb, h1, h2, h3, hb, clan, org] = uuids(11);
    const [adult, child] = uuids(2);
    const unit = (id: string, kind: string, parentId: string | null) =>
      newEvent(
        ADMIN_UNIT_CREATED,
        id,
        { id, code: `S${id.slice(0, 8)}`, name: `Đơn vị ${kind}`, kind, subtype: kind, parentId, validFrom: '2020-01-01', validTo: null },
        at('2025-01-01'),
      );
    await inTx((em) =>
      countedOrg(
        [
          unit(province!, 'PROVINCE', null),
          unit(a!, 'COMMUNE', province!),
          unit(b!, 'COMMUNE', province!),
          unit(va!, 'VILLAGE', a!),
          unit(vb!, 'VILLAGE', b!),
        ],
        em,
      ),
    );
    const registered = (aggregate: string, id: string, data: Record<string, unknown>) =>
      newEvent(`vn.xhht.org.${aggregate}.registered.v1`, id, { id, code: `P${id.slice(0, 8)}`, ...data }, at('2025-02-01'));
    await inTx((em) =>
      countedOrg(
        [
          ...[h1!, h2!, h3!].map((h) => registered('household', h, { unitId: va })),
          registered('household', hb!, { unitId: vb }),
          registered('clan', clan!, { unitId: a, name: 'Dòng họ Lê', branches: [], households: [] }),
          registered('organization', org!, { unitId: a, name: 'Trường Mầm non', type: 'SCHOOL', parentId: null }),
          registered('person', adult!, { unitId: va, birthYear: 2007, sex: 'FEMALE', occupationalGroup: 'FARMER', householdId: h1 }),
          registered('person', child!, { unitId: va, birthYear: 2008, sex: 'MALE', occupationalGroup: 'STUDENT', householdId: h1 }),
        ],
        em,
      ),
    );
    const f = (kind: string, subject: string, title: string, year = 2025) => facts(randomUUID(), kind, subject, title, year);
    const fRevoked = f('HOUSEHOLD', h2!, 'LEARNING_FAMILY');
    const fExpired = f('HOUSEHOLD', h3!, 'LEARNING_FAMILY');
    const fh1 = f('HOUSEHOLD', h1!, 'LEARNING_FAMILY');
    await inTx((em) =>
      countedRecognitions(
        [
          granted(fh1),
          granted(f('HOUSEHOLD', h1!, 'LEARNING_FAMILY', 2024)), // another year
          granted(fRevoked),
          revoked(fRevoked, '2026-02-01'),
          granted(fExpired, '2026-01-10', '2026-01-10', '2026-06-30'),
          expired(fExpired, '2026-07-01', '2026-06-30'),
          granted(f('HOUSEHOLD', hb!, 'LEARNING_FAMILY')),
          granted(f('ADMIN_UNIT', va!, 'LEARNING_COMMUNITY')),
          granted(f('PERSON', adult!, 'LEARNING_CITIZEN')),
          granted(f('PERSON', child!, 'LEARNING_CITIZEN')), // not an adult in 2025: outside the rate
          granted(f('CLAN', clan!, 'LEARNING_CLAN', 2024)),
          granted(f('ORGANIZATION', org!, 'LEARNING_UNIT')),
        ],
        em,
      ),
    );
    // the same granted event again changes nothing
    await applyOne(granted(fh1));

    const table = (rows: IndicatorCount[]) =>
      Object.fromEntries(
        rows.map((r) => [`${r.unitId === province ? 'P' : r.unitId === a ? 'A' : 'B'} ${r.indicator}`, [r.numerator, r.denominator]]),
      );
    const rows = await indicatorCounts(fork(), [province!, a!, b!], 2025, '2026-09-01');
    expect(table(rows)).toEqual({
      // h1, and h3 whose title for 2025 expired in 2026 (it held through 2025); h2's was revoked
      'A LEARNING_FAMILY_RATE': [2, 3],
      'A LEARNING_CLAN_RATE': [0, 1],
      'A LEARNING_COMMUNITY_RATE': [1, 1],
      'A LEARNING_UNIT_RATE': [1, 1],
      'A LEARNING_CITIZEN_RATE_ADULTS': [1, 1],
      // the adult farmer of a Learning Family (and of a Learning Community village) holds Learning Citizen
      'A LEARNING_CITIZEN_RATE_WORKERS': [1, 1],
      'A LEARNING_CITIZEN_RATE_STAFF': [0, 0],
      'B LEARNING_FAMILY_RATE': [1, 1],
      'B LEARNING_CLAN_RATE': [0, 0],
      'B LEARNING_COMMUNITY_RATE': [0, 1],
      'B LEARNING_UNIT_RATE': [0, 0],
      'B LEARNING_CITIZEN_RATE_ADULTS': [0, 0],
      'B LEARNING_CITIZEN_RATE_WORKERS': [0, 0],
      'B LEARNING_CITIZEN_RATE_STAFF': [0, 0],
      'P LEARNING_FAMILY_RATE': [3, 4],
      'P LEARNING_CLAN_RATE': [0, 1],
      'P LEARNING_COMMUNITY_RATE': [1, 2],
      'P LEARNING_UNIT_RATE': [1, 1],
      'P LEARNING_CITIZEN_RATE_ADULTS': [1, 1],
      'P LEARNING_CITIZEN_RATE_WORKERS': [1, 1],
      'P LEARNING_CITIZEN_RATE_STAFF': [0, 0],
    });
    // before its revocation on 2026-02-01 h2's title counted; before any decision, nothing did
    expect(table(await indicatorCounts(fork(), [a!], 2025, '2026-01-20'))['A LEARNING_FAMILY_RATE']).toEqual([3, 3]);
    expect(table(await indicatorCounts(fork(), [a!], 2025, '2026-03-01'))['A LEARNING_FAMILY_RATE']).toEqual([2, 3]);
    const before = table(await indicatorCounts(fork(), [a!], 2025, '2025-12-31'));
    expect(before['A LEARNING_FAMILY_RATE']).toEqual([0, 3]);
    // 2024: the 2024 titles, and the person born in 2007 is not yet an adult
    const y2024 = table(await indicatorCounts(fork(), [a!], 2024, '2026-09-01'));
    expect(y2024).toMatchObject({
      'A LEARNING_FAMILY_RATE': [1, 3],
      'A LEARNING_CLAN_RATE': [1, 1],
      'A LEARNING_CITIZEN_RATE_ADULTS': [0, 0],
    });
  });
  it('honours a merge both ways: the successor counts its predecessors, the old tree keeps its own figures', async () => {
    const [province, a, b, c, village, hA1, hA2, hB1, hB2] = uuids(9);
    await inTx((em) => countedOrg(communeMergeEvents({ province: province!, a: a!, b: b!, c: c!, village: village! }), em));
    // households of the village, and of commune B registered before the merge and never moved
    const household = (id: string, unitId: string) =>
      newEvent('vn.xhht.org.household.registered.v1', id, { id, unitId, code: `H${id.slice(0, 8)}` }, at('2025-02-01'));
    await inTx((em) => countedOrg([household(hA1!, village!), household(hA2!, village!), household(hB1!, b!), household(hB2!, b!)], em));
    const f2024 = (subject: string) => facts(randomUUID(), 'HOUSEHOLD', subject, 'LEARNING_FAMILY', 2024);
    await inTx((em) =>
      countedRecognitions(
        [granted(f2024(hA1!), '2025-01-10', '2025-01-10', '2028-01-09'), granted(f2024(hB1!), '2025-01-10', '2025-01-10', '2028-01-09')],
        em,
      ),
    );

    const family = async (unitIds: string[], asOf: string) =>
      Object.fromEntries(
        (await indicatorCounts(fork(), unitIds, 2024, asOf))
          .filter((r) => r.indicator === 'LEARNING_FAMILY_RATE' || r.indicator === 'LEARNING_COMMUNITY_RATE')
          .map((r) => [`${[province, a, b, c].indexOf(r.unitId)} ${r.indicator}`, [r.numerator, r.denominator]]),
      );
    // after the merge: the successor holds everything of its predecessors
    expect(await family([province!, c!], '2026-01-01')).toEqual({
      '0 LEARNING_FAMILY_RATE': [2, 4],
      '0 LEARNING_COMMUNITY_RATE': [0, 1],
      '3 LEARNING_FAMILY_RATE': [2, 4],
      '3 LEARNING_COMMUNITY_RATE': [0, 1],
    });
    // before it: the old communes with their own figures, and the province their sum
    expect(await family([province!, a!, b!, c!], '2025-03-01')).toEqual({
      '0 LEARNING_FAMILY_RATE': [2, 4],
      '0 LEARNING_COMMUNITY_RATE': [0, 1],
      '1 LEARNING_FAMILY_RATE': [1, 2],
      '1 LEARNING_COMMUNITY_RATE': [0, 1],
      '2 LEARNING_FAMILY_RATE': [1, 2],
      '2 LEARNING_COMMUNITY_RATE': [0, 0],
      '3 LEARNING_FAMILY_RATE': [0, 0],
      '3 LEARNING_COMMUNITY_RATE': [0, 0],
    });
  });
});
