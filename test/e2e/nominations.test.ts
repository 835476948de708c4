import { recogniseHouseholds, replicated } from '../support/recognition';
import { collectTopic, createUnit, eventually, gql, sql, tokenFor, uniqueCode } from '../support/stack';

/**
 * Nominations through the gateway: a household that held Learning Family 2023–2025 (recognised
 * through recognition for real) is nominated by its commune for the commune chair's certificate, its
 * recognitions attached and its eligibility explained at submission, received, reviewed, approved and
 * escalated to the province's round for the province chair's certificate. A second nomination on the
 * same achievement, one beyond the quota, a nominee under discipline, an ineligible household,
 * outsiders and bad input are refused, writing nothing; the submission reaches xhht.awards.events.
 */

const TOPIC = 'xhht.awards.events';
const SUBMITTED = 'vn.xhht.awards.nomination.submitted.v1';
const RETURNED = 'vn.xhht.awards.nomination.returned.v1';
const APPROVED = 'vn.xhht.awards.nomination.approved.v1';
const WITHDRAWN = 'vn.xhht.awards.nomination.withdrawn.v1';

const NOMINATION_FIELDS = `id formCode form { name } nomineeKind nomineeId status statusName version summary returnReason
  round { id name } proposingUnit { id name } nominee { __typename ... on Household { id } }
  achievement { kind recognitionIds description } evidence { title url }
  recognitions { recognitionId title titleName year revoked decisionNumber }
  eligibility { eligible checks { passed explanation rule { kind description } } }
  escalatedFrom { id status } escalatedTo { id }
  transitions { fromStatus toStatus reason by }`;
const CREATE = `mutation C($input: CreateNominationInput!) { createNomination(input: $input) { nomination { ${NOMINATION_FIELDS} } } }`;
const UPDATE = `mutation U($input: UpdateNominationInput!) { updateNomination(input: $input) { nomination { ${NOMINATION_FIELDS} } } }`;
const step = (name: string, input = 'NominationStepInput') =>
  `mutation S($input: ${input}!) { ${name}(input: $input) { nomination { ${NOMINATION_FIELDS} } } }`;
const NOMINATION = `query N($id: ID!) { nomination(id: $id) { id status } }`;
const LISTS = `query L($roundId: ID!) {
  awardRound(id: $roundId) { nominations { id status } submitted: nominations(status: SUBMITTED) { id } }
}`;
const HOUSEHOLD_NOMINATIONS = `query H($id: ID!) { household(id: $id) { id nominations { id formCode status escalatedFrom { id } } } }`;
const RECORD_DISCIPLINE = `mutation D($input: RecordDisciplineInput!) { recordDiscipline(input: $input) { discipline { id fromDate toDate decisionRef } } }`;
const DISCIPLINES = `query D($id: ID!) { disciplines(subjectId: $id) { id decisionRef reason } }`;
const CREATE_ROUND = `mutation C($input: CreateAwardRoundInput!) { createAwardRound(input: $input) { round { id } } }`;
const OPEN_ROUND = `mutation O($id: ID!) { openAwardRound(id: $id) { round { id status } } }`;
const REGISTER_HOUSEHOLD = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id } } }`;

let province: { id: string };
let commune: { id: string };
let otherCommune: { id: string };
let proposer: string;
let communeOfficer: string;
let provinceOfficer: string;
let outsider: string;
let outsideOfficer: string;
let communeRound: string;
let provinceRound: string;
const hh: Record<'full' | 'full2' | 'full3' | 'punished' | 'gap', string> = { full: '', full2: '', full3: '', punished: '', gap: '' };
let events: Awaited<ReturnType<typeof collectTopic>>;

const nominationCount = async () => (await sql<{ n: number }>('awards', 'select count(*)::int as n from nomination'))[0]!.n;
const recognitionIdsOf = async (householdId: string) =>
  (
    await sql<{ id: string }>('awards', 'select recognition_id as id from award_recognition where subject_id = $1 order by year', [
      householdId,
    ])
  ).map((r) => r.id);

async function household(unitId: string): Promise<string> {
  const res = await gql(REGISTER_HOUSEHOLD, { input: { unitId, code: uniqueCode(), headName: 'Lường Thị Hoa' } });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.registerHousehold.household.id as string;
}

async function openRound(scopeUnitId: string, formCode: string, token: string, quota: number): Promise<string> {
  const input = {
    scopeUnitId,
    kind: 'ANNUAL',
    year: 2026,
    name: `Khen thưởng Tuần lễ hưởng ứng học tập suốt đời năm 2026 (${formCode})`,
    nominationDeadline: '2026-12-20',
    decisionDeadline: '2026-12-28',
    forms: [{ formCode, quota: { count: quota }, rules: [{ kind: 'TITLE_CONSECUTIVE_YEARS', title: 'LEARNING_FAMILY', years: 3 }] }],
  };
  const created = await gql(CREATE_ROUND, { input }, { token });
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const id = created.data!.createAwardRound.round.id as string;
  const opened = await gql(OPEN_ROUND, { id }, { token });
  if (opened.errors) throw new Error(JSON.stringify(opened.errors));
  return id;
}

const nominationInput = (nomineeId: string, achievement: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
  roundId: communeRound,
  formCode: 'GIAY_KHEN_CHU_TICH_XA',
  nomineeKind: 'HOUSEHOLD',
  nomineeId,
  proposingUnitId: commune.id,
  summary: 'Gia đình ba năm liền đạt danh hiệu Gia đình học tập, con cháu chăm ngoan học giỏi',
  achievement,
  evidence: [{ title: 'Báo cáo thành tích của gia đình', url: 'https://example.vn/bao-cao.pdf' }],
  ...over,
});

async function created(input: Record<string, unknown>) {
  const res = await gql(CREATE, { input }, { token: proposer });
  expect(res.errors).toBeUndefined();
  return res.data!.createNomination.nomination as { id: string; version: number; status: string; summary: string };
}

beforeAll(async () => {
  events = await collectTopic(TOPIC);
  const nation = await createUnit({ code: uniqueCode(), name: 'Việt Nam (đề nghị khen thưởng)', kind: 'NATION', validFrom: '2020-01-01' });
  province = await createUnit({
    code: uniqueCode(),
    name: 'Tỉnh Điện Biên',
    kind: 'PROVINCE',
    parentId: nation.id,
    validFrom: '2020-01-01',
  });
  commune = await createUnit({ code: uniqueCode(), name: 'Xã Thanh Nưa', kind: 'COMMUNE', parentId: province.id, validFrom: '2020-01-01' });
  otherCommune = await createUnit({
    code: uniqueCode(),
    name: 'Xã Mường Phăng',
    kind: 'COMMUNE',
    parentId: province.id,
    validFrom: '2020-01-01',
  });
  for (const k of Object.keys(hh) as (keyof typeof hh)[]) hh[k] = await household(commune.id);
  const all = Object.values(hh);
  await replicated('participant_replica', all);
  proposer = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: commune.id }]);
  communeOfficer = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: commune.id }], 'thi-dua-xa-thanh-nua');
  provinceOfficer = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: province.id }]);
  outsider = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: otherCommune.id }]);
  outsideOfficer = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: otherCommune.id }]);

  // Learning Families decided by the commune each January: every household but `gap` 2023–2025, `gap` missing 2024
  const at = (ids: string[]) => ids.map((id) => ({ id, unitId: commune.id }));
  const streak = [hh.full, hh.full2, hh.full3, hh.punished];
  await recogniseHouseholds({ year: 2023, decidingUnitId: commune.id, date: '2024-01-10', number: '23/QĐ-UBND', households: at(all) });
  await recogniseHouseholds({ year: 2024, decidingUnitId: commune.id, date: '2025-01-10', number: '24/QĐ-UBND', households: at(streak) });
  await recogniseHouseholds({ year: 2025, decidingUnitId: commune.id, date: '2026-01-10', number: '25/QĐ-UBND', households: at(all) });
  await eventually(
    async () => {
      const [r] = await sql<{ units: number; households: number; recognitions: number }>(
        'awards',
        `select (select count(distinct unit_id)::int from admin_unit_version_replica where unit_id = any($1::uuid[])) as units,
                (select count(*)::int from participant_replica where id = any($2::uuid[])) as households,
                (select count(*)::int from award_recognition where subject_id = any($2::uuid[])) as recognitions`,
        [[province.id, commune.id, otherCommune.id], all],
      );
      return r!.units === 3 && r!.households === 5 && r!.recognitions === 14 ? true : undefined;
    },
    60000,
    "awards' replicas",
  );
  communeRound = await openRound(commune.id, 'GIAY_KHEN_CHU_TICH_XA', communeOfficer, 2);
  provinceRound = await openRound(province.id, 'BANG_KHEN_CHU_TICH_TINH', provinceOfficer, 10);
});
afterAll(async () => {
  await events?.stop();
});

describe('nominations, through the gateway', () => {
  let happy: { id: string; version: number };

  it('a Learning Family 2023–2025 household: nominated, submitted with its recognitions and eligibility, received, reviewed, approved, escalated', async () => {
    const recognitionIds = await recognitionIdsOf(hh.full);
    expect(recognitionIds).toHaveLength(3);
    const draft = await created(nominationInput(hh.full, { recognitionIds }));
    expect(draft).toMatchObject({
      status: 'DRAFT',
      statusName: 'Đang soạn hồ sơ',
      form: { name: 'Giấy khen của Chủ tịch Ủy ban nhân dân xã' },
      proposingUnit: { id: commune.id, name: 'Xã Thanh Nưa' },
      nominee: { __typename: 'Household', id: hh.full },
      achievement: { kind: 'RECOGNITIONS', recognitionIds },
      eligibility: null,
    });

    const sent = await gql(step('submitNomination'), { input: { id: draft.id, expectedVersion: draft.version } }, { token: proposer });
    expect(sent.errors).toBeUndefined();
    const submitted = sent.data!.submitNomination.nomination;
    expect(submitted.status).toBe('SUBMITTED');
    expect(
      submitted.recognitions.map((r: { year: number; titleName: string; decisionNumber: string }) => [
        r.year,
        r.titleName,
        r.decisionNumber,
      ]),
    ).toEqual([
      [2023, 'Gia đình học tập', '23/QĐ-UBND'],
      [2024, 'Gia đình học tập', '24/QĐ-UBND'],
      [2025, 'Gia đình học tập', '25/QĐ-UBND'],
    ]);
    expect(submitted.eligibility.eligible).toBe(true);
    const streak = submitted.eligibility.checks.find((c: { rule: { kind: string } }) => c.rule.kind === 'TITLE_CONSECUTIVE_YEARS');
    expect(streak).toMatchObject({ passed: true });
    expect(streak.explanation).toContain('3 năm liên tục 2023–2025');
    expect(streak.explanation).toContain('Quyết định số 24/QĐ-UBND');

    // the proposer cannot take the reviewing steps; the commune's emulation officer can
    const byProposer = await gql(
      step('receiveNomination'),
      { input: { id: draft.id, expectedVersion: submitted.version } },
      { token: proposer },
    );
    expect(byProposer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    let current = submitted;
    for (const name of ['receiveNomination', 'startNominationReview', 'approveNomination']) {
      const res = await gql(step(name), { input: { id: draft.id, expectedVersion: current.version } }, { token: communeOfficer });
      expect(res.errors).toBeUndefined();
      current = res.data![name].nomination;
    }
    expect(current.status).toBe('APPROVED');
    expect(current.transitions.map((t: { fromStatus: string | null; toStatus: string }) => [t.fromStatus, t.toStatus])).toEqual([
      [null, 'DRAFT'],
      ['DRAFT', 'SUBMITTED'],
      ['SUBMITTED', 'RECEIVED'],
      ['RECEIVED', 'UNDER_REVIEW'],
      ['UNDER_REVIEW', 'APPROVED'],
    ]);
    expect(current.transitions[4].by).toBe('thi-dua-xa-thanh-nua');

    // a stale version is refused
    const stale = await gql(
      step('escalateNomination', 'EscalateNominationInput'),
      { input: { id: draft.id, expectedVersion: current.version - 1, roundId: provinceRound, formCode: 'BANG_KHEN_CHU_TICH_TINH' } },
      { token: communeOfficer },
    );
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'STALE_VERSION' });
    const up = await gql(
      step('escalateNomination', 'EscalateNominationInput'),
      { input: { id: draft.id, expectedVersion: current.version, roundId: provinceRound, formCode: 'BANG_KHEN_CHU_TICH_TINH' } },
      { token: communeOfficer },
    );
    expect(up.errors).toBeUndefined();
    const escalated = up.data!.escalateNomination.nomination;
    expect(escalated).toMatchObject({
      status: 'DRAFT',
      formCode: 'BANG_KHEN_CHU_TICH_TINH',
      round: { id: provinceRound },
      proposingUnit: { id: commune.id },
      summary: draft.summary,
      achievement: { kind: 'RECOGNITIONS', recognitionIds },
      evidence: [{ title: 'Báo cáo thành tích của gia đình', url: 'https://example.vn/bao-cao.pdf' }],
      escalatedFrom: { id: draft.id, status: 'APPROVED' },
    });
    const upSent = await gql(
      step('submitNomination'),
      { input: { id: escalated.id, expectedVersion: escalated.version } },
      { token: proposer },
    );
    expect(upSent.errors).toBeUndefined();
    expect(upSent.data!.submitNomination.nomination.eligibility.eligible).toBe(true);

    // the province's emulation officer receives it; the household's nominations list both
    const received = await gql(
      step('receiveNomination'),
      { input: { id: escalated.id, expectedVersion: escalated.version + 1 } },
      { token: provinceOfficer },
    );
    expect(received.errors).toBeUndefined();
    const listed = await gql(HOUSEHOLD_NOMINATIONS, { id: hh.full }, { token: communeOfficer });
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.household.nominations.map((n: { formCode: string }) => n.formCode).sort()).toEqual([
      'BANG_KHEN_CHU_TICH_TINH',
      'GIAY_KHEN_CHU_TICH_XA',
    ]);
    happy = { id: draft.id, version: current.version };
  });

  it('refuses a second nomination on the same achievement, writing nothing', async () => {
    const before = await nominationCount();
    const recognitionIds = await recognitionIdsOf(hh.full);
    const again = await gql(CREATE, { input: nominationInput(hh.full, { recognitionIds: [recognitionIds[1]] }) }, { token: proposer });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'ACHIEVEMENT_ALREADY_NOMINATED' });
    expect(await nominationCount()).toBe(before);
  });

  it('refuses a submission beyond the form quota of the round, leaving it a draft', async () => {
    const second = await created(nominationInput(hh.full2, { recognitionIds: await recognitionIdsOf(hh.full2) }));
    const ok = await gql(step('submitNomination'), { input: { id: second.id, expectedVersion: second.version } }, { token: proposer });
    expect(ok.errors).toBeUndefined();
    // returned with a reason, fixed and sent again: it keeps its own place
    const returned = await gql(
      step('returnNomination', 'NominationReasonInput'),
      { input: { id: second.id, expectedVersion: second.version + 1, reason: 'Bổ sung biên bản họp xét của thôn' } },
      { token: communeOfficer },
    );
    expect(returned.errors).toBeUndefined();
    expect(returned.data!.returnNomination.nomination).toMatchObject({
      status: 'RETURNED',
      returnReason: 'Bổ sung biên bản họp xét của thôn',
    });
    const fixed = await gql(
      UPDATE,
      {
        input: {
          id: second.id,
          expectedVersion: second.version + 2,
          evidence: [{ title: 'Biên bản họp xét thôn Nà Nọi', url: 'https://example.vn/bb.pdf' }],
        },
      },
      { token: proposer },
    );
    expect(fixed.errors).toBeUndefined();
    const resent = await gql(
      step('submitNomination'),
      { input: { id: second.id, expectedVersion: second.version + 3 } },
      { token: proposer },
    );
    expect(resent.errors).toBeUndefined();

    const third = await created(nominationInput(hh.full3, { recognitionIds: await recognitionIdsOf(hh.full3) }));
    const over = await gql(step('submitNomination'), { input: { id: third.id, expectedVersion: third.version } }, { token: proposer });
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'QUOTA_EXCEEDED' });
    expect(over.errors?.[0]?.message).toContain('2/2');
    const [row] = await sql<{ status: string; eligibility: unknown }>(
      'awards',
      'select status, eligibility from nomination where id = $1',
      [third.id],
    );
    expect(row).toEqual({ status: 'DRAFT', eligibility: null });

    const lists = await gql(LISTS, { roundId: communeRound }, { token: communeOfficer });
    expect(lists.errors).toBeUndefined();
    expect(lists.data!.awardRound.submitted.map((n: { id: string }) => n.id)).toEqual([second.id]);
    expect(lists.data!.awardRound.nominations.map((n: { id: string }) => n.id)).toEqual(
      expect.arrayContaining([happy.id, second.id, third.id]),
    );
  });

  it('refuses a nominee under discipline; discipline records are read only by emulation officers in scope', async () => {
    const recorded = await gql(
      RECORD_DISCIPLINE,
      {
        input: {
          subjectKind: 'HOUSEHOLD',
          subjectId: hh.punished,
          fromDate: '2026-10-01',
          decisionRef: 'Quyết định số 31/QĐ-UBND ngày 01/10/2026',
          reason: 'Vi phạm hương ước thôn',
        },
      },
      { token: communeOfficer },
    );
    expect(recorded.errors).toBeUndefined();
    const n = await created(
      nominationInput(hh.punished, { free: { kind: 'Gia đình học tập tiêu biểu', year: 2025, text: 'Mở tủ sách cho thôn' } }),
    );
    const refused = await gql(step('submitNomination'), { input: { id: n.id, expectedVersion: n.version } }, { token: proposer });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'NOMINEE_UNDER_DISCIPLINE' });
    expect(refused.errors?.[0]?.message).toContain('31/QĐ-UBND');

    const read = await gql(DISCIPLINES, { id: hh.punished }, { token: communeOfficer });
    expect(read.data!.disciplines).toEqual([expect.objectContaining({ reason: 'Vi phạm hương ước thôn' })]);
    for (const token of [proposer, outsideOfficer]) {
      const denied = await gql(DISCIPLINES, { id: hh.punished }, { token });
      expect(denied.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('refuses an ineligible household with the explanation, storing nothing', async () => {
    const n = await created(nominationInput(hh.gap, { recognitionIds: await recognitionIdsOf(hh.gap) }));
    const refused = await gql(step('submitNomination'), { input: { id: n.id, expectedVersion: n.version } }, { token: proposer });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'NOT_ELIGIBLE' });
    expect(refused.errors?.[0]?.message).toContain('thiếu năm 2024');
    expect((refused.errors?.[0]?.extensions as { details?: { explanations?: string[] } }).details?.explanations).toEqual([
      expect.stringContaining('thiếu năm 2024'),
    ]);
    const [row] = await sql<{ status: string; version: number }>('awards', 'select status, version from nomination where id = $1', [n.id]);
    expect(row).toEqual({ status: 'DRAFT', version: n.version });
  });

  it('refuses callers outside the scope and bad input, writing nothing', async () => {
    const before = await nominationCount();
    const recognitionIds = await recognitionIdsOf(hh.full3);
    const foreign = await gql(
      CREATE,
      { input: nominationInput(hh.full3, { free: { kind: 'Khác', year: 2025, text: 'x' } }) },
      { token: outsider },
    );
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    // an outsider learns nothing about the nominee: an id that does not exist gets the same answer
    const probing = await gql(
      CREATE,
      { input: nominationInput('00000000-0000-4000-8000-000000000001', { free: { kind: 'Khác', year: 2025, text: 'x' } }) },
      { token: outsider },
    );
    expect(probing.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    expect(probing.errors?.[0]?.message).toBe(foreign.errors?.[0]?.message);
    const unknown = await gql(
      CREATE,
      { input: nominationInput('00000000-0000-4000-8000-000000000001', { recognitionIds }) },
      { token: proposer },
    );
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'NOMINEE_NOT_FOUND',
      field: ['input', 'nomineeId'],
    });
    const two = await gql(
      CREATE,
      { input: nominationInput(hh.full3, { recognitionIds, initiativeId: recognitionIds[0] }) },
      { token: proposer },
    );
    expect(two.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'INVALID_INPUT' });
    const notHers = await gql(
      CREATE,
      { input: nominationInput(hh.full3, { recognitionIds: await recognitionIdsOf(hh.gap) }) },
      { token: proposer },
    );
    expect(notHers.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'RECOGNITION_NOT_OF_NOMINEE' });
    const wrongUnit = await gql(CREATE, { input: nominationInput(hh.full3, { recognitionIds }, { proposingUnitId: otherCommune.id }) });
    expect(wrongUnit.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'PROPOSING_UNIT_OUTSIDE_ROUND' });
    expect(await nominationCount()).toBe(before);

    // another commune's emulation officer neither sees nor reviews the commune's nominations
    expect((await gql(NOMINATION, { id: happy.id }, { token: outsideOfficer })).data!.nomination).toBeNull();
    const noReason = await gql(
      step('returnNomination', 'NominationReasonInput'),
      { input: { id: happy.id, expectedVersion: happy.version, reason: ' ' } },
      { token: communeOfficer },
    );
    expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'reason'] });
    const [row] = await sql<{ status: string }>('awards', 'select status from nomination where id = $1', [happy.id]);
    expect(row!.status).toBe('APPROVED');
  });

  it('the proposing unit withdraws its own proposals: the quota place and the achievement are free again; not once approved', async () => {
    const withdraw = (id: string, expectedVersion: number, token: string, reason = 'Gia đình xin rút hồ sơ') =>
      gql(step('withdrawNomination', 'NominationReasonInput'), { input: { id, expectedVersion, reason } }, { token });
    const [second] = await sql<{ id: string; version: number }>(
      'awards',
      `select id, version from nomination where nominee_id = $1 and status = 'SUBMITTED'`,
      [hh.full2],
    );
    const [third] = await sql<{ id: string; version: number }>('awards', `select id, version from nomination where nominee_id = $1`, [
      hh.full3,
    ]);

    for (const token of [outsider, outsideOfficer]) {
      const denied = await withdraw(second!.id, second!.version, token);
      expect(denied.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    }
    const noReason = await withdraw(second!.id, second!.version, proposer, ' ');
    expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'reason'] });
    const done = await withdraw(second!.id, second!.version, proposer);
    expect(done.errors).toBeUndefined();
    const withdrawn = done.data!.withdrawNomination.nomination;
    expect(withdrawn).toMatchObject({ status: 'WITHDRAWN', statusName: 'Đã rút hồ sơ' });
    expect(withdrawn.transitions.at(-1)).toMatchObject({
      fromStatus: 'SUBMITTED',
      toStatus: 'WITHDRAWN',
      reason: 'Gia đình xin rút hồ sơ',
    });
    const again = await withdraw(second!.id, withdrawn.version, proposer);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'NOMINATION_NOT_WITHDRAWABLE' });

    // the quota of two had no room for the third household; now it has, and hh.full2's recognitions are free
    const third2 = await gql(step('submitNomination'), { input: { id: third!.id, expectedVersion: third!.version } }, { token: proposer });
    expect(third2.errors).toBeUndefined();
    expect(third2.data!.submitNomination.nomination.status).toBe('SUBMITTED');
    expect((await created(nominationInput(hh.full2, { recognitionIds: await recognitionIdsOf(hh.full2) }))).status).toBe('DRAFT');

    // approved: the outcome is the reviewers'
    const approvedRow = async () =>
      (await sql<{ status: string; version: number }>('awards', 'select status, version from nomination where id = $1', [happy.id]))[0];
    const before = await approvedRow();
    const late = await withdraw(happy.id, before!.version, proposer);
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'NOMINATION_NOT_WITHDRAWABLE' });
    expect(await approvedRow()).toEqual({ status: 'APPROVED', version: before!.version });

    // the escalated proposal, received at the province, is withdrawn by the commune: the achievement goes back to the approved one
    const [up] = await sql<{ id: string; version: number }>('awards', 'select id, version from nomination where escalated_from = $1', [
      happy.id,
    ]);
    const upDone = await withdraw(up!.id, up!.version, proposer, 'Xã rút đề nghị cấp tỉnh để bổ sung thành tích');
    expect(upDone.errors).toBeUndefined();
    expect(upDone.data!.withdrawNomination.nomination).toMatchObject({
      status: 'WITHDRAWN',
      escalatedFrom: { id: happy.id, status: 'APPROVED' },
    });
    const holders = await sql<{ id: string }>(
      'awards',
      `select distinct nomination_id as id from nomination_achievement where live and achievement_key = any($1::text[])`,
      [(await recognitionIdsOf(hh.full)).map((r) => `RECOGNITION:${r}`)],
    );
    expect(holders).toEqual([{ id: happy.id }]);
  });

  it('publishes the submissions and the return on xhht.awards.events, with ids and no personal data', async () => {
    const ours = () =>
      events.messages
        .map((m) => ({ m, e: JSON.parse(m.value!.toString()) }))
        .filter(({ e }) => (e.type === SUBMITTED || e.type === RETURNED) && e.data.proposingUnitId === commune.id);
    const got = await eventually(
      async () => (ours().filter(({ e }) => e.type === SUBMITTED).length >= 4 ? ours() : undefined),
      60000,
      'nomination events',
    );
    const first = got.find(({ e }) => e.type === SUBMITTED && e.subject === happy.id)!;
    expect(first.m.headers?.ce_type?.toString()).toBe(SUBMITTED);
    expect(first.e.data).toMatchObject({
      nominationId: happy.id,
      roundId: communeRound,
      roundScopeUnitId: commune.id,
      formCode: 'GIAY_KHEN_CHU_TICH_XA',
      nomineeKind: 'HOUSEHOLD',
      nomineeId: hh.full,
      eligible: true,
      escalatedFrom: null,
    });
    expect(Object.keys(first.e.data)).not.toContain('summary');
    const returned = got.filter(({ e }) => e.type === RETURNED);
    expect(returned).toHaveLength(1);
    expect(JSON.stringify(returned[0]!.e.data)).not.toContain('biên bản');

    // the outcomes too: approved by the commune's officers (it has no council), withdrawn by the proposers; reasons stay here
    const ends = await eventually(
      async () => {
        const found = events.messages
          .map((m) => JSON.parse(m.value!.toString()) as { type: string; subject: string; data: Record<string, unknown> })
          .filter((e) => (e.type === APPROVED || e.type === WITHDRAWN) && e.data.proposingUnitId === commune.id);
        return found.filter((e) => e.type === WITHDRAWN).length >= 2 && found.some((e) => e.subject === happy.id) ? found : undefined;
      },
      60000,
      'nomination approved and withdrawn events',
    );
    expect(ends.find((e) => e.type === APPROVED && e.subject === happy.id)!.data).toMatchObject({
      nominationId: happy.id,
      roundScopeUnitId: commune.id,
      through: 'REVIEW',
    });
    const withdrawn = ends.filter((e) => e.type === WITHDRAWN);
    expect(withdrawn.map((e) => e.data.escalatedFrom)).toEqual(expect.arrayContaining([null, happy.id]));
    expect(JSON.stringify(withdrawn)).not.toContain('rút');
  });
});
