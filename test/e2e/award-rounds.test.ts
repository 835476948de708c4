import { recogniseHouseholds, replicated } from '../support/recognition';
import { createUnit, eventually, gql, sql, tokenFor, uniqueCode } from '../support/stack';

/**
 * Award forms and rounds through the gateway: the 2022 Law's forms as of a date, a new version of a
 * form closing the old one, a round with a count quota, a share quota and eligibility rules, opened by
 * the province's emulation officer; households recognised as Learning Families for real (2023–2025, or
 * missing 2024) are judged eligible or not with the reason; outsiders and bad rules are refused, writing nothing.
 */

const FORMS = `query F($asOf: Date) { awardForms(asOf: $asOf) { code name recipientKinds recipientKindNames authorityLevel authorityLevelName signerTitle rank validFrom validTo } }`;
const FORM = `query F($code: String!, $asOf: Date) { awardForm(code: $code, asOf: $asOf) { id name rank validFrom validTo versions { validFrom validTo } } }`;
const SET_FORM = `mutation S($input: SetAwardFormVersionInput!) {
  setAwardFormVersion(input: $input) { form { id code name validFrom validTo } closedVersion { id validFrom validTo } }
}`;
const ROUND_FIELDS = `id name kind kindName year status statusName nominationDeadline decisionDeadline scopeUnit { id name }
  forms { formCode form { name } quota { kind count sharePercent ofFormCode description } rules { kind title years endingYear description } }`;
const CREATE = `mutation C($input: CreateAwardRoundInput!) { createAwardRound(input: $input) { round { ${ROUND_FIELDS} } } }`;
const UPDATE = `mutation U($input: UpdateAwardRoundInput!) { updateAwardRound(input: $input) { round { ${ROUND_FIELDS} } } }`;
const OPEN = `mutation O($id: ID!) { openAwardRound(id: $id) { round { id status statusName openedBy } } }`;
const CLOSE = `mutation C($id: ID!) { closeAwardRound(id: $id) { round { id status closedBy } } }`;
const ROUNDS = `query R($unitId: ID!, $year: Int) {
  awardRounds(scopeUnitId: $unitId, year: $year) { id name status }
  adminUnit(id: $unitId) { name awardRounds(year: $year) { id status forms { formCode } } }
}`;
const ELIGIBILITY = `query E($roundId: ID!, $formCode: String!, $kind: AwardNomineeKind!, $id: ID!) {
  awardEligibility(roundId: $roundId, formCode: $formCode, nomineeKind: $kind, nomineeId: $id) {
    eligible formCode nomineeId round { id name } checks { passed explanation rule { kind title years endingYear description } }
  }
}`;
const REGISTER_HOUSEHOLD = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id } } }`;

const SHIPPED = [
  'GIAY_KHEN_CHU_TICH_XA',
  'GIAY_KHEN_THU_TRUONG',
  'BANG_KHEN_CHU_TICH_TINH',
  'BANG_KHEN_BO_TRUONG',
  'BANG_KHEN_THU_TUONG',
  'LAO_DONG_TIEN_TIEN',
  'CHIEN_SI_THI_DUA_CO_SO',
  'TAP_THE_LAO_DONG_TIEN_TIEN',
  'TAP_THE_LAO_DONG_XUAT_SAC',
];

let province: { id: string; name: string };
let commune: { id: string };
let otherProvince: { id: string };
let officer: string;
let outsider: string;
let full: string;
let gap: string;

const roundCount = async (unitId: string) =>
  (await sql<{ n: number }>('awards', 'select count(*)::int as n from award_round where scope_unit_id = $1', [unitId]))[0]!.n;

async function household(unitId: string): Promise<string> {
  const res = await gql(REGISTER_HOUSEHOLD, { input: { unitId, code: uniqueCode(), headName: 'Hoàng Thị Lan' } });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.registerHousehold.household.id as string;
}

/** The round of the scenario: a count quota, a share quota, and a Learning Family streak for the provincial certificate. */
const roundInput = () => ({
  scopeUnitId: province.id,
  kind: 'ANNUAL',
  year: 2026,
  name: 'Khen thưởng Tuần lễ hưởng ứng học tập suốt đời năm 2026',
  nominationDeadline: '2026-09-10',
  decisionDeadline: '2026-09-25',
  forms: [
    {
      formCode: 'BANG_KHEN_CHU_TICH_TINH',
      quota: { count: 10 },
      rules: [{ kind: 'TITLE_CONSECUTIVE_YEARS', title: 'LEARNING_FAMILY', years: 3 }],
    },
    { formCode: 'LAO_DONG_TIEN_TIEN', quota: { count: 40 } },
    { formCode: 'CHIEN_SI_THI_DUA_CO_SO', quota: { sharePercent: 15, ofFormCode: 'LAO_DONG_TIEN_TIEN' } },
  ],
});

beforeAll(async () => {
  const nation = await createUnit({ code: uniqueCode(), name: 'Việt Nam (khen thưởng)', kind: 'NATION', validFrom: '2020-01-01' });
  province = await createUnit({
    code: uniqueCode(),
    name: 'Tỉnh Lạng Sơn',
    kind: 'PROVINCE',
    parentId: nation.id,
    validFrom: '2020-01-01',
  });
  commune = await createUnit({
    code: uniqueCode(),
    name: 'Xã Hoàng Đồng',
    kind: 'COMMUNE',
    parentId: province.id,
    validFrom: '2020-01-01',
  });
  otherProvince = await createUnit({
    code: uniqueCode(),
    name: 'Tỉnh Cao Bằng',
    kind: 'PROVINCE',
    parentId: nation.id,
    validFrom: '2020-01-01',
  });
  full = await household(commune.id);
  gap = await household(commune.id);
  await replicated('participant_replica', [full, gap]);
  officer = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: province.id }]);
  outsider = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: otherProvince.id }]);

  // Learning Families decided by the commune each January: `full` for 2023, 2024 and 2025, `gap` missing 2024
  const both = [
    { id: full, unitId: commune.id },
    { id: gap, unitId: commune.id },
  ];
  await recogniseHouseholds({ year: 2023, decidingUnitId: commune.id, date: '2024-01-10', number: '23/QĐ-UBND', households: both });
  await recogniseHouseholds({ year: 2024, decidingUnitId: commune.id, date: '2025-01-10', number: '24/QĐ-UBND', households: [both[0]!] });
  await recogniseHouseholds({ year: 2025, decidingUnitId: commune.id, date: '2026-01-10', number: '25/QĐ-UBND', households: both });

  // awards' own replicas: the units, the households and the five recognitions
  await eventually(
    async () => {
      const [r] = await sql<{ units: number; households: number; recognitions: number }>(
        'awards',
        `select (select count(distinct unit_id)::int from admin_unit_version_replica where unit_id = any($1::uuid[])) as units,
                (select count(*)::int from participant_replica where id = any($2::uuid[])) as households,
                (select count(*)::int from award_recognition where subject_id = any($2::uuid[])) as recognitions`,
        [
          [province.id, commune.id, otherProvince.id],
          [full, gap],
        ],
      );
      return r!.units === 3 && r!.households === 2 && r!.recognitions === 5 ? true : undefined;
    },
    60000,
    "awards' replicas",
  );
});

describe('award forms, through the gateway', () => {
  it("lists the 2022 Law's forms with their Vietnamese names as of a date, none before the Law", async () => {
    const res = await gql(FORMS, { asOf: '2024-06-01' }, { token: officer });
    expect(res.errors).toBeUndefined();
    const forms = (res.data!.awardForms as { code: string }[]).filter((f) => SHIPPED.includes(f.code));
    expect(forms.map((f) => f.code).sort()).toEqual([...SHIPPED].sort());
    expect(forms.find((f) => f.code === 'BANG_KHEN_CHU_TICH_TINH')).toEqual({
      code: 'BANG_KHEN_CHU_TICH_TINH',
      name: 'Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh',
      recipientKinds: ['INDIVIDUAL', 'COLLECTIVE', 'HOUSEHOLD'],
      recipientKindNames: ['Cá nhân', 'Tập thể', 'Hộ gia đình'],
      authorityLevel: 'PROVINCE',
      authorityLevelName: 'Cấp tỉnh',
      signerTitle: 'Chủ tịch Ủy ban nhân dân tỉnh',
      rank: 40,
      validFrom: '2024-01-01',
      validTo: null,
    });
    expect(forms.find((f) => f.code === 'LAO_DONG_TIEN_TIEN')).toMatchObject({
      name: 'Danh hiệu "Lao động tiên tiến"',
      recipientKinds: ['INDIVIDUAL'],
    });

    const before = await gql(FORMS, { asOf: '2023-12-31' }, { token: officer });
    expect((before.data!.awardForms as { code: string }[]).filter((f) => SHIPPED.includes(f.code))).toEqual([]);
  });

  it('a new version of a form closes the one in force the day before; an earlier one, bad input and non-administrators are refused', async () => {
    const code = `BANG_KHEN_${uniqueCode()}`;
    const version = (name: string, validFrom: string, extra: Record<string, unknown> = {}) => ({
      code,
      name,
      recipientKinds: ['HOUSEHOLD', 'COLLECTIVE'],
      authorityLevel: 'PROVINCE',
      signerTitle: 'Chủ tịch Ủy ban nhân dân tỉnh',
      rank: 41,
      validFrom,
      ...extra,
    });
    const first = await gql(SET_FORM, { input: version('Bằng khen gia đình học tiêu biểu', '2024-01-01') });
    expect(first.errors).toBeUndefined();
    expect(first.data!.setAwardFormVersion.closedVersion).toBeNull();
    const second = await gql(SET_FORM, { input: version('Bằng khen gia đình học tập tiêu biểu', '2026-07-01') });
    expect(second.errors).toBeUndefined();
    expect(second.data!.setAwardFormVersion).toMatchObject({
      form: { name: 'Bằng khen gia đình học tập tiêu biểu', validFrom: '2026-07-01', validTo: null },
      closedVersion: { id: first.data!.setAwardFormVersion.form.id, validFrom: '2024-01-01', validTo: '2026-06-30' },
    });
    const asOf = async (day: string) => (await gql(FORM, { code, asOf: day }, { token: officer })).data!.awardForm;
    expect(await asOf('2026-06-30')).toMatchObject({ name: 'Bằng khen gia đình học tiêu biểu', validTo: '2026-06-30' });
    expect(await asOf('2026-07-01')).toMatchObject({
      name: 'Bằng khen gia đình học tập tiêu biểu',
      versions: [
        { validFrom: '2024-01-01', validTo: '2026-06-30' },
        { validFrom: '2026-07-01', validTo: null },
      ],
    });

    const versions = async () =>
      (
        await sql<{ n: number; ends: string | null }>(
          'awards',
          `select count(*)::int as n, max(valid_to)::text as ends from award_form_version where code = $1`,
          [code],
        )
      )[0];
    const stored = await versions();
    // a version starting before the latest one would overlap it
    const earlier = await gql(SET_FORM, { input: version('Bằng khen sửa lại', '2026-03-01') });
    expect(earlier.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'FORM_VERSION_NOT_LATEST',
      field: ['input', 'validFrom'],
    });
    const noKinds = await gql(SET_FORM, { input: version('Bằng khen', '2027-01-01', { recipientKinds: [] }) });
    expect(noKinds.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'recipientKinds'] });
    const notAdmin = await gql(SET_FORM, { input: version('Bằng khen', '2027-01-01') }, { token: officer });
    expect(notAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await versions()).toEqual(stored);
  });
});

describe('award rounds, through the gateway', () => {
  it('an emulation officer creates a round with quotas and rules, opens it, and sees who is eligible and why', async () => {
    const created = await gql(CREATE, { input: roundInput() }, { token: officer });
    expect(created.errors).toBeUndefined();
    const round = created.data!.createAwardRound.round;
    expect(round).toMatchObject({
      kind: 'ANNUAL',
      kindName: 'Khen thưởng hằng năm (Tuần lễ hưởng ứng học tập suốt đời)',
      year: 2026,
      status: 'DRAFT',
      statusName: 'Đang soạn thảo',
      scopeUnit: { id: province.id, name: 'Tỉnh Lạng Sơn' },
    });
    expect(round.forms).toEqual([
      {
        formCode: 'BANG_KHEN_CHU_TICH_TINH',
        form: { name: 'Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh' },
        quota: { kind: 'COUNT', count: 10, sharePercent: null, ofFormCode: null, description: 'Tối đa 10 trường hợp' },
        rules: [
          {
            kind: 'TITLE_CONSECUTIVE_YEARS',
            title: 'LEARNING_FAMILY',
            years: 3,
            endingYear: 2025,
            description: 'Đạt danh hiệu Gia đình học tập 3 năm liên tục (2023–2025), không năm nào bị thu hồi',
          },
        ],
      },
      {
        formCode: 'LAO_DONG_TIEN_TIEN',
        form: { name: 'Danh hiệu "Lao động tiên tiến"' },
        quota: { kind: 'COUNT', count: 40, sharePercent: null, ofFormCode: null, description: 'Tối đa 40 trường hợp' },
        rules: [],
      },
      {
        formCode: 'CHIEN_SI_THI_DUA_CO_SO',
        form: { name: 'Danh hiệu "Chiến sĩ thi đua cơ sở"' },
        quota: {
          kind: 'SHARE',
          count: null,
          sharePercent: 15,
          ofFormCode: 'LAO_DONG_TIEN_TIEN',
          description: 'Tối đa 15% số Danh hiệu "Lao động tiên tiến" được khen thưởng trong đợt',
        },
        rules: [],
      },
    ]);

    // changed while a draft, then opened; a draft's changes end there
    const renamed = await gql(
      UPDATE,
      { input: { id: round.id, name: 'Khen thưởng năm 2026 – Tuần lễ học tập suốt đời' } },
      { token: officer },
    );
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data!.updateAwardRound.round).toMatchObject({
      name: 'Khen thưởng năm 2026 – Tuần lễ học tập suốt đời',
      forms: round.forms,
    });
    const opened = await gql(OPEN, { id: round.id }, { token: officer });
    expect(opened.errors).toBeUndefined();
    expect(opened.data!.openAwardRound.round).toMatchObject({ status: 'OPEN', statusName: 'Đang nhận hồ sơ' });
    const late = await gql(UPDATE, { input: { id: round.id, name: 'Đổi tên' } }, { token: officer });
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'ROUND_NOT_DRAFT' });

    // listed for the province, directly and on the unit
    const listed = await gql(ROUNDS, { unitId: province.id, year: 2026 }, { token: officer });
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.awardRounds).toEqual([{ id: round.id, name: 'Khen thưởng năm 2026 – Tuần lễ học tập suốt đời', status: 'OPEN' }]);
    expect(listed.data!.adminUnit).toEqual({
      name: 'Tỉnh Lạng Sơn',
      awardRounds: [{ id: round.id, status: 'OPEN', forms: round.forms.map((f: { formCode: string }) => ({ formCode: f.formCode })) }],
    });
    expect((await gql(ROUNDS, { unitId: province.id, year: 2025 }, { token: officer })).data!.awardRounds).toEqual([]);

    // Learning Family 2023, 2024 and 2025: eligible, with the decisions named
    const eligibility = async (id: string, formCode = 'BANG_KHEN_CHU_TICH_TINH') => {
      const res = await gql(ELIGIBILITY, { roundId: round.id, formCode, kind: 'HOUSEHOLD', id }, { token: officer });
      expect(res.errors).toBeUndefined();
      return res.data!.awardEligibility;
    };
    const yes = await eligibility(full);
    expect(yes).toMatchObject({ eligible: true, formCode: 'BANG_KHEN_CHU_TICH_TINH', nomineeId: full, round: { id: round.id } });
    expect(yes.checks).toEqual([
      {
        passed: true,
        explanation: expect.stringContaining('Đối tượng là hộ gia đình'),
        rule: expect.objectContaining({ kind: 'SUBJECT_KIND' }),
      },
      {
        passed: true,
        explanation:
          'Đạt danh hiệu Gia đình học tập 3 năm liên tục 2023–2025: năm 2023 (Quyết định số 23/QĐ-UBND ngày 10/01/2024); ' +
          'năm 2024 (Quyết định số 24/QĐ-UBND ngày 10/01/2025); năm 2025 (Quyết định số 25/QĐ-UBND ngày 10/01/2026)',
        rule: expect.objectContaining({ kind: 'TITLE_CONSECUTIVE_YEARS', endingYear: 2025 }),
      },
    ]);
    // 2024 missing: not eligible, and the explanation says which year
    const no = await eligibility(gap);
    expect(no.eligible).toBe(false);
    expect(no.checks[1]).toMatchObject({
      passed: false,
      explanation: 'Chưa đủ 3 năm liên tục đạt danh hiệu Gia đình học tập (2023–2025): thiếu năm 2024; chỉ đạt các năm 2023, 2025',
    });
    // Lao động tiên tiến goes to individuals, not households
    const individualsOnly = await eligibility(full, 'LAO_DONG_TIEN_TIEN');
    expect(individualsOnly).toMatchObject({
      eligible: false,
      checks: [{ passed: false, explanation: 'Đối tượng là hộ gia đình, không thuộc loại được xét (chỉ xét: cá nhân)' }],
    });
    const notInRound = await gql(
      ELIGIBILITY,
      { roundId: round.id, formCode: 'BANG_KHEN_THU_TUONG', kind: 'HOUSEHOLD', id: full },
      { token: officer },
    );
    expect(notInRound.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'FORM_NOT_IN_ROUND' });
    const unknownNominee = await gql(
      ELIGIBILITY,
      { roundId: round.id, formCode: 'BANG_KHEN_CHU_TICH_TINH', kind: 'CLAN', id: full },
      { token: officer },
    );
    expect(unknownNominee.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', messageKey: 'NOMINEE_NOT_FOUND' });

    // an outsider may neither open, close nor change it
    const outsideClose = await gql(CLOSE, { id: round.id }, { token: outsider });
    expect(outsideClose.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    const closed = await gql(CLOSE, { id: round.id }, { token: officer });
    expect(closed.errors).toBeUndefined();
    expect(closed.data!.closeAwardRound.round.status).toBe('CLOSED');
    const reopened = await gql(OPEN, { id: round.id }, { token: officer });
    expect(reopened.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'ROUND_NOT_DRAFT' });
  });

  it('refuses an officer outside the scope, another role, and bad rules or quotas, creating nothing', async () => {
    const before = await roundCount(province.id);
    const outside = await gql(CREATE, { input: roundInput() }, { token: outsider });
    expect(outside.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    const communeOfficer = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: commune.id }]);
    expect((await gql(CREATE, { input: roundInput() }, { token: communeOfficer })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const educationOfficer = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: province.id }]);
    expect((await gql(CREATE, { input: roundInput() }, { token: educationOfficer })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const withForm = (form: Record<string, unknown>) => ({ ...roundInput(), forms: [form, ...roundInput().forms.slice(1)] });
    const refusals: [Record<string, unknown>, string, string[]][] = [
      // a streak without its length
      [
        withForm({ formCode: 'BANG_KHEN_CHU_TICH_TINH', rules: [{ kind: 'TITLE_CONSECUTIVE_YEARS', title: 'LEARNING_FAMILY' }] }),
        'INVALID_INPUT',
        ['input', 'forms', '0', 'rules', '0', 'years'],
      ],
      // a field of another kind of rule
      [
        withForm({ formCode: 'BANG_KHEN_CHU_TICH_TINH', rules: [{ kind: 'SUBJECT_KIND', kinds: ['HOUSEHOLD'], years: 3 }] }),
        'INVALID_INPUT',
        ['input', 'forms', '0', 'rules', '0'],
      ],
      // Learning Family has no levels
      [
        withForm({
          formCode: 'BANG_KHEN_CHU_TICH_TINH',
          rules: [{ kind: 'TITLE_HELD', title: 'LEARNING_FAMILY', year: 2025, minLevel: 'LEVEL_2' }],
        }),
        'LEVEL_NOT_FOR_TITLE',
        ['input', 'forms', '0', 'rules', '0', 'minLevel'],
      ],
      // Lao động tiên tiến is not for households
      [
        { ...roundInput(), forms: [{ formCode: 'LAO_DONG_TIEN_TIEN', rules: [{ kind: 'SUBJECT_KIND', kinds: ['HOUSEHOLD'] }] }] },
        'SUBJECT_KIND_NOT_ALLOWED',
        ['input', 'forms', '0', 'rules', '0', 'kinds'],
      ],
      // a share of a form the round does not award
      [
        { ...roundInput(), forms: [{ formCode: 'CHIEN_SI_THI_DUA_CO_SO', quota: { sharePercent: 15, ofFormCode: 'LAO_DONG_TIEN_TIEN' } }] },
        'QUOTA_BASE_NOT_IN_ROUND',
        ['input', 'forms', '0', 'quota', 'ofFormCode'],
      ],
      // both a count and a share
      [
        withForm({ formCode: 'BANG_KHEN_CHU_TICH_TINH', quota: { count: 3, sharePercent: 10, ofFormCode: 'LAO_DONG_TIEN_TIEN' } }),
        'INVALID_INPUT',
        ['input', 'forms', '0', 'quota'],
      ],
      // the same form twice
      [withForm({ formCode: 'LAO_DONG_TIEN_TIEN' }), 'FORM_REPEATED', ['input', 'forms', '1', 'formCode']],
      // a form not in force on the decision deadline
      [withForm({ formCode: 'BANG_KHEN_KHONG_CO' }), 'FORM_NOT_FOUND', ['input', 'forms', '0', 'formCode']],
      // deadlines out of order
      [{ ...roundInput(), decisionDeadline: '2026-09-01' }, 'DEADLINES_OUT_OF_ORDER', ['input', 'decisionDeadline']],
    ];
    for (const [input, messageKey, field] of refusals) {
      const res = await gql(CREATE, { input }, { token: officer });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey, field });
    }
    expect(await roundCount(province.id)).toBe(before);

    // a draft without forms cannot open
    const empty = await gql(CREATE, { input: { ...roundInput(), forms: [] } }, { token: officer });
    expect(empty.errors).toBeUndefined();
    const opened = await gql(OPEN, { id: empty.data!.createAwardRound.round.id }, { token: officer });
    expect(opened.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'ROUND_WITHOUT_FORMS' });
    const [stored] = await sql<{ status: string }>('awards', 'select status from award_round where id = $1', [
      empty.data!.createAwardRound.round.id,
    ]);
    expect(stored!.status).toBe('DRAFT');
  });
});
