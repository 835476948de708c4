import { describeQuota, describeRule, eligibilityRules, quotaInput, quotaLimit } from './eligibility-rules';

describe('eligibility rules and quotas as data', () => {
  it('reads rules in every kind, optional fields absent or null', () => {
    const parsed = eligibilityRules.parse([
      { kind: 'TITLE_CONSECUTIVE_YEARS', title: 'LEARNING_FAMILY', years: 3, endingYear: null },
      { kind: 'TITLE_HELD', title: 'LEARNING_COMMUNITY', year: 2025, minLevel: 'LEVEL_2' },
      { kind: 'SUBJECT_KIND', kinds: ['HOUSEHOLD'], title: null },
    ]);
    expect(parsed).toEqual([
      { kind: 'TITLE_CONSECUTIVE_YEARS', title: 'LEARNING_FAMILY', years: 3 },
      { kind: 'TITLE_HELD', title: 'LEARNING_COMMUNITY', year: 2025, minLevel: 'LEVEL_2' },
      { kind: 'SUBJECT_KIND', kinds: ['HOUSEHOLD'] },
    ]);
    expect(parsed.map((r) => describeRule(r, 2026))).toEqual([
      'Đạt danh hiệu Gia đình học tập 3 năm liên tục (2023–2025), không năm nào bị thu hồi',
      'Đạt danh hiệu Cộng đồng học tập năm 2025 từ Mức 2 (Tốt) trở lên',
      'Đối tượng là hộ gia đình',
    ]);
  });

  it.each([
    ['a streak without its length', { kind: 'TITLE_CONSECUTIVE_YEARS', title: 'LEARNING_FAMILY' }, '0.years'],
    ['a streak of no years', { kind: 'TITLE_CONSECUTIVE_YEARS', title: 'LEARNING_FAMILY', years: 0 }, '0.years'],
    ['a title that does not exist', { kind: 'TITLE_HELD', title: 'LEARNING_VILLAGE', year: 2025 }, '0.title'],
    ['a field another kind takes', { kind: 'TITLE_HELD', title: 'LEARNING_FAMILY', year: 2025, years: 3 }, '0'],
    ['an unknown kind', { kind: 'TITLE_EVER' }, '0.kind'],
    ['no kinds', { kind: 'SUBJECT_KIND', kinds: [] }, '0.kinds'],
  ])('refuses %s, naming where', (_, rule, path) => {
    const parsed = eligibilityRules.safeParse([rule]);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('a quota is a count or a share of another form, never both', () => {
    expect(quotaInput.parse({ count: 12 })).toEqual({ kind: 'COUNT', count: 12 });
    expect(quotaInput.parse({ sharePercent: 15, ofFormCode: 'LAO_DONG_TIEN_TIEN', count: null })).toEqual({
      kind: 'SHARE',
      percent: 15,
      ofFormCode: 'LAO_DONG_TIEN_TIEN',
    });
    expect(quotaInput.safeParse({ count: 3, sharePercent: 15, ofFormCode: 'LAO_DONG_TIEN_TIEN' }).success).toBe(false);
    expect(quotaInput.safeParse({ sharePercent: 15 }).success).toBe(false);
    expect(quotaInput.safeParse({}).success).toBe(false);
    expect(quotaInput.safeParse({ sharePercent: 120, ofFormCode: 'LAO_DONG_TIEN_TIEN' }).success).toBe(false);
  });

  it("a share quota allows its percentage of the base form's awards, rounded down", () => {
    const share = { kind: 'SHARE', percent: 15, ofFormCode: 'LAO_DONG_TIEN_TIEN' } as const;
    expect(quotaLimit(share, new Map([['LAO_DONG_TIEN_TIEN', 20]]))).toBe(3);
    expect(quotaLimit(share, new Map([['LAO_DONG_TIEN_TIEN', 19]]))).toBe(2);
    expect(quotaLimit(share, new Map())).toBe(0);
    expect(quotaLimit({ kind: 'COUNT', count: 7 }, new Map())).toBe(7);
    expect(describeQuota(share, () => 'Danh hiệu "Lao động tiên tiến"')).toBe(
      'Tối đa 15% số Danh hiệu "Lao động tiên tiến" được khen thưởng trong đợt',
    );
  });
});
