import { collectTopic, eventually, gql, sql, tokenFor, uniqueCode } from '../support/stack';

const TOPIC = 'xhht.recognition.events';
type Msg = { type: string; subject: string; data: Record<string, any> };

const SET_FIELDS = `id code version title titleName subjectLevel name legalBasis validFrom validTo status statusName sample sampleNote
  maxPoints indicatorCount
  criteria { code name maxPoints indicators { code text scoring maxPoints evidenceRequired evidenceDescription thresholds { level points } raisedAt } }
  levels { level name rules { kind points criteria indicators level count raisedOnly description } }`;
const CREATE = `mutation($input: CreateCriteriaSetInput!) { createCriteriaSet(input: $input) { criteriaSet { ${SET_FIELDS} } } }`;
const UPDATE = `mutation($input: UpdateCriteriaSetDraftInput!) { updateCriteriaSetDraft(input: $input) { criteriaSet { ${SET_FIELDS} } } }`;
const PUBLISH = `mutation($input: PublishCriteriaSetInput!) { publishCriteriaSet(input: $input) { criteriaSet { id status version } retired { id status version } } }`;
const RETIRE = `mutation($input: RetireCriteriaSetInput!) { retireCriteriaSet(input: $input) { criteriaSet { id status } } }`;
const NEW_VERSION = `mutation($input: NewCriteriaSetVersionInput!) { newCriteriaSetVersion(input: $input) { criteriaSet { ${SET_FIELDS} } } }`;
const EVALUATE = `query($id: ID!, $scores: [IndicatorScoreInput!]!) { evaluateCriteriaSet(id: $id, scores: $scores) {
  resultLevel resultLevelName totalPoints maxPoints summary
  criteria { code points zero }
  levels { level held rulesHeld missingLowerLevel rules { kind held message shortfall failedCriteria failedIndicators } } } }`;

/** A small Learning Family set: two criteria, one pass/fail indicator, achieved at ≥ 15 points and no criterion at 0. */
const familyDefinition = {
  criteria: [
    {
      code: 'TC1',
      name: 'Điều kiện học tập',
      indicators: [
        {
          code: '1.1',
          text: 'Có kế hoạch học tập',
          scoring: 'POINTS',
          maxPoints: 10,
          evidenceRequired: true,
          evidenceDescription: 'Kế hoạch',
        },
        { code: '1.2', text: 'Có góc học tập', scoring: 'PASS_FAIL' },
      ],
    },
    { code: 'TC2', name: 'Kết quả học tập', indicators: [{ code: '2.1', text: 'Trẻ em đến trường', scoring: 'POINTS', maxPoints: 10 }] },
  ],
  levels: [
    {
      level: 'ACHIEVED',
      rules: [{ kind: 'TOTAL_AT_LEAST', points: 15 }, { kind: 'NO_CRITERION_ZERO' }],
    },
  ],
};

let events: { messages: { value: Buffer | null }[]; stop: () => Promise<void> };
const published = () => events.messages.map((m) => JSON.parse(m.value!.toString()) as Msg);

beforeAll(async () => {
  events = await collectTopic(TOPIC);
});
afterAll(() => events.stop());

describe('criteria sets through the gateway', () => {
  it('ships published samples for all five titles, marked as samples', async () => {
    const res = await gql(
      `{ criteriaSets(status: PUBLISHED, first: 200) { totalCount edges { node { code title subjectLevel sample sampleNote name indicatorCount maxPoints } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const samples = res.data!.criteriaSets.edges.map((e: any) => e.node).filter((n: any) => n.sample);
    expect(samples.map((s: any) => `${s.title}/${s.subjectLevel}`).sort()).toEqual([
      'LEARNING_CITIZEN/PERSON',
      'LEARNING_CLAN/CLAN',
      'LEARNING_COMMUNITY/COMMUNE',
      'LEARNING_COMMUNITY/VILLAGE',
      'LEARNING_FAMILY/HOUSEHOLD',
      'LEARNING_UNIT/ORGANIZATION',
    ]);
    for (const s of samples) {
      expect(s.name).toMatch(/^Mẫu — /);
      expect(s.sampleNote).toBe('Mẫu — bộ tiêu chí chính thức do địa phương ban hành');
    }
    expect(samples.find((s: any) => s.subjectLevel === 'COMMUNE').indicatorCount).toBe(15);
    expect(samples.find((s: any) => s.title === 'LEARNING_CITIZEN')).toMatchObject({ indicatorCount: 10, maxPoints: 100 });
    // the migration is idempotent: one row per sample
    const rows = await sql<{ n: number }>('recognition', `select count(*)::int as n from criteria_set where sample`);
    expect(rows[0]!.n).toBe(6);
  });

  it('lets an education officer author, publish and version a set; a published set never changes', async () => {
    const officer = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: '00000000-0000-4000-8000-000000000001' }]);
    const code = uniqueCode();
    const created = await gql(
      CREATE,
      {
        input: {
          code,
          title: 'LEARNING_FAMILY',
          name: 'Bộ tiêu chí Gia đình học tập tỉnh thử nghiệm',
          legalBasis: 'Quyết định 12/QĐ-UBND',
          validFrom: '2025-01-01',
          definition: familyDefinition,
        },
      },
      { token: officer },
    );
    expect(created.errors).toBeUndefined();
    const v1 = created.data!.createCriteriaSet.criteriaSet;
    expect(v1).toMatchObject({
      code,
      version: 1,
      status: 'DRAFT',
      statusName: 'Dự thảo',
      subjectLevel: 'HOUSEHOLD',
      sample: false,
      sampleNote: null,
      maxPoints: 20,
    });
    expect(v1.levels[0].rules.map((r: any) => r.description)).toEqual(['Tổng điểm từ 15 trở lên', 'Không tiêu chí nào bị 0 điểm']);

    // a draft can change
    const renamed = await gql(UPDATE, { input: { id: v1.id, name: 'Bộ tiêu chí GĐHT (sửa)' } }, { token: officer });
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data!.updateCriteriaSetDraft.criteriaSet.name).toBe('Bộ tiêu chí GĐHT (sửa)');

    const pub = await gql(PUBLISH, { input: { id: v1.id } }, { token: officer });
    expect(pub.errors).toBeUndefined();
    expect(pub.data!.publishCriteriaSet).toEqual({ criteriaSet: { id: v1.id, status: 'PUBLISHED', version: 1 }, retired: null });

    // published: refused, nothing written
    const before = await sql('recognition', 'select name, definition, updated_at from criteria_set where id = $1', [v1.id]);
    const edit = await gql(UPDATE, { input: { id: v1.id, name: 'Sửa sau khi ban hành' } }, { token: officer });
    expect(edit.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'CRITERIA_SET_NOT_DRAFT' });
    expect(edit.errors?.[0]?.message).toContain('Đã ban hành');
    expect(await sql('recognition', 'select name, definition, updated_at from criteria_set where id = $1', [v1.id])).toEqual(before);
    const again = await gql(PUBLISH, { input: { id: v1.id } }, { token: officer });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    // edit = new version: a draft copy, version 2
    const nv = await gql(NEW_VERSION, { input: { fromId: v1.id } }, { token: officer });
    expect(nv.errors).toBeUndefined();
    const v2 = nv.data!.newCriteriaSetVersion.criteriaSet;
    expect(v2).toMatchObject({ code, version: 2, status: 'DRAFT', name: 'Bộ tiêu chí GĐHT (sửa)' });
    expect(v2.criteria).toEqual(v1.criteria);
    const second = await gql(NEW_VERSION, { input: { fromId: v1.id } }, { token: officer });
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'CRITERIA_SET_DRAFT_EXISTS' });

    const raised = {
      ...familyDefinition,
      levels: [{ level: 'ACHIEVED', rules: [{ kind: 'TOTAL_AT_LEAST', points: 18 }, { kind: 'NO_CRITERION_ZERO' }] }],
    };
    const upd = await gql(UPDATE, { input: { id: v2.id, definition: raised } }, { token: officer });
    expect(upd.errors).toBeUndefined();
    // publishing version 2 retires version 1
    const pub2 = await gql(PUBLISH, { input: { id: v2.id } }, { token: officer });
    expect(pub2.errors).toBeUndefined();
    expect(pub2.data!.publishCriteriaSet.retired).toEqual({ id: v1.id, status: 'RETIRED', version: 1 });
    const retiredEdit = await gql(UPDATE, { input: { id: v1.id, name: 'x' } }, { token: officer });
    expect(retiredEdit.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'CRITERIA_SET_NOT_DRAFT' });

    const versions = await gql(
      `query($id: ID!) { criteriaSet(id: $id) { versions { version status } } }`,
      { id: v2.id },
      { token: officer },
    );
    expect(versions.data!.criteriaSet.versions).toEqual([
      { version: 2, status: 'PUBLISHED' },
      { version: 1, status: 'RETIRED' },
    ]);

    const ev = await eventually(
      async () => published().find((e) => e.type === 'vn.xhht.recognition.criteria-set.published.v1' && e.subject === v2.id),
      30000,
      'criteria-set.published',
    );
    expect(ev.data).toMatchObject({
      id: v2.id,
      code,
      version: 2,
      title: 'LEARNING_FAMILY',
      subjectLevel: 'HOUSEHOLD',
      sample: false,
      retiredId: v1.id,
      levels: ['ACHIEVED'],
    });

    const retire = await gql(RETIRE, { input: { id: v2.id } }, { token: officer });
    expect(retire.data!.retireCriteriaSet.criteriaSet).toEqual({ id: v2.id, status: 'RETIRED' });
  });

  it('evaluates scores against a set and explains the result', async () => {
    const reader = await tokenFor([{ role: 'CITIZEN' }]);
    const sets = await gql(
      `{ criteriaSets(title: LEARNING_FAMILY, status: PUBLISHED) { edges { node { id sample } } } }`,
      {},
      { token: reader },
    );
    const family = sets.data!.criteriaSets.edges.map((e: any) => e.node).find((n: any) => n.sample);
    const full = { '1.1': 10, '1.2': 10, '1.3': 10, '2.1': 15, '2.2': 15, '2.3': 10, '3.1': 10, '3.2': 10, '3.3': 10 };
    const scores = (o: Record<string, number>) =>
      Object.entries({ ...full, ...o }).map(([indicatorCode, points]) => ({ indicatorCode, points }));

    const at = await gql(EVALUATE, { id: family.id, scores: scores({ '1.1': 0, '2.2': 5 }) }, { token: reader });
    expect(at.errors).toBeUndefined();
    expect(at.data!.evaluateCriteriaSet).toMatchObject({ resultLevel: 'ACHIEVED', totalPoints: 80, maxPoints: 100 });

    const below = await gql(EVALUATE, { id: family.id, scores: scores({ '1.1': 0, '2.2': 3 }) }, { token: reader });
    expect(below.data!.evaluateCriteriaSet.resultLevel).toBeNull();
    expect(below.data!.evaluateCriteriaSet.levels[0].rules[0]).toMatchObject({
      held: false,
      shortfall: 2,
      message: 'tổng điểm 78 < 80, thiếu 2 điểm',
    });

    const missing = await gql(EVALUATE, { id: family.id, scores: scores({}).slice(1) }, { token: reader });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'MISSING_SCORES' });
  });

  it('refuses authoring by other roles and invalid rules, writing nothing', async () => {
    const count = async () => (await sql<{ n: number }>('recognition', 'select count(*)::int as n from criteria_set'))[0]!.n;
    const n = await count();
    const association = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: '00000000-0000-4000-8000-000000000001' }]);
    const input = {
      code: uniqueCode(),
      title: 'LEARNING_FAMILY',
      name: 'X',
      legalBasis: 'Y',
      validFrom: '2025-01-01',
      definition: familyDefinition,
    };
    const res = await gql(CREATE, { input }, { token: association });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const bad = await gql(CREATE, {
      input: {
        ...input,
        definition: { ...familyDefinition, levels: [{ level: 'ACHIEVED', rules: [{ kind: 'NO_CRITERION_ZERO', criteria: ['TC9'] }] }] },
      },
    });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toContain('không có tiêu chí TC9');

    const levels = await gql(CREATE, { input: { ...input, title: 'LEARNING_COMMUNITY', subjectLevel: 'COMMUNE' } });
    expect(levels.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'LEVELS_DO_NOT_FIT_TITLE' });
    const noLevel = await gql(CREATE, { input: { ...input, title: 'LEARNING_COMMUNITY' } });
    expect(noLevel.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'SUBJECT_LEVEL_REQUIRED' });
    expect(await count()).toBe(n);
  });
});
