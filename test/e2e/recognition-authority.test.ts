import { createProvince, createUnit, eventually, gql, sql, tokenFor, uniqueCode } from '../support/stack';

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

    // the database refuses an overlap too, whatever writes it
    await expect(
      sql(
        'recognition',
        `insert into recognition_authority_rule (id, title, subject_level, deciding_level, deciding_role, authority_name, legal_basis,
           valid_from, created_by, updated_by)
         values (gen_random_uuid(), 'LEARNING_CLAN', 'CLAN', 'COMMUNE', 'ASSOCIATION_OFFICER', 'x', 'x', '2030-01-01', 't', 't')`,
      ),
    ).rejects.toThrow(/recognition_authority_rule_no_overlap/);

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

    const CHANGES = `query A($asOf: Date) { recognitionAuthorities(asOf: $asOf) { id changes { action changedBy validFrom validTo previousValidTo } } }`;
    const withChanges = await gql<{ recognitionAuthorities: { id: string; changes: unknown[] }[] }>(
      CHANGES,
      { asOf: '2100-01-01' },
      { token: admin },
    );
    expect(withChanges.errors).toBeUndefined();
    expect(withChanges.data!.recognitionAuthorities.find((r) => r.id === rule.id)!.changes).toEqual([
      { action: 'ADDED', changedBy: 'admin-authority-test', validFrom: '2100-01-01', validTo: null, previousValidTo: null },
    ]);
    const oldChanges = await gql<{ recognitionAuthorities: { id: string; changes: unknown[] }[] }>(
      CHANGES,
      { asOf: '2026-01-01' },
      { token: admin },
    );
    expect(oldChanges.data!.recognitionAuthorities.find((r) => r.id === shipped.id)!.changes).toEqual([
      { action: 'ENDED', changedBy: 'admin-authority-test', validFrom: '2025-07-01', validTo: '2099-12-31', previousValidTo: null },
    ]);
    const notAdmin = await gql(CHANGES, { asOf: '2026-01-01' }, { token: await tokenFor([{ role: 'STEERING_COMMITTEE' }]) });
    expect(notAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

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

const CYCLE_FIELDS = `id year title titleName subjectLevel name decidingUnit { id name kind } criteriaSetId submissionDeadline decisionDeadline
  validityMonths status submissionOpen submissionOverdue decisionOverdue createdBy
  authority { id decidingLevel decidingRole authorityName validFrom validTo }`;
const OPEN_CYCLE = `mutation Open($input: OpenRecognitionCycleInput!) { openRecognitionCycle(input: $input) { cycle { ${CYCLE_FIELDS} } } }`;
const CYCLE = `query C($id: ID!) { recognitionCycle(id: $id) { ${CYCLE_FIELDS} } }`;
const CYCLES = `query L($year: Int, $title: LearningTitle, $unitId: ID, $first: Int, $after: String) {
  recognitionCycles(year: $year, title: $title, unitId: $unitId, first: $first, after: $after) {
    totalCount edges { cursor node { id name year title decidingUnit { id } } } pageInfo { hasNextPage endCursor }
  }
}`;

const cyclesOf = async (unitIds: string[]) =>
  Number(
    (
      await sql<{ n: number }>('recognition', 'select count(*)::int as n from recognition_cycle where deciding_unit_id = any($1::uuid[])', [
        unitIds,
      ])
    )[0]!.n,
  );
const inReplica = (ids: string[]) =>
  eventually(
    async () => {
      const rows = await sql('recognition', 'select distinct unit_id from admin_unit_version_replica where unit_id = any($1::uuid[])', [
        ids,
      ]);
      return rows.length === ids.length ? true : undefined;
    },
    30000,
    'units in the recognition replica',
  );

describe('recognition cycles, opened by the deciding authority', () => {
  let province: { id: string };
  let communeA: { id: string; name: string };
  let communeB: { id: string };
  let oldDistrict: { id: string };

  beforeAll(async () => {
    ({ province } = await createProvince('Việt Nam (đợt công nhận)', 'Tỉnh Bắc Ninh'));
    communeA = await createUnit({
      code: uniqueCode(),
      name: 'Xã Tân Yên',
      kind: 'COMMUNE',
      parentId: province.id,
      validFrom: '2025-07-01',
    });
    communeB = await createUnit({
      code: uniqueCode(),
      name: 'Xã Lạng Giang',
      kind: 'COMMUNE',
      parentId: province.id,
      validFrom: '2025-07-01',
    });
    // a three-tier structure in force since 2020, for cycles decided before the reform
    const oldNation = await createUnit({ code: uniqueCode(), name: 'Việt Nam (trước 2025)', kind: 'NATION', validFrom: '2020-01-01' });
    const oldProvince = await createUnit({
      code: uniqueCode(),
      name: 'Tỉnh Bắc Giang',
      kind: 'PROVINCE',
      parentId: oldNation.id,
      validFrom: '2020-01-01',
    });
    oldDistrict = await createUnit({
      code: uniqueCode(),
      name: 'Huyện Tân Yên',
      kind: 'DISTRICT',
      parentId: oldProvince.id,
      validFrom: '2020-01-01',
    });
    await inReplica([province.id, communeA.id, communeB.id, oldDistrict.id]);
  });

  it('the commune association officer opens a Learning Family cycle with the default deadlines', async () => {
    const officer = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: communeA.id }], 'hkh-tan-yen');
    const res = await gql(
      OPEN_CYCLE,
      { input: { year: 2030, title: 'LEARNING_FAMILY', subjectLevel: 'HOUSEHOLD', decidingUnitId: communeA.id } },
      { token: officer },
    );
    expect(res.errors).toBeUndefined();
    const cycle = res.data!.openRecognitionCycle.cycle;
    expect(cycle).toMatchObject({
      year: 2030,
      title: 'LEARNING_FAMILY',
      titleName: 'Gia đình học tập',
      subjectLevel: 'HOUSEHOLD',
      name: 'Công nhận Gia đình học tập năm 2030 – Xã Tân Yên',
      decidingUnit: { id: communeA.id, name: 'Xã Tân Yên', kind: 'COMMUNE' },
      criteriaSetId: null,
      submissionDeadline: '2031-01-15',
      decisionDeadline: '2031-02-15',
      validityMonths: 36,
      status: 'OPEN',
      submissionOpen: true,
      submissionOverdue: false,
      decisionOverdue: false,
      createdBy: 'hkh-tan-yen',
      authority: {
        decidingLevel: 'COMMUNE',
        decidingRole: 'ASSOCIATION_OFFICER',
        authorityName: 'Chủ tịch UBND cấp xã',
        validFrom: '2025-07-01',
      },
    });
    const stored = await sql('recognition', 'select authority_rule_id, status from recognition_cycle where id = $1', [cycle.id]);
    expect(stored).toEqual([{ authority_rule_id: cycle.authority.id, status: 'OPEN' }]);
    expect((await gql(CYCLE, { id: cycle.id })).data!.recognitionCycle).toEqual(cycle);

    const again = await gql(
      OPEN_CYCLE,
      { input: { year: 2030, title: 'LEARNING_FAMILY', subjectLevel: 'HOUSEHOLD', decidingUnitId: communeA.id } },
      { token: officer },
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'CYCLE_EXISTS' });
    expect(await cyclesOf([communeA.id])).toBe(1);
  });

  it('the province education officer opens the commune Learning Community cycle; deadlines past are flagged', async () => {
    const officer = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: province.id }]);
    const res = await gql(
      OPEN_CYCLE,
      {
        input: {
          year: 2025,
          title: 'LEARNING_COMMUNITY',
          subjectLevel: 'COMMUNE',
          decidingUnitId: province.id,
          name: 'Công nhận Cộng đồng học tập cấp xã năm 2025',
          validityMonths: 24,
          submissionDeadline: '2026-02-28',
          decisionDeadline: '2026-03-31',
        },
      },
      { token: officer },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.openRecognitionCycle.cycle).toMatchObject({
      name: 'Công nhận Cộng đồng học tập cấp xã năm 2025',
      validityMonths: 24,
      submissionOpen: false,
      submissionOverdue: true,
      decisionOverdue: true,
      authority: { decidingLevel: 'PROVINCE', authorityName: 'Chủ tịch UBND cấp tỉnh' },
    });

    // a commune's list shows the cycles decided by it and by the province above it; the province's those below it too
    const forCommune = await gql(CYCLES, { unitId: communeA.id });
    expect(forCommune.errors).toBeUndefined();
    expect(forCommune.data!.recognitionCycles.totalCount).toBe(2);
    expect(forCommune.data!.recognitionCycles.edges.map((e: { node: { year: number } }) => e.node.year)).toEqual([2030, 2025]);
    const forCommuneB = await gql(CYCLES, { unitId: communeB.id });
    expect(forCommuneB.data!.recognitionCycles.totalCount).toBe(1);
    const page = await gql(CYCLES, { unitId: province.id, first: 1 });
    expect(page.data!.recognitionCycles).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const next = await gql(CYCLES, { unitId: province.id, first: 1, after: page.data!.recognitionCycles.pageInfo.endCursor });
    expect(next.data!.recognitionCycles.edges[0].node.year).toBe(2025);
    const byTitle = await gql(CYCLES, { unitId: province.id, title: 'LEARNING_FAMILY', year: 2030 });
    expect(byTitle.data!.recognitionCycles.totalCount).toBe(1);
  });

  it('before the reform the district decided Learning Units and commune communities', async () => {
    const districtOfficer = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: oldDistrict.id }]);
    const unit = await gql(
      OPEN_CYCLE,
      { input: { year: 2024, title: 'LEARNING_UNIT', subjectLevel: 'ORGANIZATION', decidingUnitId: oldDistrict.id } },
      { token: districtOfficer },
    );
    expect(unit.errors).toBeUndefined();
    expect(unit.data!.openRecognitionCycle.cycle).toMatchObject({
      submissionDeadline: '2025-01-15',
      decisionDeadline: '2025-02-15',
      authority: { decidingLevel: 'DISTRICT', authorityName: 'Chủ tịch UBND cấp huyện', validTo: '2025-06-30' },
    });
    const community = await gql(OPEN_CYCLE, {
      input: { year: 2024, title: 'LEARNING_COMMUNITY', subjectLevel: 'COMMUNE', decidingUnitId: oldDistrict.id },
    });
    expect(community.errors).toBeUndefined();
    expect(community.data!.openRecognitionCycle.cycle).toMatchObject({ submissionDeadline: '2025-02-28', decisionDeadline: '2025-03-31' });
    // for 2025 the decision falls after the reform: Learning Units go to the commune
    const after = await gql(
      OPEN_CYCLE,
      { input: { year: 2025, title: 'LEARNING_UNIT', subjectLevel: 'ORGANIZATION', decidingUnitId: oldDistrict.id } },
      { token: districtOfficer },
    );
    expect(after.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'WRONG_DECIDING_UNIT_KIND',
      field: ['input', 'decidingUnitId'],
    });
    expect(after.errors?.[0]?.message).toMatch(/Chủ tịch UBND cấp xã/);
    expect(await cyclesOf([oldDistrict.id])).toBe(2);
  });

  it('refuses the wrong role, an officer out of scope and a unit of the wrong kind, writing nothing', async () => {
    const before = await cyclesOf([communeA.id, communeB.id, province.id]);
    const family = { year: 2029, title: 'LEARNING_FAMILY', subjectLevel: 'HOUSEHOLD', decidingUnitId: communeA.id };

    const wrongRole = await gql(
      OPEN_CYCLE,
      { input: family },
      { token: await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: communeA.id }]) },
    );
    expect(wrongRole.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'NOT_DECIDING_AUTHORITY' });
    expect(wrongRole.errors?.[0]?.message).toMatch(/Chủ tịch UBND cấp xã/);
    const communeOfficer = await gql(
      OPEN_CYCLE,
      { input: family },
      { token: await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeA.id }]) },
    );
    expect(communeOfficer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'NOT_DECIDING_AUTHORITY' });

    const outOfScope = await gql(
      OPEN_CYCLE,
      { input: family },
      { token: await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: communeB.id }]) },
    );
    expect(outOfScope.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'NOT_DECIDING_AUTHORITY' });

    // the province association covers the commune but the family title is decided at commune level
    const provinceAssociation = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: province.id }]);
    const wrongKind = await gql(OPEN_CYCLE, { input: { ...family, decidingUnitId: province.id } }, { token: provinceAssociation });
    expect(wrongKind.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'WRONG_DECIDING_UNIT_KIND' });
    // ... and the commune Learning Community is decided by the province, not the commune
    const communeEducation = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: communeA.id }]);
    const community = await gql(
      OPEN_CYCLE,
      { input: { year: 2029, title: 'LEARNING_COMMUNITY', subjectLevel: 'COMMUNE', decidingUnitId: communeA.id } },
      { token: communeEducation },
    );
    expect(community.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'WRONG_DECIDING_UNIT_KIND' });
    expect(community.errors?.[0]?.message).toMatch(/Chủ tịch UBND cấp tỉnh/);

    // a unit the replica has never heard of
    const unknownUnit = await gql(OPEN_CYCLE, { input: { ...family, decidingUnitId: '00000000-0000-4000-8000-000000000000' } });
    expect(unknownUnit.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'DECIDING_UNIT_NOT_FOUND' });

    expect(await cyclesOf([communeA.id, communeB.id, province.id])).toBe(before);
  });

  it('refuses bad input: decision before submission, years outside the movement, levels the title has not', async () => {
    const before = await cyclesOf([communeA.id, province.id]);
    const family = { year: 2028, title: 'LEARNING_FAMILY', subjectLevel: 'HOUSEHOLD', decidingUnitId: communeA.id };
    const reversed = await gql(OPEN_CYCLE, { input: { ...family, submissionDeadline: '2029-02-15', decisionDeadline: '2029-02-14' } });
    expect(reversed.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'DECISION_BEFORE_SUBMISSION',
      field: ['input', 'decisionDeadline'],
    });
    const onlyDecision = await gql(OPEN_CYCLE, { input: { ...family, decisionDeadline: '2029-01-01' } });
    expect(onlyDecision.errors?.[0]?.extensions?.messageKey).toBe('DECISION_BEFORE_SUBMISSION');
    const year = await gql(OPEN_CYCLE, { input: { ...family, year: 2031 } });
    expect(year.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'year'] });
    const level = await gql(OPEN_CYCLE, { input: { ...family, subjectLevel: 'COMMUNE' } });
    expect(level.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'SUBJECT_LEVEL_NOT_VALID' });
    const district = await gql(OPEN_CYCLE, {
      input: { year: 2026, title: 'LEARNING_COMMUNITY', subjectLevel: 'DISTRICT', decidingUnitId: province.id },
    });
    expect(district.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'SUBJECT_LEVEL_NOT_VALID' });
    const validity = await gql(OPEN_CYCLE, { input: { ...family, validityMonths: 0 } });
    expect(validity.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'validityMonths'] });
    expect(await cyclesOf([communeA.id, province.id])).toBe(before);
  });
});
