import {
  decidingAuthority,
  subjectLevelProblem,
  SHIPPED_AUTHORITY_RULES,
  TITLE_SUBJECT_LEVELS,
  type AuthorityRule,
} from './deciding-authority';

const rules = SHIPPED_AUTHORITY_RULES as readonly AuthorityRule[];
const who = (title: string, level: string, asOf: string) => {
  const r = decidingAuthority(rules, title, level, asOf);
  return r && `${r.decidingLevel}/${r.decidingRole}/${r.authorityName}`;
};

describe('decidingAuthority over the shipped configuration', () => {
  it('before 2025-07-01 the district decides commune communities and learning units, the province district communities', () => {
    expect(who('LEARNING_COMMUNITY', 'COMMUNE', '2025-03-31')).toBe('DISTRICT/EDUCATION_OFFICER/Chủ tịch UBND cấp huyện');
    expect(who('LEARNING_UNIT', 'ORGANIZATION', '2025-02-15')).toBe('DISTRICT/EDUCATION_OFFICER/Chủ tịch UBND cấp huyện');
    expect(who('LEARNING_COMMUNITY', 'DISTRICT', '2024-05-31')).toBe('PROVINCE/EDUCATION_OFFICER/Chủ tịch UBND cấp tỉnh');
    expect(who('LEARNING_FAMILY', 'HOUSEHOLD', '2024-12-31')).toBe('COMMUNE/ASSOCIATION_OFFICER/Chủ tịch UBND cấp xã');
  });

  it('from 2025-07-01 the commune decides units, families, clans, citizens and village communities; the province commune communities', () => {
    expect(who('LEARNING_UNIT', 'ORGANIZATION', '2026-02-15')).toBe('COMMUNE/EDUCATION_OFFICER/Chủ tịch UBND cấp xã');
    expect(who('LEARNING_COMMUNITY', 'COMMUNE', '2026-03-31')).toBe('PROVINCE/EDUCATION_OFFICER/Chủ tịch UBND cấp tỉnh');
    const pairs: [string, string][] = [
      ['LEARNING_FAMILY', 'HOUSEHOLD'],
      ['LEARNING_CLAN', 'CLAN'],
      ['LEARNING_CITIZEN', 'PERSON'],
      ['LEARNING_COMMUNITY', 'VILLAGE'],
    ];
    for (const [title, level] of pairs) {
      expect(who(title, level, '2026-02-15')).toBe('COMMUNE/ASSOCIATION_OFFICER/Chủ tịch UBND cấp xã');
    }
    expect(who('LEARNING_COMMUNITY', 'PROVINCE', '2026-06-30')).toBe('NATION/EDUCATION_OFFICER/Bộ trưởng Bộ Giáo dục và Đào tạo');
  });

  it('the boundary: 2025-06-30 is the last day of the old rules, 2025-07-01 the first of the new', () => {
    expect(who('LEARNING_COMMUNITY', 'COMMUNE', '2025-06-30')).toMatch(/^DISTRICT\//);
    expect(who('LEARNING_COMMUNITY', 'COMMUNE', '2025-07-01')).toMatch(/^PROVINCE\//);
    expect(who('LEARNING_UNIT', 'ORGANIZATION', '2025-06-30')).toMatch(/^DISTRICT\//);
    expect(who('LEARNING_UNIT', 'ORGANIZATION', '2025-07-01')).toMatch(/^COMMUNE\//);
    expect(decidingAuthority(rules, 'LEARNING_FAMILY', 'HOUSEHOLD', '2025-06-30')!.validTo).toBe('2025-06-30');
    expect(decidingAuthority(rules, 'LEARNING_FAMILY', 'HOUSEHOLD', '2025-07-01')!.validFrom).toBe('2025-07-01');
  });

  it('no rule: district communities after the reform, dates before the configuration, unknown pairs', () => {
    expect(decidingAuthority(rules, 'LEARNING_COMMUNITY', 'DISTRICT', '2025-06-30')).not.toBeNull();
    expect(decidingAuthority(rules, 'LEARNING_COMMUNITY', 'DISTRICT', '2025-07-01')).toBeNull();
    expect(decidingAuthority(rules, 'LEARNING_FAMILY', 'HOUSEHOLD', '2022-12-31')).toBeNull();
    expect(decidingAuthority(rules, 'LEARNING_FAMILY', 'PERSON', '2026-01-01')).toBeNull();
    expect(decidingAuthority([], 'LEARNING_FAMILY', 'HOUSEHOLD', '2026-01-01')).toBeNull();
  });

  it('inclusive end dates and open-ended rules in a hand-made table', () => {
    const base = { ...rules[0]!, title: 'LEARNING_CLAN', subjectLevel: 'CLAN' };
    const table = [
      { ...base, id: 'a', validFrom: '2030-01-01', validTo: '2030-01-31' },
      { ...base, id: 'b', validFrom: '2030-02-01', validTo: null },
    ];
    expect(decidingAuthority(table, 'LEARNING_CLAN', 'CLAN', '2030-01-01')?.id).toBe('a');
    expect(decidingAuthority(table, 'LEARNING_CLAN', 'CLAN', '2030-01-31')?.id).toBe('a');
    expect(decidingAuthority(table, 'LEARNING_CLAN', 'CLAN', '2030-02-01')?.id).toBe('b');
    expect(decidingAuthority(table, 'LEARNING_CLAN', 'CLAN', '2099-12-31')?.id).toBe('b');
    expect(decidingAuthority(table, 'LEARNING_CLAN', 'CLAN', '2029-12-31')).toBeNull();
  });
});

describe('the shipped configuration is consistent', () => {
  it('covers every title and subject level on both sides of the reform, without overlaps', () => {
    for (const [title, levels] of Object.entries(TITLE_SUBJECT_LEVELS)) {
      for (const level of levels) {
        expect([title, level, who(title, level, '2025-06-30') !== null]).toEqual([title, level, true]);
        expect([title, level, who(title, level, '2025-07-01') !== null]).toEqual([title, level, level !== 'DISTRICT']);
      }
    }
    for (const a of rules)
      for (const b of rules) {
        if (a === b || a.title !== b.title || a.subjectLevel !== b.subjectLevel) continue;
        const overlap = a.validFrom <= (b.validTo ?? '9999-12-31') && b.validFrom <= (a.validTo ?? '9999-12-31');
        expect([a.id, b.id, overlap]).toEqual([a.id, b.id, false]);
      }
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) expect(r.legalBasis).toMatch(/387\/QĐ-TTg/);
    for (const r of rules.filter((r) => r.validFrom === '2025-07-01')) {
      expect(r.legalBasis).toMatch(/Luật Tổ chức chính quyền địa phương 2025/);
      expect(r.legalBasis).toMatch(/202\/2025\/QH15/);
    }
  });

  it('subject levels per title, and no district level after the reform', () => {
    expect(subjectLevelProblem('LEARNING_FAMILY', 'HOUSEHOLD', '2026-01-01')).toBeNull();
    expect(subjectLevelProblem('LEARNING_FAMILY', 'COMMUNE', '2026-01-01')).toMatch(/hộ gia đình/);
    expect(subjectLevelProblem('LEARNING_COMMUNITY', 'DISTRICT', '2025-06-30')).toBeNull();
    expect(subjectLevelProblem('LEARNING_COMMUNITY', 'DISTRICT', '2025-07-01')).toMatch(/cấp huyện/);
    expect(subjectLevelProblem('LEARNING_UNIT', 'ORGANIZATION', '2026-01-01')).toBeNull();
  });
});
