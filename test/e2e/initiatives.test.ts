import type { KafkaMessage } from 'kafkajs';
import { collectTopic, createProvince, createUnit, eventually, gql, sql, tokenFor, uniqueCode } from '../support/stack';

/**
 * Initiatives, good models and creative practices through the gateway: a commune registers a good
 * model with a person and a learning centre as authors, edits and submits it; the province's
 * emulation officer records the council's recognition, once; it becomes an exemplary story a
 * partner finds without diacritics, and its event reaches xhht.awards.events. Drafts stay hidden
 * from partners; outsiders and bad input are refused and write nothing; a returned initiative is
 * fixed and submitted again, then rejected.
 */

const TOPIC = 'xhht.awards.events';
const RECOGNISED = 'vn.xhht.awards.initiative.recognised.v1';

const FIELDS = `id kind kindName title description field fieldName status statusName version returnReason rejectionReason
  appliedSince effectScope effectScopeName effectDescription groundsAward submittedAt
  unit { id name } organization { id name } authorPersons { id } authorOrganizations { id name }
  evidence { title url fileId }
  recognition { councilSessionRef effectScope effectScopeName recognisingUnit { id name } recognisedAt recognisedBy }
  transitions { fromStatus toStatus reason by }`;
const REGISTER = `mutation R($input: RegisterInitiativeInput!) { registerInitiative(input: $input) { initiative { ${FIELDS} } } }`;
const UPDATE = `mutation U($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { initiative { ${FIELDS} } } }`;
const SUBMIT = `mutation S($input: InitiativeStepInput!) { submitInitiative(input: $input) { initiative { ${FIELDS} } } }`;
const RECOGNIZE = `mutation R($input: RecognizeInitiativeInput!) { recognizeInitiative(input: $input) { initiative { ${FIELDS} } } }`;
const RETURN = `mutation R($input: InitiativeReasonInput!) { returnInitiative(input: $input) { initiative { ${FIELDS} } } }`;
const REJECT = `mutation R($input: InitiativeReasonInput!) { rejectInitiative(input: $input) { initiative { ${FIELDS} } } }`;
const ONE = `query Q($id: ID!) { initiative(id: $id) { ${FIELDS} } }`;
const STORIES = `query S($search: String, $unitId: ID, $kind: InitiativeKind, $field: InitiativeField, $first: Int) {
  exemplaryStories(search: $search, unitId: $unitId, kind: $kind, field: $field, first: $first) {
    totalCount pageInfo { hasNextPage } edges { node { id title kindName unit { id name } authorOrganizations { name } } }
  }
}`;
const UNIT_INITIATIVES = `query U($id: ID!, $status: InitiativeStatus) { adminUnit(id: $id) { initiatives(status: $status) { id status } } }`;
const REGISTER_ORG = `mutation($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { organization { id } } }`;
const REGISTER_PERSON = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { person { id } } }`;

interface RecognisedEvent {
  type: string;
  subject: string;
  source: string;
  data: Record<string, unknown>;
}
const parsed = (m: KafkaMessage) => JSON.parse(m.value!.toString()) as RecognisedEvent;

const ok = async (query: string, input: Record<string, unknown>, token: string) => {
  const res = await gql(query, { input }, { token });
  expect(res.errors).toBeUndefined();
  return (Object.values(res.data!)[0] as { initiative: Record<string, any> }).initiative;
};
const refused = async (query: string, input: Record<string, unknown>, token: string) => {
  const res = await gql(query, { input }, { token });
  expect(res.data ?? null).toBeNull();
  const e = res.errors![0]!;
  return { code: e.extensions?.code, messageKey: e.extensions?.messageKey, field: e.extensions?.field };
};
const stories = async (variables: Record<string, unknown>, token: string) => {
  const res = await gql(STORIES, variables, { token });
  expect(res.errors).toBeUndefined();
  return res.data!.exemplaryStories as { totalCount: number; edges: { node: Record<string, any> }[] };
};

/** Every initiative table's rows, to show a refusal wrote nothing. */
const snapshot = async () =>
  sql(
    'awards',
    `select (select count(*)::int from initiative_author) as authors, (select count(*)::int from initiative_transition) as transitions,
       (select coalesce(json_agg(json_build_object('id', id, 'status', status, 'version', version, 'title', title,
          'recognised', recognised_at is not null) order by id), '[]') from initiative) as initiatives`,
  );

let events: { messages: KafkaMessage[]; stop: () => Promise<void> };
let province: { id: string };
let communeA: { id: string };
let communeB: { id: string };
let centre: string;
let person: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  events = await collectTopic(TOPIC);
  ({ province } = await createProvince('Việt Nam (sáng kiến)'));
  const commune = (name: string) =>
    createUnit({ code: uniqueCode(), name, kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
  communeA = await commune('Phường Đông Kinh');
  communeB = await commune('Xã Hữu Lũng');
  const org = await gql(REGISTER_ORG, {
    input: {
      unitId: communeA.id,
      code: uniqueCode(),
      name: 'Trung tâm học tập cộng đồng phường Đông Kinh',
      type: 'COMMUNITY_LEARNING_CENTRE',
    },
  });
  expect(org.errors).toBeUndefined();
  centre = org.data!.registerOrganization.organization.id;
  const p = await gql(REGISTER_PERSON, {
    input: {
      unitId: communeA.id,
      code: uniqueCode(),
      fullName: 'Hoàng Thị Lan',
      birthYear: 1979,
      sex: 'FEMALE',
      occupationalGroup: 'TEACHER',
    },
  });
  expect(p.errors).toBeUndefined();
  person = p.data!.registerPerson.person.id;
  // awards answers from its own replicas, built from org's events
  await eventually(
    async () => {
      const [r] = await sql<{ units: number; participants: number }>(
        'awards',
        `select (select count(distinct unit_id)::int from admin_unit_version_replica where unit_id = any($1::uuid[])) as units,
           (select count(*)::int from participant_replica where id = any($2::uuid[])) as participants`,
        [
          [province.id, communeA.id, communeB.id],
          [centre, person],
        ],
      );
      return r!.units === 3 && r!.participants === 2 ? true : undefined;
    },
    60000,
    "units and participants in awards' replicas",
  );
  tokens.officerA = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeA.id }]);
  tokens.officerB = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeB.id }]);
  tokens.centreOfficer = await tokenFor([{ role: 'ORGANIZATION_OFFICER', organizationId: centre }]);
  tokens.emulationProvince = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: province.id }], 'thi-dua-tinh');
  tokens.emulationB = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: communeB.id }]);
  tokens.partner = await tokenFor([{ role: 'PARTNER' }]);
  tokens.citizen = await tokenFor([{ role: 'CITIZEN', personId: person }]);
});

afterAll(async () => {
  await events?.stop();
});

const goodModel = () => ({
  kind: 'GOOD_MODEL',
  title: 'Mô hình "Gia đình học tập số" ở phường Đông Kinh',
  description:
    'Mỗi tối thứ Bảy, các gia đình cùng con cháu học kỹ năng số tại Trung tâm học tập cộng đồng; người cao tuổi học dùng dịch vụ công trực tuyến.',
  field: 'DIGITAL_SKILLS',
  unitId: communeA.id,
  authorPersonIds: [person],
  authorOrganizationIds: [centre],
  appliedSince: '2025-09-01',
  effectScope: 'PROVINCE',
  effectDescription: '312 hộ tham gia; 9 xã, phường trong tỉnh học tập và nhân rộng',
  evidence: [
    { title: 'Báo cáo kết quả mô hình năm 2025', url: 'https://dongkinh.langson.gov.vn/bao-cao-mo-hinh-2025' },
    { title: 'Biên bản họp tổ dân phố' },
  ],
});

describe('initiatives and exemplary stories, through the gateway', () => {
  let model: Record<string, any>;

  it('a commune officer registers a good model; it stays hidden from a partner while a draft', async () => {
    model = await ok(REGISTER, goodModel(), tokens.officerA!);
    expect(model).toMatchObject({
      kind: 'GOOD_MODEL',
      kindName: 'Mô hình hay',
      fieldName: 'Kỹ năng số, chuyển đổi số',
      status: 'DRAFT',
      statusName: 'Đang soạn',
      version: 1,
      effectScopeName: 'Cấp tỉnh',
      unit: { id: communeA.id, name: 'Phường Đông Kinh' },
      organization: null,
      authorPersons: [{ id: person }],
      authorOrganizations: [{ id: centre, name: 'Trung tâm học tập cộng đồng phường Đông Kinh' }],
      evidence: [
        { title: 'Báo cáo kết quả mô hình năm 2025', url: 'https://dongkinh.langson.gov.vn/bao-cao-mo-hinh-2025', fileId: null },
        { title: 'Biên bản họp tổ dân phố', url: null, fileId: null },
      ],
      recognition: null,
      groundsAward: null,
      transitions: [{ fromStatus: null, toStatus: 'DRAFT', reason: null }],
    });

    const asPartner = await gql(ONE, { id: model.id }, { token: tokens.partner });
    expect(asPartner.errors).toBeUndefined();
    expect(asPartner.data!.initiative).toBeNull();
    expect((await stories({ search: 'gia dinh hoc tap so' }, tokens.partner!)).totalCount).toBe(0);
    const unitAsPartner = await gql(UNIT_INITIATIVES, { id: communeA.id }, { token: tokens.partner });
    expect(unitAsPartner.data!.adminUnit.initiatives).toEqual([]);
    // the commune's officers see their draft; another commune's do not
    const unitAsOfficer = await gql(UNIT_INITIATIVES, { id: communeA.id, status: 'DRAFT' }, { token: tokens.officerA });
    expect(unitAsOfficer.data!.adminUnit.initiatives).toEqual([{ id: model.id, status: 'DRAFT' }]);
    expect((await gql(ONE, { id: model.id }, { token: tokens.officerB })).data!.initiative).toBeNull();
  });

  it('refuses bad input, outsiders and wrong steps, writing nothing', async () => {
    const before = await snapshot();
    const unknownPerson = '00000000-0000-4000-8000-000000000001';
    expect(await refused(REGISTER, { ...goodModel(), authorPersonIds: [person, unknownPerson] }, tokens.officerA!)).toEqual({
      code: 'BAD_USER_INPUT',
      messageKey: 'AUTHOR_NOT_FOUND',
      field: ['input', 'authorPersonIds', '1'],
    });
    // an organization is not a person
    expect(await refused(REGISTER, { ...goodModel(), authorPersonIds: [centre] }, tokens.officerA!)).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'AUTHOR_NOT_FOUND',
    });
    expect(await refused(REGISTER, { ...goodModel(), title: '   ' }, tokens.officerA!)).toEqual({
      code: 'BAD_USER_INPUT',
      messageKey: 'INVALID_INPUT',
      field: ['input', 'title'],
    });
    expect(await refused(REGISTER, { ...goodModel(), appliedSince: '2999-01-01' }, tokens.officerA!)).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'APPLIED_SINCE_IN_FUTURE',
    });
    expect(await refused(REGISTER, { ...goodModel(), organizationId: centre, unitId: communeB.id }, tokens.officerB!)).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'ORGANIZATION_NOT_IN_UNIT',
    });
    // outside their scope: another commune's officer, a partner, an emulation officer (who does not register)
    for (const who of ['officerB', 'partner', 'emulationProvince']) {
      expect(await refused(REGISTER, goodModel(), tokens[who]!)).toEqual({
        code: 'FORBIDDEN',
        messageKey: 'OUTSIDE_SCOPE',
        field: undefined,
      });
    }
    expect(await refused(SUBMIT, { id: model.id, expectedVersion: 1 }, tokens.officerB!)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refused(UPDATE, { id: model.id, expectedVersion: 1, title: 'Khác' }, tokens.officerB!)).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await refused(UPDATE, { id: model.id, expectedVersion: 7, title: 'Khác' }, tokens.officerA!)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'STALE_VERSION',
    });
    const recognise = {
      id: model.id,
      expectedVersion: 1,
      councilSessionRef: 'Phiên họp số 01',
      recognisedEffectScope: 'PROVINCE',
      recognisingUnitId: province.id,
    };
    expect(await refused(RECOGNIZE, recognise, tokens.emulationProvince!)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'WRONG_INITIATIVE_STATUS',
    });
    expect(await refused(RECOGNIZE, recognise, tokens.officerA!)).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    expect(await snapshot()).toEqual(before);
  });

  it('edited, submitted and recognised once by the province council: public, searchable without diacritics, published', async () => {
    const edited = await ok(
      UPDATE,
      { id: model.id, expectedVersion: 1, description: `${model.description} Năm 2026 mở thêm lớp Học tập tiếng Anh cho thiếu nhi.` },
      tokens.officerA!,
    );
    expect(edited).toMatchObject({ status: 'DRAFT', version: 2, title: model.title, authorPersons: [{ id: person }] });
    const submitted = await ok(SUBMIT, { id: model.id, expectedVersion: 2 }, tokens.officerA!);
    expect(submitted).toMatchObject({ status: 'SUBMITTED', statusName: 'Đã gửi, chờ Hội đồng xét', version: 3 });
    expect(submitted.submittedAt).toEqual(expect.any(String));
    expect(await refused(UPDATE, { id: model.id, expectedVersion: 3, title: 'Khác' }, tokens.officerA!)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'WRONG_INITIATIVE_STATUS',
    });

    const recognise = (over: Record<string, unknown> = {}) => ({
      id: model.id,
      expectedVersion: 3,
      councilSessionRef: 'Phiên họp số 03, ngày 15/3/2026',
      recognisedEffectScope: 'PROVINCE',
      recognisingUnitId: province.id,
      ...over,
    });
    const before = await snapshot();
    expect(await refused(RECOGNIZE, recognise(), tokens.emulationB!)).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    expect(await refused(RECOGNIZE, recognise({ recognisingUnitId: communeB.id }), tokens.emulationProvince!)).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'RECOGNISING_UNIT_NOT_ABOVE',
      field: ['input', 'recognisingUnitId'],
    });
    // a commune's council cannot recognise an effect across the province
    expect(await refused(RECOGNIZE, recognise({ recognisingUnitId: communeA.id }), tokens.emulationProvince!)).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'EFFECT_BEYOND_RECOGNISING_UNIT',
    });
    expect(await refused(RECOGNIZE, recognise({ councilSessionRef: '' }), tokens.emulationProvince!)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['input', 'councilSessionRef'],
    });
    expect(await snapshot()).toEqual(before);

    const recognised = await ok(RECOGNIZE, recognise(), tokens.emulationProvince!);
    expect(recognised).toMatchObject({
      status: 'RECOGNISED',
      statusName: 'Đã được công nhận',
      version: 4,
      groundsAward: null,
      recognition: {
        councilSessionRef: 'Phiên họp số 03, ngày 15/3/2026',
        effectScope: 'PROVINCE',
        effectScopeName: 'Cấp tỉnh',
        recognisingUnit: { id: province.id, name: 'Tỉnh Lạng Sơn' },
        recognisedBy: 'thi-dua-tinh',
      },
    });
    expect(recognised.transitions.map((t: { toStatus: string }) => t.toStatus)).toEqual(['DRAFT', 'SUBMITTED', 'RECOGNISED']);

    // recognition is once only, whatever version is sent
    const afterRecognition = await snapshot();
    for (const version of [4, 3]) {
      expect(await refused(RECOGNIZE, recognise({ expectedVersion: version }), tokens.emulationProvince!)).toMatchObject({
        code: 'CONFLICT',
        messageKey: 'INITIATIVE_ALREADY_RECOGNISED',
      });
    }
    expect(await refused(RETURN, { id: model.id, expectedVersion: 4, reason: 'Xem lại' }, tokens.emulationProvince!)).toMatchObject({
      code: 'CONFLICT',
    });
    expect(await snapshot()).toEqual(afterRecognition);

    // a partner finds it, typed without diacritics, in the province and the commune but not another commune
    const found = await stories({ search: 'gia dinh HOC TAP so', unitId: province.id }, tokens.partner!);
    expect(found.totalCount).toBe(1);
    expect(found.edges[0]!.node).toMatchObject({
      id: model.id,
      title: 'Mô hình "Gia đình học tập số" ở phường Đông Kinh',
      kindName: 'Mô hình hay',
      unit: { id: communeA.id, name: 'Phường Đông Kinh' },
      authorOrganizations: [{ name: 'Trung tâm học tập cộng đồng phường Đông Kinh' }],
    });
    expect((await stories({ search: 'tieng anh thieu nhi', unitId: communeA.id }, tokens.partner!)).totalCount).toBe(1);
    expect((await stories({ search: 'hoc tap', unitId: communeB.id }, tokens.partner!)).totalCount).toBe(0);
    expect((await stories({ search: 'hoc tap', unitId: province.id, kind: 'INITIATIVE' }, tokens.partner!)).totalCount).toBe(0);
    expect(
      (await stories({ search: 'dich vu cong truc tuyen', field: 'DIGITAL_SKILLS' }, tokens.citizen!)).edges.map((e) => e.node.id),
    ).toContain(model.id);
    const asPartner = await gql(ONE, { id: model.id }, { token: tokens.partner });
    expect(asPartner.data!.initiative).toMatchObject({ id: model.id, status: 'RECOGNISED' });

    // the author's and the centre's initiatives, through org's entities
    const byPerson = await gql(`query($id: ID!) { person(id: $id) { fullName initiatives { id } } }`, { id: person });
    expect(byPerson.data!.person).toEqual({ fullName: 'Hoàng Thị Lan', initiatives: [{ id: model.id }] });
    const byCentre = await gql(
      `query($id: ID!) { organization(id: $id) { initiatives { id title } } }`,
      { id: centre },
      { token: tokens.partner },
    );
    expect(byCentre.data!.organization.initiatives).toEqual([{ id: model.id, title: model.title }]);

    // the event: ids and the public title, never the author's name
    const message = await eventually(
      async () => events.messages.find((m) => m.headers?.ce_type?.toString() === RECOGNISED && parsed(m).subject === model.id),
      30000,
      'the initiative recognised event',
    );
    expect(message.key!.toString()).toBe(model.id);
    const event = parsed(message);
    expect(event).toMatchObject({ type: RECOGNISED, source: '/xhht/awards', subject: model.id });
    expect(event.data).toMatchObject({
      initiativeId: model.id,
      kind: 'GOOD_MODEL',
      title: model.title,
      field: 'DIGITAL_SKILLS',
      unitId: communeA.id,
      organizationId: null,
      authorPersonIds: [person],
      authorOrganizationIds: [centre],
      appliedSince: '2025-09-01',
      effectScope: 'PROVINCE',
      recognisedEffectScope: 'PROVINCE',
      recognisingUnitId: province.id,
      councilSessionRef: 'Phiên họp số 03, ngày 15/3/2026',
      recognisedBy: 'thi-dua-tinh',
      version: 4,
    });
    expect(message.value!.toString()).not.toContain('Hoàng Thị Lan');
    // one recognition, one event
    expect(events.messages.filter((m) => parsed(m).subject === model.id)).toHaveLength(1);
  });

  it("an organization's own officer registers; returned with a reason, fixed and submitted again, then rejected", async () => {
    const practice = await ok(
      REGISTER,
      {
        kind: 'CREATIVE_PRACTICE',
        title: 'Tủ sách lưu động của Trung tâm học tập cộng đồng',
        description: 'Mang sách đến các tổ dân phố mỗi tháng một lần.',
        field: 'READING_CULTURE',
        unitId: communeA.id,
        organizationId: centre,
        appliedSince: '2024-03-01',
        effectScope: 'COMMUNE',
        effectDescription: '1.200 lượt mượn sách mỗi năm',
      },
      tokens.centreOfficer!,
    );
    expect(practice).toMatchObject({ status: 'DRAFT', organization: { id: centre }, kindName: 'Cách làm sáng tạo', authorPersons: [] });
    await ok(SUBMIT, { id: practice.id, expectedVersion: 1 }, tokens.centreOfficer!);
    const returned = await ok(
      RETURN,
      { id: practice.id, expectedVersion: 2, reason: 'Thiếu số liệu minh chứng lượt mượn sách' },
      tokens.emulationProvince!,
    );
    expect(returned).toMatchObject({
      status: 'RETURNED',
      statusName: 'Bị trả lại',
      returnReason: 'Thiếu số liệu minh chứng lượt mượn sách',
    });
    const fixed = await ok(
      UPDATE,
      {
        id: practice.id,
        expectedVersion: 3,
        evidence: [{ title: 'Sổ theo dõi mượn sách 2025', fileId: '6f1f6a5e-3a7c-4c55-9b1e-1d3f2a4b5c6d' }],
      },
      tokens.centreOfficer!,
    );
    expect(fixed).toMatchObject({ status: 'DRAFT', version: 4, evidence: [{ title: 'Sổ theo dõi mượn sách 2025', url: null }] });
    const again = await ok(SUBMIT, { id: practice.id, expectedVersion: 4 }, tokens.officerA!);
    expect(again).toMatchObject({ status: 'SUBMITTED', returnReason: null });
    const rejected = await ok(
      REJECT,
      { id: practice.id, expectedVersion: 5, reason: 'Chưa có hiệu quả lan tỏa' },
      tokens.emulationProvince!,
    );
    expect(rejected).toMatchObject({ status: 'REJECTED', statusName: 'Không được công nhận', rejectionReason: 'Chưa có hiệu quả lan tỏa' });
    expect(rejected.transitions.map((t: { toStatus: string; reason: string | null }) => [t.toStatus, t.reason])).toEqual([
      ['DRAFT', null],
      ['SUBMITTED', null],
      ['RETURNED', 'Thiếu số liệu minh chứng lượt mượn sách'],
      ['DRAFT', null],
      ['SUBMITTED', null],
      ['REJECTED', 'Chưa có hiệu quả lan tỏa'],
    ]);
    expect((await gql(ONE, { id: practice.id }, { token: tokens.partner })).data!.initiative).toBeNull();
    expect((await stories({ search: 'tu sach luu dong' }, tokens.partner!)).totalCount).toBe(0);
    // the centre's page shows it to its own officer, not to a partner
    const own = await gql(
      `query($id: ID!) { organization(id: $id) { initiatives { id status } } }`,
      { id: centre },
      { token: tokens.centreOfficer },
    );
    expect(own.data!.organization.initiatives).toEqual(expect.arrayContaining([{ id: practice.id, status: 'REJECTED' }]));
    const asPartner = await gql(
      `query($id: ID!) { organization(id: $id) { initiatives { id } } }`,
      { id: centre },
      { token: tokens.partner },
    );
    expect(asPartner.data!.organization.initiatives).toEqual([{ id: model.id }]);
    expect(events.messages.filter((m) => parsed(m).subject === practice.id)).toHaveLength(0);
  });
});
