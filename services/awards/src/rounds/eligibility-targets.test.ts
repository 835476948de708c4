import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { newEvent, type CloudEvent, type MikroORM } from '@xhht/infra';
import { annualRound2026 as round, awardsTestOrm } from '../../../../test/support/awards';
import { TARGETS_JUDGED, targetsJudged } from '../../../../test/support/targets';
import { applyTargetsJudgements } from '../targets/targets-replica';
import { evaluateEligibility } from './eligibility';
import { describeRule, effectiveRule, eligibilityRules } from './eligibility-rules';

describe('the TARGETS_MET rule as data', () => {
  it('reads it with or without a year; the year defaults to the one before the round', () => {
    const [bare, given] = eligibilityRules.parse([
      { kind: 'TARGETS_MET', year: null },
      { kind: 'TARGETS_MET', year: 2024 },
    ]);
    expect([bare, given]).toEqual([{ kind: 'TARGETS_MET' }, { kind: 'TARGETS_MET', year: 2024 }]);
    expect(effectiveRule(bare!, 2026)).toEqual({ kind: 'TARGETS_MET', year: 2025 });
    expect(describeRule(bare!, 2026)).toBe(
      'Đơn vị hoàn thành tất cả chỉ tiêu được giao năm 2025 (theo báo cáo kết quả năm đã được tiếp nhận)',
    );
  });

  it.each([
    ['a field another kind takes', { kind: 'TARGETS_MET', title: 'LEARNING_FAMILY' }, '0'],
    ['a year out of range', { kind: 'TARGETS_MET', year: 1999 }, '0.year'],
  ])('refuses %s, naming where', (_, rule, path) => {
    const parsed = eligibilityRules.safeParse([rule]);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

/** TARGETS_MET judged on the test stack's real PostgreSQL, from judgements applied through the replica. */
describe('eligibility on targets met', () => {
  let orm: MikroORM;
  const fork = () => orm.em.fork() as unknown as EntityManager;
  const apply = (...events: CloudEvent[]) => fork().transactional((tx) => applyTargetsJudgements(events, tx as EntityManager));

  const communeRound = round([
    { formCode: 'BANG_KHEN_CHU_TICH_TINH', quota: null, rules: [{ kind: 'SUBJECT_KIND', kinds: ['ADMIN_UNIT'] }, { kind: 'TARGETS_MET' }] },
    { formCode: 'GIAY_KHEN_CHU_TICH_XA', quota: null, rules: [{ kind: 'TARGETS_MET' }] },
  ]);
  const judge = async (id: string, kind: 'ADMIN_UNIT' | 'HOUSEHOLD' = 'ADMIN_UNIT', formCode = 'BANG_KHEN_CHU_TICH_TINH') => {
    const result = await evaluateEligibility(fork(), communeRound, formCode, { kind, id });
    return { eligible: result.eligible, check: result.checks.find((c) => c.rule.kind === 'TARGETS_MET')! };
  };

  beforeAll(async () => {
    orm = await awardsTestOrm('xhht_test_awards_targets_eligibility');
  });
  afterAll(() => orm?.close(true));

  it('a commune that met its 2025 targets is eligible, with the figures', async () => {
    const commune = randomUUID();
    await apply(targetsJudged(commune, 1, 3));
    expect(await judge(commune)).toEqual({
      eligible: true,
      check: {
        rule: { kind: 'TARGETS_MET', year: 2025 },
        passed: true,
        explanation:
          'Hoàn thành tất cả 1 chỉ tiêu năm 2025 (tính đến ngày 15/01/2026): ' +
          'Tỷ lệ hộ gia đình đạt danh hiệu Gia đình học tập đạt 75% (3/4), chỉ tiêu 70%',
      },
    });
  });

  it('a commune that missed one is not, naming the indicator with target and achieved; the latest judgement counts', async () => {
    const commune = randomUUID();
    // met at first, then judged again after a title was revoked; the later one arrives first
    await apply(targetsJudged(commune, 2, 2));
    await apply(targetsJudged(commune, 1, 3));
    expect(await judge(commune)).toEqual({
      eligible: false,
      check: {
        rule: { kind: 'TARGETS_MET', year: 2025 },
        passed: false,
        explanation:
          'Chưa hoàn thành 1/1 chỉ tiêu năm 2025 (tính đến ngày 15/02/2026): ' +
          'Tỷ lệ hộ gia đình đạt danh hiệu Gia đình học tập đạt 50% (2/4), chỉ tiêu 70%',
      },
    });
  });

  it('names a figure on the way to a milestone, and nothing to count', async () => {
    const commune = randomUUID();
    const base = targetsJudged(commune, 1, 0) as CloudEvent<Record<string, unknown>>;
    await apply(
      newEvent(TARGETS_JUDGED, commune, {
        ...base.data,
        outcome: 'NOT_MET',
        met: false,
        indicators: [
          {
            indicator: 'LEARNING_FAMILY_RATE',
            numerator: 733,
            denominator: 1000,
            rate: 73.3,
            target: 72,
            planTarget: 80,
            targetYear: 2030,
            status: 'ON_TRACK',
            met: true,
          },
          {
            indicator: 'LEARNING_CLAN_RATE',
            numerator: 0,
            denominator: 0,
            rate: null,
            target: 65,
            planTarget: 65,
            targetYear: 2025,
            status: 'NO_DATA',
            met: false,
          },
        ],
      }),
    );
    expect((await judge(commune)).check.explanation).toBe(
      'Chưa hoàn thành 1/2 chỉ tiêu năm 2025 (tính đến ngày 15/01/2026): ' +
        'Tỷ lệ dòng họ đạt danh hiệu Dòng họ học tập không có số liệu, chỉ tiêu 65%',
    );
  });

  it('no judgement yet, or no targets set, is not met; a household cannot meet a unit’s targets', async () => {
    const unjudged = randomUUID();
    expect(await judge(unjudged)).toEqual({
      eligible: false,
      check: {
        rule: { kind: 'TARGETS_MET', year: 2025 },
        passed: false,
        explanation: 'Chưa có kết quả thực hiện chỉ tiêu năm 2025: báo cáo kết quả năm 2025 của đơn vị chưa được tiếp nhận',
      },
    });
    // a judgement of another year does not answer for 2025
    await apply(targetsJudged(unjudged, 1, 4, 2024));
    expect((await judge(unjudged)).check.passed).toBe(false);

    const untargeted = randomUUID();
    const base = targetsJudged(untargeted, 1, 0) as CloudEvent<Record<string, unknown>>;
    await apply(newEvent(TARGETS_JUDGED, untargeted, { ...base.data, outcome: 'NO_TARGETS', met: false, indicators: [] }));
    expect((await judge(untargeted)).check).toMatchObject({
      passed: false,
      explanation: 'Năm 2025 đơn vị không được giao chỉ tiêu nào (tính đến ngày 15/01/2026), nên chưa xét được việc hoàn thành chỉ tiêu',
    });

    const household = await judge(randomUUID(), 'HOUSEHOLD', 'GIAY_KHEN_CHU_TICH_XA');
    expect(household).toEqual({
      eligible: false,
      check: {
        rule: { kind: 'TARGETS_MET', year: 2025 },
        passed: false,
        explanation: 'Điều kiện hoàn thành chỉ tiêu chỉ xét cho thôn, xã, tỉnh (đơn vị hành chính); đối tượng là hộ gia đình',
      },
    });
  });
});
