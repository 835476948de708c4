import { gql, sql, tokenFor } from '../support/stack';

const RULE_FIELDS =
  'id title subjectLevel decidingLevel decidingLevelName decidingRole authorityName legalBasis validFrom validTo createdBy';
const AUTHORITY = `query A($title: LearningTitle!, $level: RecognitionSubjectLevel!, $asOf: Date) {
  recognitionAuthority(title: $title, subjectLevel: $level, asOf: $asOf) { ${RULE_FIELDS} }
}`;
const AUTHORITIES = `query A($asOf: Date) { recognitionAuthorities(asOf: $asOf) { ${RULE_FIELDS} } }`;
const ADD_RULE = `mutation Add($input: AddRecognitionAuthorityRuleInput!) { addRecognitionAuthorityRule(input: $input) { rule { ${RULE_FIELDS} } } }`;
const END_RULE = `mutation End($input: EndRecognitionAuthorityRuleInput!) { endRecognitionAuthorityRule(input: $input) { rule { ${RULE_FIELDS} updatedBy } } }`;

const ruleCount = async () =>
  Number((await sql<{ n: number }>('recognition', 'select count(*)::int as n from recognition_authority_rule'))[0]!.n);
const changeCount = async () =>
  Number((await sql<{ n: number }>('recognition', 'select count(*)::int as n from recognition_authority_rule_change'))[0]!.n);

describe('recognition authority rules, through the gateway', () => {
  it('ships the rules before and after the reform of 2025-07-01', async () => {
    const at = async (title: string, level: string, asOf: string) => {
      const res = await gql(AUTHORITY, { title, level, asOf });
      expect(res.errors).toBeUndefined();
      return res.data!.recognitionAuthority;
    };
    const before = await at('LEARNING_COMMUNITY', 'COMMUNE', '2025-06-30');
    expect(before).toMatchObject({
      decidingLevel: 'DISTRICT',
      decidingRole: 'EDUCATION_OFFICER',
      authorityName: 'Chủ tịch UBND cấp huyện',
    });
    expect(before.legalBasis).toMatch(/25\/2023\/TT-BGDĐT/);
    expect(before.validTo).toBe('2025-06-30');
    const after = await at('LEARNING_COMMUNITY', 'COMMUNE', '2025-07-01');
    expect(after).toMatchObject({
      decidingLevel: 'PROVINCE',
      authorityName: 'Chủ tịch UBND cấp tỉnh',
      validFrom: '2025-07-01',
      validTo: null,
    });
    expect(after.legalBasis).toMatch(/Luật Tổ chức chính quyền địa phương 2025/);
    expect(await at('LEARNING_UNIT', 'ORGANIZATION', '2025-02-15')).toMatchObject({ decidingLevel: 'DISTRICT' });
    expect(await at('LEARNING_UNIT', 'ORGANIZATION', '2026-02-15')).toMatchObject({
      decidingLevel: 'COMMUNE',
      decidingLevelName: 'cấp xã',
    });
    expect(await at('LEARNING_FAMILY', 'HOUSEHOLD', '2026-02-15')).toMatchObject({
      decidingLevel: 'COMMUNE',
      decidingRole: 'ASSOCIATION_OFFICER',
      authorityName: 'Chủ tịch UBND cấp xã',
    });
    expect(await at('LEARNING_COMMUNITY', 'DISTRICT', '2025-06-30')).toMatchObject({ decidingLevel: 'PROVINCE' });
    expect(await at('LEARNING_COMMUNITY', 'DISTRICT', '2025-07-01')).toBeNull();

    const list = async (asOf: string) => {
      const res = await gql<{ recognitionAuthorities: { title: string; subjectLevel: string; decidingLevel: string }[] }>(AUTHORITIES, {
        asOf,
      });
      expect(res.errors).toBeUndefined();
      return res.data!.recognitionAuthorities.map((r) => `${r.title}/${r.subjectLevel}→${r.decidingLevel}`).sort();
    };
    expect(await list('2025-06-30')).toEqual([
      'LEARNING_CITIZEN/PERSON→COMMUNE',
      'LEARNING_CLAN/CLAN→COMMUNE',
      'LEARNING_COMMUNITY/COMMUNE→DISTRICT',
      'LEARNING_COMMUNITY/DISTRICT→PROVINCE',
      'LEARNING_COMMUNITY/PROVINCE→NATION',
      'LEARNING_COMMUNITY/VILLAGE→COMMUNE',
      'LEARNING_FAMILY/HOUSEHOLD→COMMUNE',
      'LEARNING_UNIT/ORGANIZATION→DISTRICT',
    ]);
    expect(await list('2025-07-01')).toEqual([
      'LEARNING_CITIZEN/PERSON→COMMUNE',
      'LEARNING_CLAN/CLAN→COMMUNE',
      'LEARNING_COMMUNITY/COMMUNE→PROVINCE',
      'LEARNING_COMMUNITY/PROVINCE→NATION',
      'LEARNING_COMMUNITY/VILLAGE→COMMUNE',
      'LEARNING_FAMILY/HOUSEHOLD→COMMUNE',
      'LEARNING_UNIT/ORGANIZATION→COMMUNE',
    ]);
  });

  const futureRule = {
    title: 'LEARNING_CLAN',
    subjectLevel: 'CLAN',
    decidingLevel: 'COMMUNE',
    decidingRole: 'ASSOCIATION_OFFICER',
    authorityName: 'Chủ tịch UBND cấp xã',
    legalBasis: 'Quy định giả định cho kiểm thử',
    validFrom: '2100-01-01',
  };

  it('refuses an overlapping rule and a non-administrator, writing nothing', async () => {
    const rules = await ruleCount();
    const changes = await changeCount();
    // the shipped post-reform clan rule is open-ended
    const overlap = await gql(ADD_RULE, { input: futureRule });
    expect(overlap.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'AUTHORITY_RULE_OVERLAP' });
    expect(overlap.errors?.[0]?.message).toMatch(/trùng thời gian/);
    const inside = await gql(ADD_RULE, { input: { ...futureRule, validFrom: '2024-01-01', validTo: '2024-12-31' } });
    expect(inside.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'AUTHORITY_RULE_OVERLAP' });

    const officer = await tokenFor([{ role: 'EDUCATION_OFFICER' }]);
    const notAdmin = await gql(ADD_RULE, { input: { ...futureRule, validFrom: '2200-01-01' } }, { token: officer });
    expect(notAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const shipped = (await gql(AUTHORITY, { title: 'LEARNING_CLAN', level: 'CLAN', asOf: '2026-01-01' })).data!.recognitionAuthority;
    const endNotAdmin = await gql(END_RULE, { input: { id: shipped.id, validTo: '2099-12-31' } }, { token: officer });
    expect(endNotAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const bad = await gql(ADD_RULE, { input: { ...futureRule, subjectLevel: 'HOUSEHOLD' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'subjectLevel'] });

    expect(await ruleCount()).toBe(rules);
    expect(await changeCount()).toBe(changes);
    const after = (await gql(AUTHORITY, { title: 'LEARNING_CLAN', level: 'CLAN', asOf: '2026-01-01' })).data!.recognitionAuthority;
    expect(after.validTo).toBeNull();
  });

  it('ends a rule and adds its successor, audited with who and when', async () => {
    const admin = await tokenFor([{ role: 'SYSTEM_ADMIN' }], 'admin-authority-test');
    const shipped = (await gql(AUTHORITY, { title: 'LEARNING_CLAN', level: 'CLAN', asOf: '2026-01-01' })).data!.recognitionAuthority;
    const early = await gql(END_RULE, { input: { id: shipped.id, validTo: '2025-06-30' } }, { token: admin });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'END_BEFORE_START' });

    const ended = await gql(END_RULE, { input: { id: shipped.id, validTo: '2099-12-31' } }, { token: admin });
    expect(ended.errors).toBeUndefined();
    expect(ended.data!.endRecognitionAuthorityRule.rule).toMatchObject({ validTo: '2099-12-31', updatedBy: 'admin-authority-test' });

    const added = await gql(ADD_RULE, { input: futureRule }, { token: admin });
    expect(added.errors).toBeUndefined();
    const rule = added.data!.addRecognitionAuthorityRule.rule;
    expect(rule).toMatchObject({ ...futureRule, validTo: null, createdBy: 'admin-authority-test' });
    expect((await gql(AUTHORITY, { title: 'LEARNING_CLAN', level: 'CLAN', asOf: '2099-12-31' })).data!.recognitionAuthority.id).toBe(
      shipped.id,
    );
    expect((await gql(AUTHORITY, { title: 'LEARNING_CLAN', level: 'CLAN', asOf: '2100-01-01' })).data!.recognitionAuthority.id).toBe(
      rule.id,
    );

    // extending the old rule again would overlap its successor
    const extend = await gql(END_RULE, { input: { id: shipped.id, validTo: '2100-06-30' } }, { token: admin });
    expect(extend.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'AUTHORITY_RULE_OVERLAP' });

    const audit = await sql<{ rule_id: string; action: string; changed_by: string; before: { validTo: string | null } | null }>(
      'recognition',
      'select rule_id, action, changed_by, before from recognition_authority_rule_change where rule_id = any($1::uuid[]) order by changed_at',
      [[shipped.id, rule.id]],
    );
    expect(audit).toEqual([
      { rule_id: shipped.id, action: 'ENDED', changed_by: 'admin-authority-test', before: expect.objectContaining({ validTo: null }) },
      { rule_id: rule.id, action: 'ADDED', changed_by: 'admin-authority-test', before: null },
    ]);
  });
});
