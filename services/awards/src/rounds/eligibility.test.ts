import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { newEvent, type CloudEvent, type MikroORM } from '@xhht/infra';
import { annualRound2026 as round, awardsTestOrm } from '../../../../test/support/awards';
import {
  applyRecognitionEvents,
  RECOGNITION_EXPIRED,
  RECOGNITION_GRANTED,
  RECOGNITION_REVOKED,
  recognitionReplicaHandlers,
  recognitionsOf,
} from '../recognitions/recognition-replica';
import { evaluateEligibility } from './eligibility';

const at = (iso: string) => new Date(`${iso}T03:00:00Z`);

/** A recognition as recognition's events describe it. */
function recognition(subjectKind: string, subjectId: string, title: string, year: number, level = 'ACHIEVED') {
  return { recognitionId: randomUUID(), decisionId: randomUUID(), subjectKind, subjectId, title, level, year };
}
type Facts = ReturnType<typeof recognition>;
/** Granted by a decision of 10 January of the next year, valid 36 months. */
const granted = (f: Facts, number = `${f.year % 100}/QĐ-UBND`) =>
  newEvent(
    RECOGNITION_GRANTED,
    f.subjectId,
    {
      ...f,
      validFrom: `${f.year + 1}-01-10`,
      validTo: `${f.year + 4}-01-09`,
      decisionNumber: number,
      decisionDate: `${f.year + 1}-01-10`,
      decidingUnitId: randomUUID(),
    },
    at(`${f.year + 1}-01-10`),
  );
const revoked = (f: Facts, day: string) =>
  newEvent(RECOGNITION_REVOKED, f.subjectId, { ...f, reason: 'Kê khai không trung thực', revokedAt: at(day).toISOString() }, at(day));
const expired = (f: Facts, validTo: string) => newEvent(RECOGNITION_EXPIRED, f.subjectId, { ...f, validTo }, at(validTo));

/** Eligibility on the test stack's real PostgreSQL, from recognitions applied through the replica's handlers. */
describe('award eligibility', () => {
  let orm: MikroORM;
  const fork = () => orm.em.fork() as unknown as EntityManager;
  const apply = (...events: CloudEvent[]) =>
    fork().transactional(async (tx) => {
      for (const event of events) {
        const handler = recognitionReplicaHandlers[event.type]!;
        await (typeof handler === 'function' ? handler : handler.one)(event, tx as EntityManager);
      }
    });

  const familyRound = round([
    {
      formCode: 'BANG_KHEN_CHU_TICH_TINH',
      quota: { kind: 'COUNT', count: 10 },
      rules: [{ kind: 'TITLE_CONSECUTIVE_YEARS', title: 'LEARNING_FAMILY', years: 3 }],
    },
    { formCode: 'LAO_DONG_TIEN_TIEN', quota: null, rules: [] },
  ]);
  const communeRound = round([
    {
      formCode: 'BANG_KHEN_CHU_TICH_TINH',
      quota: null,
      rules: [
        { kind: 'SUBJECT_KIND', kinds: ['ADMIN_UNIT'] },
        { kind: 'TITLE_HELD', title: 'LEARNING_COMMUNITY', year: 2025, minLevel: 'LEVEL_2' },
      ],
    },
  ]);
  const household = (id: string) => ({ kind: 'HOUSEHOLD' as const, id });
  const commune = (id: string) => ({ kind: 'ADMIN_UNIT' as const, id });

  beforeAll(async () => {
    orm = await awardsTestOrm('xhht_test_awards_eligibility');
  });
  afterAll(() => orm?.close(true));

  it('a household that held Learning Family 2023–2025 is eligible, and the explanation names the years and decisions', async () => {
    const hh = randomUUID();
    await apply(...[2023, 2024, 2025].map((y) => granted(recognition('HOUSEHOLD', hh, 'LEARNING_FAMILY', y))));
    const result = await evaluateEligibility(fork(), familyRound, 'BANG_KHEN_CHU_TICH_TINH', household(hh));
    expect(result.eligible).toBe(true);
    // the form's recipient kinds admit a household (the implicit subject-kind check), then the streak
    expect(result.checks.map((c) => [c.rule.kind, c.passed])).toEqual([
      ['SUBJECT_KIND', true],
      ['TITLE_CONSECUTIVE_YEARS', true],
    ]);
    expect(result.checks[1]!.rule).toMatchObject({ endingYear: 2025 });
    expect(result.checks[1]!.explanation).toBe(
      'Đạt danh hiệu Gia đình học tập 3 năm liên tục 2023–2025: năm 2023 (Quyết định số 23/QĐ-UBND ngày 10/01/2024); ' +
        'năm 2024 (Quyết định số 24/QĐ-UBND ngày 10/01/2025); năm 2025 (Quyết định số 25/QĐ-UBND ngày 10/01/2026)',
    );
  });

  it('a missing year breaks the streak, and the explanation says which year', async () => {
    const hh = randomUUID();
    await apply(...[2023, 2025].map((y) => granted(recognition('HOUSEHOLD', hh, 'LEARNING_FAMILY', y))));
    const result = await evaluateEligibility(fork(), familyRound, 'BANG_KHEN_CHU_TICH_TINH', household(hh));
    expect(result.eligible).toBe(false);
    expect(result.checks[1]).toMatchObject({
      passed: false,
      explanation: 'Chưa đủ 3 năm liên tục đạt danh hiệu Gia đình học tập (2023–2025): thiếu năm 2024; chỉ đạt các năm 2023, 2025',
    });
  });

  it('a revoked year breaks the streak, whatever order the events come in; an expired year still counts', async () => {
    const hh = randomUUID();
    const [y2023, y2024, y2025] = [2023, 2024, 2025].map((y) => recognition('HOUSEHOLD', hh, 'LEARNING_FAMILY', y));
    // 2024's revocation arrives before its grant, and both are delivered twice; 2023 has expired since
    await apply(revoked(y2024!, '2026-03-05'), granted(y2023!), granted(y2025!), granted(y2024!), revoked(y2024!, '2026-03-05'));
    await apply(granted(y2024!), expired(y2023!, '2027-01-09'));
    const rows = (await recognitionsOf(fork(), [hh])).get(hh)!;
    expect(rows.map((r) => [r.year, r.revoked, r.revokedOn, r.expired, r.decisionNumber])).toEqual([
      [2023, false, null, true, '23/QĐ-UBND'],
      [2024, true, '2026-03-05', false, '24/QĐ-UBND'],
      [2025, false, null, false, '25/QĐ-UBND'],
    ]);

    const result = await evaluateEligibility(fork(), familyRound, 'BANG_KHEN_CHU_TICH_TINH', household(hh));
    expect(result.eligible).toBe(false);
    expect(result.checks[1]!.explanation).toBe(
      'Chưa đủ 3 năm liên tục đạt danh hiệu Gia đình học tập (2023–2025): danh hiệu năm 2024 đã bị thu hồi ngày 05/03/2026; chỉ đạt các năm 2023, 2025',
    );
  });

  it('a commune must hold Learning Community 2025 at Level 2: Level 1 is not enough, a revoked Level 2 neither', async () => {
    const [level1, level2, both, revokedLevel2, none] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()] as const;
    const lc = (id: string, level: string) => recognition('ADMIN_UNIT', id, 'LEARNING_COMMUNITY', 2025, level);
    const revokedOne = lc(revokedLevel2, 'LEVEL_2');
    await apply(
      granted(lc(level1, 'LEVEL_1'), '31/QĐ-UBND'),
      granted(lc(level2, 'LEVEL_2'), '32/QĐ-UBND'),
      granted(lc(both, 'LEVEL_1')),
      granted(lc(both, 'LEVEL_2')),
      granted(revokedOne),
      revoked(revokedOne, '2026-02-02'),
    );
    const judge = async (id: string) =>
      (await evaluateEligibility(fork(), communeRound, 'BANG_KHEN_CHU_TICH_TINH', commune(id))).checks[1]!;

    expect(await judge(level1)).toMatchObject({
      passed: false,
      explanation:
        'Năm 2025 chỉ đạt danh hiệu Cộng đồng học tập ở Mức 1 (Khá), chưa đạt Mức 2 (Tốt) (Quyết định số 31/QĐ-UBND ngày 10/01/2026)',
    });
    expect(await judge(level2)).toMatchObject({
      passed: true,
      explanation: 'Đạt danh hiệu Cộng đồng học tập năm 2025 ở Mức 2 (Tốt) (Quyết định số 32/QĐ-UBND ngày 10/01/2026)',
    });
    expect((await judge(both)).passed).toBe(true);
    expect(await judge(revokedLevel2)).toMatchObject({
      passed: false,
      explanation: 'Danh hiệu Cộng đồng học tập năm 2025 đã bị thu hồi ngày 02/02/2026',
    });
    expect(await judge(none)).toMatchObject({ passed: false, explanation: 'Không có danh hiệu Cộng đồng học tập năm 2025' });
  });

  it("a form refuses nominees its recipient kinds or the round's subject-kind rule leave out", async () => {
    const hh = randomUUID();
    // Lao động tiên tiến goes to individuals only
    const individualsOnly = await evaluateEligibility(fork(), familyRound, 'LAO_DONG_TIEN_TIEN', household(hh));
    expect(individualsOnly).toEqual({
      eligible: false,
      checks: [
        {
          rule: { kind: 'SUBJECT_KIND', kinds: ['PERSON'] },
          passed: false,
          explanation: 'Đối tượng là hộ gia đình, không thuộc loại được xét (chỉ xét: cá nhân)',
        },
      ],
    });
    // the round names communes only, though the form would admit a household
    const communesOnly = await evaluateEligibility(fork(), communeRound, 'BANG_KHEN_CHU_TICH_TINH', household(hh));
    expect(communesOnly.checks[0]).toMatchObject({ passed: false, explanation: expect.stringContaining('chỉ xét: thôn, xã, tỉnh') });
  });

  it('refuses a form the round does not award', async () => {
    await expect(evaluateEligibility(fork(), familyRound, 'BANG_KHEN_THU_TUONG', household(randomUUID()))).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', messageKey: 'FORM_NOT_IN_ROUND' },
    });
  });

  it('applies a batch with duplicates like the events one by one', async () => {
    const hh = randomUUID();
    const f = recognition('HOUSEHOLD', hh, 'LEARNING_FAMILY', 2025);
    await fork().transactional((tx) => applyRecognitionEvents([granted(f), revoked(f, '2026-04-01'), granted(f)], tx as EntityManager));
    expect((await recognitionsOf(fork(), [hh])).get(hh)).toEqual([
      expect.objectContaining({
        year: 2025,
        revoked: true,
        revokedOn: '2026-04-01',
        validFrom: '2026-01-10',
        decisionNumber: '25/QĐ-UBND',
      }),
    ]);
  });
});
