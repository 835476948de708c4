import { criteriaDefinitionSchema, type CriteriaDefinition } from './criteria-definition';
import { evaluateCriteriaSet, isRaisedAt, thresholdAt } from './criteria-engine';
import { SAMPLE_CRITERIA_SETS } from './sample-criteria-sets';

const sample = (code: string): CriteriaDefinition =>
  criteriaDefinitionSchema.parse(SAMPLE_CRITERIA_SETS.find((s) => s.code === code)!.definition);
const family = sample('MAU-GDHT');
const commune = sample('MAU-CDHT-XA');
const clan = sample('MAU-DHHT');

/** Every indicator of `def` scored `points` (capped at its max; pass/fail: 1), then `overrides`. */
function scoresFor(def: CriteriaDefinition, points: number | 'MAX', overrides: Record<string, number> = {}) {
  const s: Record<string, number> = {};
  for (const c of def.criteria)
    for (const i of c.indicators)
      s[i.code] = i.scoring === 'PASS_FAIL' ? 1 : points === 'MAX' ? i.maxPoints! : Math.min(points, i.maxPoints!);
  return { ...s, ...overrides };
}

describe('the sample criteria sets', () => {
  it('are valid definitions with the shapes domain.md describes', () => {
    for (const s of SAMPLE_CRITERIA_SETS) expect(criteriaDefinitionSchema.safeParse(s.definition).success).toBe(true);
    const indicatorCount = (d: CriteriaDefinition) => d.criteria.reduce((n, c) => n + c.indicators.length, 0);
    expect(commune.criteria).toHaveLength(5);
    expect(indicatorCount(commune)).toBe(15);
    expect(sample('MAU-DVHT').criteria).toHaveLength(3);
    const citizen = sample('MAU-CDAN-HT');
    expect(citizen.criteria).toHaveLength(3);
    expect(indicatorCount(citizen)).toBe(10);
    expect(evaluateCriteriaSet(citizen, scoresFor(citizen, 'MAX')).maxPoints).toBe(100);
    expect(evaluateCriteriaSet(family, scoresFor(family, 'MAX')).maxPoints).toBe(100);
  });
});

describe('evaluateCriteriaSet: total points and no criterion at zero (Learning Family sample)', () => {
  it('achieves at exactly the threshold', () => {
    // 100 points, minus 20 = 80
    const r = evaluateCriteriaSet(family, scoresFor(family, 'MAX', { '1.1': 0, '2.2': 5 }));
    expect(r.totalPoints).toBe(80);
    expect(r.resultLevel).toBe('ACHIEVED');
    expect(r.levels[0]!.rules[0]).toMatchObject({ kind: 'TOTAL_AT_LEAST', held: true, message: 'tổng điểm 80 ≥ 80' });
    expect(r.summary).toBe('Xếp Đạt. Tổng điểm 80/100.');
  });

  it('misses by two points and says so', () => {
    const r = evaluateCriteriaSet(family, scoresFor(family, 'MAX', { '1.1': 0, '2.2': 3 }));
    expect(r.totalPoints).toBe(78);
    expect(r.resultLevel).toBeNull();
    const total = r.levels[0]!.rules[0]!;
    expect(total).toMatchObject({ held: false, required: 80, actual: 78, shortfall: 2, message: 'tổng điểm 78 < 80, thiếu 2 điểm' });
    expect(r.summary).toContain('Chưa đạt Đạt: tổng điểm 78 < 80, thiếu 2 điểm');
  });

  it('refuses a high total with one criterion at zero', () => {
    // TC3 all zero, the rest full (70 points): with a total threshold of 60 only the zero rule refuses
    const lenient = {
      ...family,
      levels: [
        {
          level: 'ACHIEVED' as const,
          rules: [
            { kind: 'TOTAL_AT_LEAST' as const, points: 60 },
            { kind: 'NO_CRITERION_ZERO' as const, criteria: null },
          ],
        },
      ],
    };
    const r = evaluateCriteriaSet(lenient, scoresFor(family, 'MAX', { '3.1': 0, '3.2': 0, '3.3': 0 }));
    expect(r.totalPoints).toBe(70);
    expect(r.resultLevel).toBeNull();
    const zero = r.levels[0]!.rules[1]!;
    expect(zero).toMatchObject({ kind: 'NO_CRITERION_ZERO', held: false, failedCriteria: ['TC3'] });
    expect(zero.message).toBe('tiêu chí TC3 (Tác dụng của học tập) được 0 điểm');
    expect(r.levels[0]!.rules[0]!.held).toBe(true);
  });
});

describe('evaluateCriteriaSet: levels (Learning Community commune sample, Circular 25-like)', () => {
  it('reaches level 2 when every indicator passes level 1 and the raised indicators of criteria 4–5 reach their level 2 thresholds', () => {
    const r = evaluateCriteriaSet(commune, scoresFor(commune, 8));
    expect(r.resultLevel).toBe('LEVEL_2');
    expect(r.resultLevelName).toBe('Mức 2 (Tốt)');
  });

  it('stays at level 1 when a raised indicator is below its level 2 threshold, naming it and the gap', () => {
    const r = evaluateCriteriaSet(commune, scoresFor(commune, 8, { '4.2': 6 }));
    expect(r.resultLevel).toBe('LEVEL_1');
    const l2 = r.levels.find((l) => l.level === 'LEVEL_2')!;
    expect(l2.held).toBe(false);
    expect(l2.rules[1]).toMatchObject({ kind: 'INDICATORS_PASS', held: false, failedIndicators: ['4.2'], shortfall: 1 });
    expect(l2.rules[1]!.message).toContain('4.2 (6 < 8 điểm)');
    expect(r.summary).toContain('Chưa đạt Mức 2 (Tốt)');
  });

  it('passes exactly at an indicator threshold', () => {
    const r = evaluateCriteriaSet(commune, scoresFor(commune, 5, { '4.1': 8, '4.2': 8, '5.1': 8, '5.2': 8 }));
    expect(r.resultLevel).toBe('LEVEL_2');
    expect(evaluateCriteriaSet(commune, scoresFor(commune, 5, { '2.1': 4.99 })).resultLevel).toBeNull();
  });

  it('does not give level 2 when its own conditions hold but level 1 does not', () => {
    // the raised indicators are full, but a pass/fail indicator of criterion 1 failed
    const r = evaluateCriteriaSet(commune, scoresFor(commune, 10, { '1.2': 0 }));
    expect(r.resultLevel).toBeNull();
    const l1 = r.levels.find((l) => l.level === 'LEVEL_1')!;
    expect(l1.rules[0]).toMatchObject({ held: false, failedIndicators: ['1.2'] });
    expect(l1.rules[0]!.message).toContain('1.2 (không đạt)');
    const l2 = r.levels.find((l) => l.level === 'LEVEL_2')!;
    expect(l2.rules[1]!.held).toBe(true);
    expect(l2.held).toBe(false);
    expect(l2.missingLowerLevel).toBe('LEVEL_1');
  });

  it('needs level 1 even without an explicit LEVEL_HOLDS rule', () => {
    const implicit = { ...commune, levels: commune.levels.map((l) => (l.level === 'LEVEL_2' ? { ...l, rules: l.rules.slice(1) } : l)) };
    const r = evaluateCriteriaSet(implicit, scoresFor(commune, 10, { '1.2': 0 }));
    expect(r.resultLevel).toBeNull();
    expect(r.levels[1]).toMatchObject({ rulesHeld: true, held: false, missingLowerLevel: 'LEVEL_1' });
  });

  it('knows raised indicators and their thresholds', () => {
    const ind = (code: string) => commune.criteria.flatMap((c) => c.indicators).find((i) => i.code === code)!;
    expect(isRaisedAt(ind('4.1'), 'LEVEL_2')).toBe(true);
    expect(isRaisedAt(ind('4.3'), 'LEVEL_2')).toBe(false);
    expect(thresholdAt(ind('4.3'), 'LEVEL_2')).toBe(5);
  });
});

describe('evaluateCriteriaSet: pass/fail indicators (Learning Clan sample)', () => {
  it('fails the title when the pass/fail indicator fails, whatever the points', () => {
    expect(evaluateCriteriaSet(clan, scoresFor(clan, 'MAX')).resultLevel).toBe('ACHIEVED');
    const r = evaluateCriteriaSet(clan, scoresFor(clan, 'MAX', { '2.1': 0 }));
    expect(r.totalPoints).toBe(100);
    expect(r.resultLevel).toBeNull();
    expect(r.levels[0]!.rules[2]).toMatchObject({ kind: 'INDICATORS_PASS', held: false, failedIndicators: ['2.1'] });
  });

  it('refuses pass/fail scores other than 0 and 1', () => {
    expect(() => evaluateCriteriaSet(clan, scoresFor(clan, 'MAX', { '2.1': 2 }))).toThrow(/đạt \(1\) hoặc không đạt \(0\)/);
  });
});

describe('evaluateCriteriaSet: scores it cannot evaluate', () => {
  it('refuses missing scores, naming them', () => {
    const s = scoresFor(family, 'MAX');
    delete s['2.3'];
    delete s['3.1'];
    expect(() => evaluateCriteriaSet(family, s)).toThrow('Chưa chấm 2 chỉ tiêu: 2.3, 3.1');
    try {
      evaluateCriteriaSet(family, s);
    } catch (err) {
      expect((err as { extensions: Record<string, unknown> }).extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        messageKey: 'MISSING_SCORES',
      });
    }
  });

  it('refuses unknown indicators and points above the maximum', () => {
    expect(() => evaluateCriteriaSet(family, scoresFor(family, 'MAX', { '9.9': 1 }))).toThrow(/không có chỉ tiêu: 9.9/);
    expect(() => evaluateCriteriaSet(family, scoresFor(family, 'MAX', { '1.1': 11 }))).toThrow(/từ 0 đến 10/);
    expect(() => evaluateCriteriaSet(family, scoresFor(family, 'MAX', { '1.1': -1 }))).toThrow(/từ 0 đến 10/);
  });
});

describe('criteria definitions', () => {
  it('refuses rules naming criteria or levels the set does not have', () => {
    const bad = {
      ...family,
      levels: [
        {
          level: 'ACHIEVED',
          rules: [
            { kind: 'NO_CRITERION_ZERO', criteria: ['TC9'] },
            { kind: 'LEVEL_HOLDS', level: 'LEVEL_1' },
          ],
        },
      ],
    };
    const r = criteriaDefinitionSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toEqual([
      'không có tiêu chí TC9',
      'LEVEL_HOLDS chỉ tham chiếu một mức thấp hơn có trong bộ',
    ]);
  });

  it('counts at least N passing indicators', () => {
    const def = criteriaDefinitionSchema.parse({
      ...family,
      levels: [{ level: 'ACHIEVED', rules: [{ kind: 'MIN_INDICATORS_PASS', level: 'ACHIEVED', criteria: ['TC1', 'TC2'], count: 5 }] }],
    });
    expect(evaluateCriteriaSet(def, scoresFor(family, 'MAX', { '1.1': 0 })).resultLevel).toBe('ACHIEVED');
    const r = evaluateCriteriaSet(def, scoresFor(family, 'MAX', { '1.1': 0, '1.2': 0 }));
    expect(r.resultLevel).toBeNull();
    expect(r.levels[0]!.rules[0]!.message).toBe('4/6 các chỉ tiêu của tiêu chí TC1, TC2 đạt ngưỡng Đạt, cần 5, thiếu 1 chỉ tiêu');
  });
});
