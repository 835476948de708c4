import { randomUUID } from 'node:crypto';
import { recogniseHouseholds, replicated } from '../support/recognition';
import { pdfText } from '../support/pdf';
import { collectTopic, createUnit, eventually, gql, sql, stack, tokenFor, uniqueCode } from '../support/stack';

/**
 * A whole award round through the gateway: the province opens its Lifelong Learning Week round for
 * the province chair's Bằng khen; a commune proposes two households that held Learning Family
 * 2023–2025 (recognised through recognition for real); the province receives and reviews them; its
 * council of five votes (≥ 60 % of all members: three approvals pass, two fail) and the vote moves
 * the nominations; a commune's officer cannot issue a province chair's decision; the province issues
 * it; the certificate prints the awardee in Vietnamese for those who may print it and nobody else;
 * the award shows on the household and the units; a revocation ends the certificate. The decided
 * and revoked events reach xhht.awards.events without names.
 */

const TOPIC = 'xhht.awards.events';
const DECIDED = 'vn.xhht.awards.award.decided.v1';
const REVOKED = 'vn.xhht.awards.award.revoked.v1';
const FORM = 'BANG_KHEN_CHU_TICH_TINH';

const REGISTER_HOUSEHOLD = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id } } }`;
const CREATE_ROUND = `mutation C($input: CreateAwardRoundInput!) { createAwardRound(input: $input) { round { id } } }`;
const OPEN_ROUND = `mutation O($id: ID!) { openAwardRound(id: $id) { round { id status } } }`;
const CREATE_NOMINATION = `mutation C($input: CreateNominationInput!) { createNomination(input: $input) { nomination { id version status } } }`;
const step = (name: string) => `mutation S($input: NominationStepInput!) { ${name}(input: $input) { nomination { id version status } } }`;
const NOMINATION = `query N($id: ID!) { nomination(id: $id) { id status version transitions { toStatus reason } award { id registerNumber } } }`;
const CREATE_COUNCIL = `mutation C($input: CreateCouncilInput!) { createCouncil(input: $input) { council { id } } }`;
const ADD_MEMBER = `mutation A($input: AddCouncilMemberInput!) { addCouncilMember(input: $input) { member { id } } }`;
const PLAN = `mutation P($input: PlanCouncilSessionInput!) { planCouncilSession(input: $input) { session { id } } }`;
const ADD_ITEM = `mutation I($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { item { id secretBallot } } }`;
const OPEN_SESSION = `mutation O($input: OpenCouncilSessionInput!) { openCouncilSession(input: $input) { session { id status } } }`;
const VOTE = `mutation V($input: CastVoteInput!) { castVote(input: $input) { recorded } }`;
const CLOSE_ITEM = `mutation X($input: CloseAgendaItemInput!) {
  closeAgendaItem(input: $input) { item { outcome tally { approve reject base } } }
}`;
const AWARD_FIELDS = `id nomineeKind nominee { __typename ... on Household { id } } awardeeName awardeeDetail citation year registerNumber
  revoked revokedOn revocationRef revocationReason version certificateUrl form { code name } decision { id number }`;
const ISSUE = `mutation D($input: IssueAwardDecisionInput!) {
  issueAwardDecision(input: $input) {
    decision { id number decidedOn issuingBody grantor place signerName signerTitle citation form { code authorityLevel }
      issuingUnit { id name } round { id decisions { id } } certificatesUrl awards { ${AWARD_FIELDS} } }
  }
}`;
const REVOKE = `mutation R($input: RevokeAwardInput!) { revokeAward(input: $input) { award { ${AWARD_FIELDS} } } }`;
const HOUSEHOLD_AWARDS = `query H($id: ID!) { household(id: $id) { id awards { ${AWARD_FIELDS} } } }`;
const AWARD = `query A($id: ID!) { award(id: $id) { ${AWARD_FIELDS} } }`;
const UNIT_AWARDS = `query U($id: ID!, $year: Int, $scope: AwardListScope, $first: Int) {
  adminUnit(id: $id) { id awards(year: $year, scope: $scope, first: $first) { totalCount edges { node { id registerNumber } } } }
}`;

const ok = async (query: string, input: Record<string, unknown>, token: string) => {
  const res = await gql(query, { input }, { token });
  expect(res.errors).toBeUndefined();
  return Object.values(res.data!)[0] as Record<string, any>;
};
const refused = async (query: string, input: Record<string, unknown>, token: string) => {
  const res = await gql(query, { input }, { token });
  expect(res.errors).toBeDefined();
  return res.errors![0]!.extensions as Record<string, unknown>;
};
const certificate = (awardId: string, token?: string) =>
  fetch(new URL(`/certificates/${awardId}`, stack().gatewayUrl), { headers: token ? { authorization: `Bearer ${token}` } : {} });
const print = (path: string, token: string) => fetch(new URL(path, stack().gatewayUrl), { headers: { authorization: `Bearer ${token}` } });
const decisionRows = async (roundId: string) =>
  (await sql<{ n: number }>('awards', 'select count(*)::int as n from award_decision where round_id = $1', [roundId]))[0]!.n;

let events: Awaited<ReturnType<typeof collectTopic>>;
beforeAll(async () => {
  events = await collectTopic(TOPIC);
});
afterAll(async () => {
  await events?.stop();
});

describe('a whole award round, from nomination to certificate, through the gateway', () => {
  it('nominated, reviewed, voted at the edge, decided by the right authority, printed, listed and revoked', async () => {
    // in place since 2020: the households' Learning Family years 2023–2025 are decided by the commune
    const unit = (name: string, kind: string, parentId?: string) =>
      createUnit({ code: uniqueCode(), name, kind, parentId, validFrom: '2020-01-01' });
    const nation = await unit('Việt Nam (quyết định khen thưởng)', 'NATION');
    const province = await unit('Tỉnh Ninh Bình', 'PROVINCE', nation.id);
    const commune = await unit('Xã Gia Viễn', 'COMMUNE', province.id);
    const other = await unit('Xã Nho Quan', 'COMMUNE', province.id);
    const households: string[] = [];
    for (const headName of ['Đinh Văn Ằng', 'Phạm Thị Ủy']) {
      const res = await gql(REGISTER_HOUSEHOLD, { input: { unitId: commune.id, code: uniqueCode(), headName } });
      expect(res.errors).toBeUndefined();
      households.push(res.data!.registerHousehold.household.id);
    }
    const [h1] = households as [string, string];
    const proposer = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: commune.id }], 'can-bo-gia-vien');
    const communeEmulation = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: commune.id }], 'thi-dua-gia-vien');
    const provinceOfficer = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: province.id }], 'thi-dua-ninh-binh');
    const outsider = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: other.id }], 'can-bo-nho-quan');
    const partner = await tokenFor([{ role: 'PARTNER' }], 'doi-tac');

    // recognition knows the units and households (one topic, in order) before it decides on them
    await replicated('participant_replica', households);
    const at = households.map((id) => ({ id, unitId: commune.id }));
    for (const year of [2023, 2024, 2025]) {
      await recogniseHouseholds({
        year,
        decidingUnitId: commune.id,
        date: `${year + 1}-01-10`,
        number: `${year % 100}/QĐ-UBND`,
        households: at,
      });
    }
    await replicated('admin_unit_version_replica', [province.id, commune.id, other.id], 'awards');
    const recognitions = await eventually(
      async () => {
        const rows = await sql<{ subject: string; id: string }>(
          'awards',
          'select subject_id as subject, recognition_id as id from award_recognition where subject_id = any($1::uuid[]) order by year',
          [households],
        );
        return rows.length === 6 ? rows : undefined;
      },
      60000,
      "awards' recognitions",
    );

    // the province's round: its chair's Bằng khen for households with three Learning Family years
    const round = (
      await ok(
        CREATE_ROUND,
        {
          scopeUnitId: province.id,
          kind: 'ANNUAL',
          year: 2026,
          name: 'Khen thưởng Tuần lễ hưởng ứng học tập suốt đời năm 2026',
          nominationDeadline: '2026-12-20',
          decisionDeadline: '2026-12-28',
          forms: [
            { formCode: FORM, quota: { count: 5 }, rules: [{ kind: 'TITLE_CONSECUTIVE_YEARS', title: 'LEARNING_FAMILY', years: 3 }] },
          ],
        },
        provinceOfficer,
      )
    ).round;
    const opened = await gql(OPEN_ROUND, { id: round.id }, { token: provinceOfficer });
    expect(opened.errors).toBeUndefined();

    // the commune proposes both, the province receives and reviews them
    const nominations: { id: string; version: number }[] = [];
    for (const h of households) {
      let n = (
        await ok(
          CREATE_NOMINATION,
          {
            roundId: round.id,
            formCode: FORM,
            nomineeKind: 'HOUSEHOLD',
            nomineeId: h,
            proposingUnitId: commune.id,
            summary: 'Ba năm liền Gia đình học tập, con cháu học giỏi',
            achievement: { recognitionIds: recognitions.filter((r) => r.subject === h).map((r) => r.id) },
          },
          proposer,
        )
      ).nomination;
      n = (await ok(step('submitNomination'), { id: n.id, expectedVersion: n.version }, proposer)).nomination;
      n = (await ok(step('receiveNomination'), { id: n.id, expectedVersion: n.version }, provinceOfficer)).nomination;
      n = (await ok(step('startNominationReview'), { id: n.id, expectedVersion: n.version }, provinceOfficer)).nomination;
      expect(n.status).toBe('UNDER_REVIEW');
      nominations.push(n);
    }
    const [n1, n2] = nominations as [{ id: string; version: number }, { id: string; version: number }];

    // the province's council of five passes with ≥ 60 % of all members: exactly three approvals pass, two do not
    const council = (
      await ok(
        CREATE_COUNCIL,
        {
          unitId: province.id,
          name: 'Hội đồng Thi đua – Khen thưởng tỉnh Ninh Bình',
          quorum: { numerator: 2, denominator: 3 },
          passThreshold: { base: 'ALL_MEMBERS', comparator: 'GTE', percent: 60 },
          secretBallot: true,
        },
        provinceOfficer,
      )
    ).council;
    const members: { id: string; token: string }[] = [];
    for (const [k, displayName] of ['Trần Văn Đức', 'Lê Thị Hằng', 'Ngô Văn Quý', 'Bùi Thị Nga', 'Vũ Văn Sơn'].entries()) {
      const subject = `hd-ninh-binh-${k + 1}-${randomUUID().slice(0, 6)}`;
      const m = (await ok(ADD_MEMBER, { councilId: council.id, subject, displayName, chair: k === 0, from: '2026-01-01' }, provinceOfficer))
        .member;
      members.push({ id: m.id, token: await tokenFor([{ role: 'COUNCIL_MEMBER', unitId: province.id }], subject) });
    }
    const session = (
      await ok(PLAN, { councilId: council.id, date: '2026-09-28', place: 'Hội trường UBND tỉnh Ninh Bình' }, provinceOfficer)
    ).session;
    const items = [];
    for (const [i, n] of nominations.entries()) {
      items.push(
        (
          await ok(
            ADD_ITEM,
            { sessionId: session.id, subjectKind: 'NOMINATION', subjectId: n.id, title: `Bằng khen cho hộ ${i + 1}` },
            provinceOfficer,
          )
        ).item,
      );
    }
    await ok(OPEN_SESSION, { sessionId: session.id, presentMemberIds: members.map((m) => m.id) }, provinceOfficer);
    const votes: Record<number, string[]> = {
      0: ['APPROVE', 'APPROVE', 'APPROVE', 'REJECT', 'ABSTAIN'],
      1: ['APPROVE', 'APPROVE', 'REJECT', 'REJECT', 'ABSTAIN'],
    };
    for (const [i, item] of items.entries()) {
      for (const [k, m] of members.entries())
        expect((await ok(VOTE, { itemId: item.id, choice: votes[i]![k] }, m.token)).recorded).toBe(true);
    }
    const closed = [];
    for (const item of items) closed.push((await ok(CLOSE_ITEM, { itemId: item.id }, provinceOfficer)).item);
    expect(closed.map((c) => [c.outcome, c.tally.approve, c.tally.base])).toEqual([
      ['PASSED', 3, 5],
      ['FAILED', 2, 5],
    ]);
    const after = await Promise.all(
      nominations.map(async (n) => (await gql(NOMINATION, { id: n.id }, { token: provinceOfficer })).data!.nomination),
    );
    expect(after.map((n) => n.status)).toEqual(['APPROVED', 'REJECTED']);

    // the commune's officer holds no province chair's authority; a rejected nomination is not decided
    const decisionInput = {
      roundId: round.id,
      formCode: FORM,
      number: '1520/QĐ-UBND',
      decidedOn: '2026-10-01',
      issuingUnitId: province.id,
      signerName: 'Phạm Quang Ngọc',
      awardees: [{ nominationId: n1.id, name: 'Gia đình ông Đinh Văn Ằng' }],
    };
    expect(await refused(ISSUE, { ...decisionInput, issuingUnitId: commune.id }, communeEmulation)).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'WRONG_AUTHORITY',
    });
    expect(await refused(ISSUE, decisionInput, communeEmulation)).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    expect(
      await refused(
        ISSUE,
        { ...decisionInput, awardees: [...decisionInput.awardees, { nominationId: n2.id, name: 'Gia đình bà Phạm Thị Ủy' }] },
        provinceOfficer,
      ),
    ).toMatchObject({ code: 'CONFLICT', messageKey: 'WRONG_NOMINATION_STATUS' });
    expect(await refused(ISSUE, { ...decisionInput, number: '' }, provinceOfficer)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['input', 'number'],
    });
    expect(await decisionRows(round.id)).toBe(0);

    const decision = (await ok(ISSUE, decisionInput, provinceOfficer)).decision;
    expect(decision).toMatchObject({
      number: '1520/QĐ-UBND',
      decidedOn: '2026-10-01',
      issuingBody: ['ỦY BAN NHÂN DÂN', 'TỈNH NINH BÌNH'],
      grantor: 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NINH BÌNH',
      place: 'Ninh Bình',
      signerTitle: 'CHỦ TỊCH',
      form: { code: FORM, authorityLevel: 'PROVINCE' },
      issuingUnit: { id: province.id, name: 'Tỉnh Ninh Bình' },
      round: { id: round.id, decisions: [{ id: decision.id }] },
    });
    const [award] = decision.awards;
    expect(award).toMatchObject({
      nominee: { __typename: 'Household', id: h1 },
      awardeeName: 'Gia đình ông Đinh Văn Ằng',
      awardeeDetail: 'Xã Gia Viễn, Tỉnh Ninh Bình',
      year: 2026,
      revoked: false,
      certificateUrl: `/certificates/${award.id}`,
      form: { name: 'Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh' },
    });
    const decided = (await gql(NOMINATION, { id: n1.id }, { token: proposer })).data!.nomination;
    expect(decided).toMatchObject({ status: 'DECIDED', award: { id: award.id, registerNumber: award.registerNumber } });
    // a second decision on the same nomination: it is DECIDED, not APPROVED
    expect(await refused(ISSUE, { ...decisionInput, number: '1521/QĐ-UBND' }, provinceOfficer)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'WRONG_NOMINATION_STATUS',
    });

    // the certificate: for the proposing commune, in Vietnamese, every diacritic as typed
    const pdf = await certificate(award.id, proposer);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const [page] = await pdfText(Buffer.from(await pdf.arrayBuffer()));
    // the whole page in reading order (a long line wraps where the page ends it)
    expect(page!.replace(/\s+/g, ' ')).toBe(
      [
        'ỦY BAN NHÂN DÂN',
        'TỈNH NINH BÌNH',
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập – Tự do – Hạnh phúc',
        'BẰNG KHEN',
        'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NINH BÌNH',
        'TẶNG',
        'Gia đình ông Đinh Văn Ằng',
        'Xã Gia Viễn, Tỉnh Ninh Bình',
        'Đã có thành tích xuất sắc trong phong trào khuyến học, khuyến tài, xây dựng xã hội học tập năm 2026',
        'Ninh Bình, ngày 1 tháng 10 năm 2026',
        'CHỦ TỊCH',
        'Phạm Quang Ngọc',
        'Quyết định số 1520/QĐ-UBND ngày 01/10/2026',
        `Số vào sổ: ${award.registerNumber}`,
      ].join(' '),
    );
    // nobody else prints it: another commune, a partner, no token
    expect((await certificate(award.id, outsider)).status).toBe(403);
    expect((await certificate(award.id, partner)).status).toBe(403);
    expect((await certificate(award.id)).status).toBe(401);
    expect((await certificate(randomUUID(), proposer)).status).toBe(404);
    // the whole decision in one PDF, a page per award the caller may print
    expect(decision.certificatesUrl).toBe(`/certificates/decisions/${decision.id}`);
    const all = await print(decision.certificatesUrl, provinceOfficer);
    expect(all.status).toBe(200);
    const pages = await pdfText(Buffer.from(await all.arrayBuffer()));
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('Gia đình ông Đinh Văn Ằng');
    expect((await print(decision.certificatesUrl, outsider)).status).toBe(403);

    // the award on the household and the units; the household's name only for those who may read it
    const mine = (await gql(HOUSEHOLD_AWARDS, { id: h1 }, { token: proposer })).data!.household.awards;
    expect(mine).toEqual([
      expect.objectContaining({
        id: award.id,
        awardeeName: 'Gia đình ông Đinh Văn Ằng',
        decision: { id: decision.id, number: '1520/QĐ-UBND' },
      }),
    ]);
    const seen = (await gql(AWARD, { id: award.id }, { token: partner })).data!.award;
    expect(seen).toMatchObject({ id: award.id, awardeeName: null, certificateUrl: null, registerNumber: award.registerNumber });
    const awardsOf = async (id: string, scope: string, year = 2026) =>
      (await gql(UNIT_AWARDS, { id, year, scope }, { token: partner })).data!.adminUnit.awards;
    expect(await awardsOf(province.id, 'AREA')).toMatchObject({ totalCount: 1, edges: [{ node: { id: award.id } }] });
    expect(await awardsOf(commune.id, 'AREA')).toMatchObject({ totalCount: 1 });
    expect(await awardsOf(commune.id, 'UNIT')).toMatchObject({ totalCount: 0, edges: [] });
    expect(await awardsOf(other.id, 'AREA')).toMatchObject({ totalCount: 0 });
    expect(await awardsOf(province.id, 'AREA', 2025)).toMatchObject({ totalCount: 0 });

    // revoked by the province: marked on the award, no certificate any more
    const revokeInput = {
      awardId: award.id,
      expectedVersion: award.version,
      reason: 'Hồ sơ kê khai không trung thực',
      revocationRef: '88/QĐ-UBND',
    };
    expect(await refused(REVOKE, revokeInput, communeEmulation)).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    expect(await refused(REVOKE, { ...revokeInput, reason: '  ' }, provinceOfficer)).toMatchObject({ code: 'BAD_USER_INPUT' });
    const revoked = (await ok(REVOKE, revokeInput, provinceOfficer)).award;
    expect(revoked).toMatchObject({
      revoked: true,
      revocationRef: '88/QĐ-UBND',
      revocationReason: 'Hồ sơ kê khai không trung thực',
      certificateUrl: null,
    });
    expect(await refused(REVOKE, { ...revokeInput, expectedVersion: revoked.version }, provinceOfficer)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'AWARD_ALREADY_REVOKED',
    });
    expect((await print(`/certificates/decisions/${decision.id}`, provinceOfficer)).status).toBe(409);
    const gone = await certificate(award.id, proposer);
    expect(gone.status).toBe(409);
    expect(((await gone.json()) as { errors: { extensions: { messageKey: string } }[] }).errors[0]!.extensions.messageKey).toBe(
      'AWARD_REVOKED',
    );
    expect((await gql(AWARD, { id: award.id }, { token: partner })).data!.award).toMatchObject({
      revoked: true,
      revocationReason: null,
    });

    // both facts on the topic, keyed by the decision, with ids and no names
    const onTopic = await eventually(
      async () => {
        const mine = events.messages
          .map((m) => JSON.parse(m.value!.toString()) as { type: string; subject: string; data: Record<string, unknown> })
          .filter((e) => e.subject === decision.id);
        return mine.length === 2 ? mine : undefined;
      },
      30000,
      'award events',
    );
    expect(onTopic.map((e) => e.type)).toEqual([DECIDED, REVOKED]);
    expect(onTopic[0]!.data).toMatchObject({
      decisionId: decision.id,
      number: '1520/QĐ-UBND',
      formCode: FORM,
      issuingUnitId: province.id,
      awards: [{ awardId: award.id, nominationId: n1.id, nomineeKind: 'HOUSEHOLD', nomineeId: h1, registerNumber: award.registerNumber }],
    });
    expect(onTopic[1]!.data).toMatchObject({ awardId: award.id, revocationRef: '88/QĐ-UBND' });
    expect(JSON.stringify(onTopic)).not.toMatch(/Đinh Văn|kê khai/);
  });
});
