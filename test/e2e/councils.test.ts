import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { adminToken, collectTopic, createProvince, createUnit, eventually, gql, sql, tokenFor, uniqueCode } from '../support/stack';
import { replicated } from '../support/recognition';

/**
 * Emulation and commendation councils through the gateway: a commune's council of ten that passes
 * with ≥ 90 % of all members (nine approvals pass, eight fail), a secret ballot on an initiative
 * whose votes nobody can read while its tally is public, a second vote and a non-member refused, a
 * manager outside the commune refused, minutes with the tallies; another commune's council deciding
 * by > 50 % of those present, where a conflicted member's vote is left out; and the nominations'
 * voted events on xhht.awards.events, without voters. The items are real nominations of each
 * commune's round, under review: while before the council the officer cannot approve them, and
 * closing an item moves its nomination — nine of ten (exactly the threshold) approves it, eight
 * reject it with the session and tally as the reason.
 */

const TOPIC = 'xhht.awards.events';
const VOTED = 'vn.xhht.awards.nomination.voted.v1';
const APPROVED = 'vn.xhht.awards.nomination.approved.v1';
const REJECTED = 'vn.xhht.awards.nomination.rejected.v1';

const COUNCIL_FIELDS = `id name unit { id name } rules { secretBallot quorum { numerator denominator description }
  passThreshold { base comparator percent description } } chair { displayName } members { id subject displayName chair from to }`;
const ITEM_FIELDS = `id position subjectKind nominationId initiativeId title secretBallot status outcome outcomeName
  tally { members present conflicted base approve reject abstain excluded quorumMet }
  votes { member { displayName } choice choiceName } conflicts { member { displayName } reason }`;
const CREATE = `mutation C($input: CreateCouncilInput!) { createCouncil(input: $input) { council { ${COUNCIL_FIELDS} } } }`;
const ADD_MEMBER = `mutation A($input: AddCouncilMemberInput!) { addCouncilMember(input: $input) { member { id subject displayName chair } } }`;
const PLAN = `mutation P($input: PlanCouncilSessionInput!) { planCouncilSession(input: $input) { session { id status statusName date place } } }`;
const ADD_ITEM = `mutation I($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { item { ${ITEM_FIELDS} } } }`;
const OPEN = `mutation O($input: OpenCouncilSessionInput!) {
  openCouncilSession(input: $input) { session { id status attendance { displayName } } }
}`;
const VOTE = `mutation V($input: CastVoteInput!) { castVote(input: $input) { recorded item { id status } } }`;
const CONFLICT = `mutation D($input: DeclareConflictOfInterestInput!) { declareConflictOfInterest(input: $input) { item { id } } }`;
const CLOSE_ITEM = `mutation X($input: CloseAgendaItemInput!) { closeAgendaItem(input: $input) { item { ${ITEM_FIELDS} } } }`;
const CLOSE_SESSION = `mutation Y($input: CloseCouncilSessionInput!) {
  closeCouncilSession(input: $input) { session { id status closedAt minutes agenda { ${ITEM_FIELDS} } } }
}`;
const ITEM = `query Q($id: ID!) { agendaItem(id: $id) { ${ITEM_FIELDS} } }`;
const REMOVE_ITEM = `mutation R($input: RemoveAgendaItemInput!) {
  removeAgendaItem(input: $input) { item { id status statusName removedBy removalReason tally { approve } outcome } }
}`;
const CANCEL_SESSION = `mutation Z($input: CancelCouncilSessionInput!) {
  cancelCouncilSession(input: $input) { session { id status statusName cancelledBy cancelReason agenda { id status removalReason } } }
}`;
const UNIT_COUNCIL = `query U($id: ID!) {
  adminUnit(id: $id) { name council { name sessions { id status minutes agenda { id title outcome } attendance { displayName } } } }
}`;
const COUNCIL = `query K($id: ID!) { council(id: $id) { id name } }`;
const REGISTER_INITIATIVE = `mutation R($input: RegisterInitiativeInput!) { registerInitiative(input: $input) { initiative { id } } }`;
const REGISTER_HOUSEHOLD = `mutation H($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id } } }`;
const CREATE_ROUND = `mutation C($input: CreateAwardRoundInput!) { createAwardRound(input: $input) { round { id } } }`;
const OPEN_ROUND = `mutation O($id: ID!) { openAwardRound(id: $id) { round { id status } } }`;
const CREATE_NOMINATION = `mutation N($input: CreateNominationInput!) { createNomination(input: $input) { nomination { id version status } } }`;
const nominationStep = (name: string, input = 'NominationStepInput') =>
  `mutation S($input: ${input}!) { ${name}(input: $input) { nomination { id version status } } }`;
const NOMINATION = `query N($id: ID!) {
  nomination(id: $id) { id status version rejectionReason transitions { fromStatus toStatus reason by } }
}`;

const ok = async (query: string, input: Record<string, unknown>, token: string) => {
  const res = await gql(query, { input }, { token });
  expect(res.errors).toBeUndefined();
  return Object.values(res.data!)[0] as Record<string, any>;
};
const refused = async (query: string, variables: Record<string, unknown>, token: string) => {
  const res = await gql(query, variables, { token });
  expect(res.errors).toBeDefined();
  return res.errors![0]!.extensions;
};
/** Every council row of a council, to show a refusal wrote nothing. */
const councilRows = async (unitId: string) =>
  sql(
    'awards',
    `select (select count(*)::int from council where unit_id = $1) as councils,
       (select count(*)::int from council_member m join council c on c.id = m.council_id where c.unit_id = $1) as members,
       (select count(*)::int from council_vote_cast v join council_agenda_item i on i.id = v.item_id
          join council_session s on s.id = i.session_id join council c on c.id = s.council_id where c.unit_id = $1) as votes`,
    [unitId],
  );

/** A household of the unit, in awards' replica. */
async function household(unitId: string): Promise<string> {
  const id = (await ok(REGISTER_HOUSEHOLD, { unitId, code: uniqueCode(), headName: 'Nguyễn Văn Tâm' }, await adminToken())).household.id;
  await replicated('participant_replica', [id], 'awards');
  return id as string;
}

/** The unit's OPEN round for the commune chair's certificate, by its emulation officer. */
async function giayKhenRound(unitId: string, token: string): Promise<string> {
  const round = (
    await ok(
      CREATE_ROUND,
      {
        scopeUnitId: unitId,
        kind: 'ANNUAL',
        year: 2026,
        name: 'Khen thưởng Tuần lễ hưởng ứng học tập suốt đời năm 2026',
        nominationDeadline: '2026-12-20',
        decisionDeadline: '2026-12-28',
        forms: [{ formCode: 'GIAY_KHEN_CHU_TICH_XA' }],
      },
      token,
    )
  ).round;
  expect((await gql(OPEN_ROUND, { id: round.id }, { token })).errors).toBeUndefined();
  return round.id as string;
}

/** A household of the unit nominated in the round, submitted, received and under review, all by the unit's emulation officer. */
async function underReview(roundId: string, unitId: string, token: string, text: string): Promise<{ id: string; version: number }> {
  let n = (
    await ok(
      CREATE_NOMINATION,
      {
        roundId,
        formCode: 'GIAY_KHEN_CHU_TICH_XA',
        nomineeKind: 'HOUSEHOLD',
        nomineeId: await household(unitId),
        proposingUnitId: unitId,
        summary: 'Gia đình tiêu biểu trong phong trào xây dựng xã hội học tập',
        achievement: { free: { kind: 'Thành tích phong trào', year: 2025, text } },
      },
      token,
    )
  ).nomination;
  for (const name of ['submitNomination', 'receiveNomination', 'startNominationReview']) {
    n = (await ok(nominationStep(name), { id: n.id, expectedVersion: n.version }, token)).nomination;
  }
  expect(n.status).toBe('UNDER_REVIEW');
  return n;
}

interface VotedEvent {
  type: string;
  subject: string;
  data: { nominationId: string; agendaItemId: string; outcome: string; tally: Record<string, number>; secretBallot: boolean };
}

let events: { messages: KafkaMessage[]; stop: () => Promise<void> };
beforeAll(async () => {
  events = await collectTopic(TOPIC);
});
afterAll(async () => {
  await events?.stop();
});

describe('councils, sessions and votes, through the gateway', () => {
  it('a council of ten at ≥ 90 % of all members moving its nominations, a secret ballot, refusals, minutes, and a > 50 %-of-present council with a conflict', async () => {
    const { province } = await createProvince('Việt Nam (hội đồng thi đua)', 'Tỉnh Bắc Ninh');
    const commune = (name: string) =>
      createUnit({ code: uniqueCode(), name, kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
    const tamDa = await commune('Xã Tam Đa');
    const yenPhu = await commune('Xã Yên Phụ');
    await replicated('admin_unit_version_replica', [province.id, tamDa.id, yenPhu.id], 'awards');

    const officer = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: tamDa.id }], 'thi-dua-tam-da');
    const outsider = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: yenPhu.id }], 'thi-dua-yen-phu');
    const citizenOfficer = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: tamDa.id }], 'can-bo-xa-tam-da');

    const rules = {
      quorum: { numerator: 2, denominator: 3 },
      passThreshold: { base: 'ALL_MEMBERS', comparator: 'GTE', percent: 90 },
      secretBallot: false,
    };
    // outside the commune, or not a manager: refused, nothing written
    expect(await refused(CREATE, { input: { unitId: tamDa.id, name: 'Hội đồng', ...rules } }, outsider)).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'OUTSIDE_SCOPE',
    });
    expect(await refused(CREATE, { input: { unitId: tamDa.id, name: 'Hội đồng', ...rules } }, citizenOfficer)).toMatchObject({
      code: 'FORBIDDEN',
    });
    const bad = await refused(
      CREATE,
      { input: { unitId: tamDa.id, name: 'Hội đồng', ...rules, passThreshold: { ...rules.passThreshold, percent: 120 } } },
      officer,
    );
    expect(bad).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'passThreshold', 'percent'] });
    expect(await councilRows(tamDa.id)).toEqual([{ councils: 0, members: 0, votes: 0 }]);

    const council = (await ok(CREATE, { unitId: tamDa.id, name: 'Hội đồng Thi đua – Khen thưởng xã Tam Đa', ...rules }, officer)).council;
    expect(council.rules).toEqual({
      secretBallot: false,
      quorum: { numerator: 2, denominator: 3, description: 'ít nhất 2/3 tổng số thành viên có mặt' },
      passThreshold: { base: 'ALL_MEMBERS', comparator: 'GTE', percent: 90, description: '≥ 90 % tổng số thành viên hội đồng' },
    });
    expect(await refused(CREATE, { input: { unitId: tamDa.id, name: 'Hội đồng thứ hai', ...rules } }, officer)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'COUNCIL_EXISTS',
    });

    // ten members: each votes as the account named by the token's subject
    const names = [
      'Nguyễn Văn An',
      'Trần Thị Bình',
      'Lê Văn Cường',
      'Phạm Thị Dung',
      'Hoàng Văn Em',
      'Vũ Thị Gấm',
      'Đỗ Văn Hải',
      'Bùi Thị Hoa',
      'Ngô Văn Khánh',
      'Đặng Thị Lan',
    ];
    const members: { id: string; subject: string; token: string }[] = [];
    for (const [k, displayName] of names.entries()) {
      const subject = `hd-tam-da-${k + 1}-${randomUUID().slice(0, 6)}`;
      const m = (await ok(ADD_MEMBER, { councilId: council.id, subject, displayName, chair: k === 0, from: '2026-01-01' }, officer)).member;
      members.push({ id: m.id, subject, token: await tokenFor([{ role: 'COUNCIL_MEMBER', unitId: tamDa.id }], subject) });
    }
    expect(
      await refused(ADD_MEMBER, { input: { councilId: council.id, subject: members[1]!.subject, displayName: 'Trùng' } }, officer),
    ).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'ALREADY_MEMBER',
    });
    expect(
      await refused(ADD_MEMBER, { input: { councilId: council.id, subject: 'x', displayName: 'Người ngoài' } }, outsider),
    ).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'OUTSIDE_SCOPE',
    });

    const session = (await ok(PLAN, { councilId: council.id, date: '2026-09-25', place: 'Hội trường UBND xã Tam Đa' }, officer)).session;
    expect(session).toMatchObject({ status: 'PLANNED', statusName: 'Dự kiến' });
    const roundTamDa = await giayKhenRound(tamDa.id, officer);
    const nominationA = (await underReview(roundTamDa, tamDa.id, officer, 'Gia đình học tập tiêu biểu thôn Đông')).id;
    const nominationB = (await underReview(roundTamDa, tamDa.id, officer, 'Gia đình khuyến học thôn Tây')).id;
    expect(
      await refused(
        ADD_ITEM,
        { input: { sessionId: session.id, subjectKind: 'NOMINATION', subjectId: randomUUID(), title: 'Không có' } },
        officer,
      ),
    ).toMatchObject({ code: 'NOT_FOUND', messageKey: 'NOMINATION_NOT_FOUND' });
    const itemA = (
      await ok(
        ADD_ITEM,
        { sessionId: session.id, subjectKind: 'NOMINATION', subjectId: nominationA, title: 'Giấy khen cho gia đình ông Nguyễn Văn Tâm' },
        officer,
      )
    ).item;
    const itemB = (
      await ok(
        ADD_ITEM,
        { sessionId: session.id, subjectKind: 'NOMINATION', subjectId: nominationB, title: 'Giấy khen cho dòng họ Đỗ' },
        officer,
      )
    ).item;
    expect(
      await refused(
        ADD_ITEM,
        { input: { sessionId: session.id, subjectKind: 'INITIATIVE', subjectId: randomUUID(), title: 'Không có' } },
        officer,
      ),
    ).toMatchObject({ code: 'NOT_FOUND', messageKey: 'INITIATIVE_NOT_FOUND' });
    // on the agenda: not a second time, and not approved by the officer ahead of the vote
    expect(
      await refused(
        ADD_ITEM,
        { input: { sessionId: session.id, subjectKind: 'NOMINATION', subjectId: nominationA, title: 'Lần hai' } },
        officer,
      ),
    ).toMatchObject({ code: 'CONFLICT', messageKey: 'NOMINATION_ALREADY_ON_AGENDA' });
    const pending = (await gql(NOMINATION, { id: nominationA }, { token: officer })).data!.nomination;
    expect(
      await refused(nominationStep('approveNomination'), { input: { id: nominationA, expectedVersion: pending.version } }, officer),
    ).toMatchObject({ code: 'CONFLICT', messageKey: 'NOMINATION_BEFORE_COUNCIL' });
    const initiative = (
      await ok(
        REGISTER_INITIATIVE,
        {
          kind: 'INITIATIVE',
          title: 'Tủ sách dòng họ ở thôn Đông',
          description: 'Mỗi dòng họ góp sách, con cháu mượn đọc và thi kể chuyện sách hằng quý.',
          field: 'READING_CULTURE',
          unitId: tamDa.id,
          appliedSince: '2025-03-01',
          effectScope: 'COMMUNE',
          effectDescription: '14 dòng họ tham gia',
        },
        await tokenFor([{ role: 'SYSTEM_ADMIN' }], 'test-admin'),
      )
    ).initiative;
    const itemC = (
      await ok(
        ADD_ITEM,
        {
          sessionId: session.id,
          subjectKind: 'INITIATIVE',
          subjectId: initiative.id,
          title: 'Công nhận sáng kiến tủ sách dòng họ',
          secretBallot: true,
        },
        officer,
      )
    ).item;
    expect(itemA).toMatchObject({ position: 1, secretBallot: false, status: 'OPEN', tally: null, outcome: null });
    expect(itemC).toMatchObject({ position: 3, subjectKind: 'INITIATIVE', initiativeId: initiative.id, secretBallot: true, votes: null });

    // no voting before the session opens
    expect(await refused(VOTE, { input: { itemId: itemA.id, choice: 'APPROVE' } }, members[0]!.token)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'SESSION_NOT_OPEN',
    });
    const opened = (await ok(OPEN, { sessionId: session.id, presentMemberIds: members.map((m) => m.id) }, officer)).session;
    expect(opened.status).toBe('OPEN');
    expect(opened.attendance).toHaveLength(10);

    for (const [k, m] of members.entries()) {
      expect((await ok(VOTE, { itemId: itemA.id, choice: k < 9 ? 'APPROVE' : 'REJECT' }, m.token)).recorded).toBe(true);
      await ok(VOTE, { itemId: itemB.id, choice: k < 8 ? 'APPROVE' : 'REJECT' }, m.token);
      await ok(VOTE, { itemId: itemC.id, choice: k < 7 ? 'APPROVE' : 'ABSTAIN' }, m.token);
    }
    // a second vote, a signed-in council member who is not on this council, a member of another unit's scope
    expect(await refused(VOTE, { input: { itemId: itemA.id, choice: 'REJECT' } }, members[0]!.token)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'ALREADY_VOTED',
    });
    const stranger = await tokenFor([{ role: 'COUNCIL_MEMBER', unitId: tamDa.id }], 'khong-phai-thanh-vien');
    expect(await refused(VOTE, { input: { itemId: itemA.id, choice: 'APPROVE' } }, stranger)).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'NOT_COUNCIL_MEMBER',
    });
    expect(await refused(VOTE, { input: { itemId: itemA.id, choice: 'APPROVE' } }, officer)).toMatchObject({ code: 'FORBIDDEN' });
    expect((await councilRows(tamDa.id))[0]).toMatchObject({ votes: 30 });

    // open item: each member's vote readable by members and the officer; secret item: by nobody
    const readA = await gql(ITEM, { id: itemA.id }, { token: members[3]!.token });
    expect(readA.data!.agendaItem.votes).toHaveLength(10);
    expect(readA.data!.agendaItem.votes).toContainEqual({
      member: { displayName: 'Đặng Thị Lan' },
      choice: 'REJECT',
      choiceName: 'Không đồng ý',
    });
    for (const token of [officer, members[0]!.token, await tokenFor([{ role: 'SYSTEM_ADMIN' }], 'test-admin')]) {
      const readC = await gql(ITEM, { id: itemC.id }, { token });
      expect(readC.errors).toBeUndefined();
      expect(readC.data!.agendaItem).toMatchObject({ secretBallot: true, votes: null });
    }
    expect(await refused(ITEM, { id: itemA.id }, outsider)).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    expect(await refused(COUNCIL, { id: council.id }, outsider)).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    expect(await refused(CLOSE_ITEM, { input: { itemId: itemA.id } }, outsider)).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'OUTSIDE_SCOPE',
    });
    expect(await refused(CLOSE_ITEM, { input: { itemId: itemA.id } }, members[0]!.token)).toMatchObject({ code: 'FORBIDDEN' });

    const closedA = (await ok(CLOSE_ITEM, { itemId: itemA.id }, officer)).item;
    expect(closedA).toMatchObject({
      status: 'CLOSED',
      outcome: 'PASSED',
      outcomeName: 'Được thông qua',
      tally: { members: 10, present: 10, conflicted: 0, base: 10, approve: 9, reject: 1, abstain: 0, excluded: 0, quorumMet: true },
    });
    // nine of ten is exactly ≥ 90 %: the nomination is approved by the council, as the step of whoever closed the item
    const approved = (await gql(NOMINATION, { id: nominationA }, { token: officer })).data!.nomination;
    expect(approved).toMatchObject({ status: 'APPROVED', version: pending.version + 1 });
    expect(approved.transitions.at(-1)).toMatchObject({ fromStatus: 'UNDER_REVIEW', toStatus: 'APPROVED', by: 'thi-dua-tam-da' });
    expect(approved.transitions.at(-1).reason).toBe(
      'Hội đồng Thi đua – Khen thưởng xã Tam Đa, phiên họp ngày 25/09/2026 tại Hội trường UBND xã Tam Đa: được thông qua — ' +
        'đồng ý 9, không đồng ý 1, không biểu quyết 0 trên 10 thành viên (thông qua khi số phiếu đồng ý ≥ 90 % tổng số thành viên hội đồng)',
    );
    const closed = (await ok(CLOSE_SESSION, { sessionId: session.id }, officer)).session;
    expect(closed.status).toBe('CLOSED');
    const [, b, c] = closed.agenda;
    expect(b).toMatchObject({ outcome: 'FAILED', tally: { base: 10, approve: 8, reject: 2 } });
    // eight of ten is below: closing the session rejected the nomination of the item still open
    const rejected = (await gql(NOMINATION, { id: nominationB }, { token: officer })).data!.nomination;
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.rejectionReason).toContain('phiên họp ngày 25/09/2026');
    expect(rejected.rejectionReason).toContain('không được thông qua — đồng ý 8, không đồng ý 2, không biểu quyết 0 trên 10 thành viên');
    // the secret item's tally is public; its votes are not
    expect(c).toMatchObject({ outcome: 'FAILED', secretBallot: true, votes: null, tally: { approve: 7, reject: 0, abstain: 3, base: 10 } });
    const minutes: string = closed.minutes;
    expect(minutes).toContain('BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG XÃ TAM ĐA');
    expect(minutes).toContain('Ngày họp: 25/09/2026');
    expect(minutes).toContain('Địa điểm: Hội trường UBND xã Tam Đa');
    expect(minutes).toContain('Thành viên hội đồng: 10; có mặt: 10; vắng mặt: 0');
    expect(minutes).toContain('Kết quả: đồng ý 9, không đồng ý 1, không biểu quyết 0');
    expect(minutes).toContain('Kết quả: đồng ý 8, không đồng ý 2, không biểu quyết 0');
    expect(minutes).toContain('Kết quả: đồng ý 7, không đồng ý 0, không biểu quyết 3');
    expect(minutes).toContain('Đặng Thị Lan: Không đồng ý');
    expect(minutes.split('3. Công nhận sáng kiến')[1]).not.toContain('Đặng Thị Lan');
    // frozen: read back later, the same text
    const later = await gql(UNIT_COUNCIL, { id: tamDa.id }, { token: members[5]!.token });
    expect(later.errors).toBeUndefined();
    expect(later.data!.adminUnit.council.sessions[0]).toMatchObject({ status: 'CLOSED', minutes });
    expect(await refused(VOTE, { input: { itemId: itemB.id, choice: 'APPROVE' } }, members[0]!.token)).toMatchObject({ code: 'CONFLICT' });

    // another commune decides by > 50 % of those present; one member declares a conflict after voting
    const yenPhuOfficer = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: yenPhu.id }], 'thi-dua-yen-phu-2');
    const council2 = (
      await ok(
        CREATE,
        {
          unitId: yenPhu.id,
          name: 'Hội đồng Thi đua – Khen thưởng xã Yên Phụ',
          quorum: { numerator: 1, denominator: 2 },
          passThreshold: { base: 'PRESENT', comparator: 'GT', percent: 50 },
          secretBallot: false,
        },
        yenPhuOfficer,
      )
    ).council;
    const m2: { id: string; token: string }[] = [];
    for (let k = 0; k < 6; k += 1) {
      const subject = `hd-yen-phu-${k + 1}-${randomUUID().slice(0, 6)}`;
      const m = (
        await ok(
          ADD_MEMBER,
          { councilId: council2.id, subject, displayName: `Thành viên Yên Phụ ${k + 1}`, from: '2026-01-01' },
          yenPhuOfficer,
        )
      ).member;
      m2.push({ id: m.id, token: await tokenFor([{ role: 'COUNCIL_MEMBER', unitId: yenPhu.id }], subject) });
    }
    const s2 = (await ok(PLAN, { councilId: council2.id, date: '2026-09-26', place: 'Nhà văn hóa xã Yên Phụ' }, yenPhuOfficer)).session;
    const nominationC = (
      await underReview(await giayKhenRound(yenPhu.id, yenPhuOfficer), yenPhu.id, yenPhuOfficer, 'Gia đình bà Lý Thị Nga học tập suốt đời')
    ).id;
    const item2 = (
      await ok(
        ADD_ITEM,
        { sessionId: s2.id, subjectKind: 'NOMINATION', subjectId: nominationC, title: 'Giấy khen cho bà Lý Thị Nga' },
        yenPhuOfficer,
      )
    ).item;
    // five of six present
    await ok(OPEN, { sessionId: s2.id, presentMemberIds: m2.slice(0, 5).map((m) => m.id) }, yenPhuOfficer);
    // member 5 declares before voting and may not vote
    await ok(CONFLICT, { itemId: item2.id, memberId: m2[4]!.id, reason: 'Là con của người được đề nghị' }, m2[4]!.token);
    expect(await refused(VOTE, { input: { itemId: item2.id, choice: 'APPROVE' } }, m2[4]!.token)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'CONFLICT_OF_INTEREST',
    });
    expect(await refused(VOTE, { input: { itemId: item2.id, choice: 'APPROVE' } }, m2[5]!.token)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'NOT_PRESENT',
    });
    await ok(VOTE, { itemId: item2.id, choice: 'APPROVE' }, m2[0]!.token);
    await ok(VOTE, { itemId: item2.id, choice: 'APPROVE' }, m2[1]!.token);
    await ok(VOTE, { itemId: item2.id, choice: 'REJECT' }, m2[2]!.token);
    await ok(VOTE, { itemId: item2.id, choice: 'REJECT' }, m2[3]!.token);
    // 2 of 4 would be exactly half and fail; member 4 then declares a conflict and the vote is left out: 2 of 3 pass
    await ok(CONFLICT, { itemId: item2.id, memberId: m2[3]!.id, reason: 'Cùng tổ dân phố, có quan hệ họ hàng' }, yenPhuOfficer);
    const decided = (await ok(CLOSE_ITEM, { itemId: item2.id }, yenPhuOfficer)).item;
    expect(decided).toMatchObject({
      outcome: 'PASSED',
      tally: { members: 6, present: 5, conflicted: 2, base: 3, approve: 2, reject: 1, excluded: 1, quorumMet: true },
    });
    expect(decided.conflicts).toEqual([
      { member: { displayName: 'Thành viên Yên Phụ 5' }, reason: 'Là con của người được đề nghị' },
      { member: { displayName: 'Thành viên Yên Phụ 4' }, reason: 'Cùng tổ dân phố, có quan hệ họ hàng' },
    ]);
    expect((await gql(NOMINATION, { id: nominationC }, { token: yenPhuOfficer })).data!.nomination).toMatchObject({ status: 'APPROVED' });
    const minutes2: string = (await ok(CLOSE_SESSION, { sessionId: s2.id }, yenPhuOfficer)).session.minutes;
    expect(minutes2).toContain(
      'Xung đột lợi ích: Thành viên Yên Phụ 5 — Là con của người được đề nghị; Thành viên Yên Phụ 4 — Cùng tổ dân phố',
    );
    expect(minutes2).toContain('1 phiếu của thành viên có xung đột lợi ích không được tính');

    // the voted events: one per nomination item, tallies and outcomes, no voters
    const voted = await eventually(
      async () => {
        const found = events.messages
          .map((m) => JSON.parse(m.value!.toString()) as VotedEvent)
          .filter((e) => e.type === VOTED && ([nominationA, nominationB, nominationC] as string[]).includes(e.subject));
        return found.length === 3 ? found : undefined;
      },
      30000,
      'nomination voted events',
    );
    const bySubject = new Map(voted.map((e) => [e.subject, e]));
    expect(bySubject.get(nominationA)!.data).toMatchObject({ agendaItemId: itemA.id, outcome: 'PASSED', tally: { approve: 9, base: 10 } });
    expect(bySubject.get(nominationB)!.data).toMatchObject({ outcome: 'FAILED', tally: { approve: 8, reject: 2 } });
    expect(bySubject.get(nominationC)!.data).toMatchObject({ outcome: 'PASSED', tally: { approve: 2, excluded: 1, conflicted: 2 } });
    const raw = JSON.stringify(voted);
    for (const m of members) expect(raw).not.toContain(m.subject);
    for (const m of [...members, ...m2]) expect(raw).not.toContain(m.id);
    // the initiative item sends no nomination event
    expect(voted.some((e) => e.data.agendaItemId === itemC.id)).toBe(false);

    // each vote moved its nomination, told right after the vote on the nomination's key: approved or rejected THROUGH the council
    const outcomes = await eventually(
      async () => {
        const found = events.messages
          .map((m) => JSON.parse(m.value!.toString()) as { type: string; subject: string; data: { through?: string } })
          .filter(
            (e) =>
              [VOTED, APPROVED, REJECTED].includes(e.type) && ([nominationA, nominationB, nominationC] as string[]).includes(e.subject),
          );
        return found.length === 6 ? found : undefined;
      },
      30000,
      'nomination approved and rejected events',
    );
    for (const [nomination, type] of [
      [nominationA, APPROVED],
      [nominationB, REJECTED],
      [nominationC, APPROVED],
    ] as const) {
      expect(outcomes.filter((e) => e.subject === nomination).map((e) => [e.type, e.data.through])).toEqual([
        [VOTED, undefined],
        [type, 'COUNCIL'],
      ]);
    }
  });
  it('an item nobody voted on is removed and its nomination goes elsewhere; a voted one stays; a planned session is cancelled with its items', async () => {
    const { province } = await createProvince('Việt Nam (rút nội dung họp)', 'Tỉnh Hà Nam');
    const kimBang = await createUnit({
      code: uniqueCode(),
      name: 'Xã Kim Bảng',
      kind: 'COMMUNE',
      parentId: province.id,
      validFrom: '2025-07-01',
    });
    const thanhLiem = await createUnit({
      code: uniqueCode(),
      name: 'Xã Thanh Liêm',
      kind: 'COMMUNE',
      parentId: province.id,
      validFrom: '2025-07-01',
    });
    await replicated('admin_unit_version_replica', [province.id, kimBang.id, thanhLiem.id], 'awards');
    const officer = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: kimBang.id }], 'thi-dua-kim-bang');
    const outsider = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: thanhLiem.id }], 'thi-dua-thanh-liem');
    const council = (
      await ok(
        CREATE,
        {
          unitId: kimBang.id,
          name: 'Hội đồng Thi đua – Khen thưởng xã Kim Bảng',
          quorum: { numerator: 1, denominator: 2 },
          passThreshold: { base: 'PRESENT', comparator: 'GT', percent: 50 },
          secretBallot: false,
        },
        officer,
      )
    ).council;
    const members: { id: string; token: string }[] = [];
    for (let k = 0; k < 3; k += 1) {
      const subject = `hd-kim-bang-${k + 1}-${randomUUID().slice(0, 6)}`;
      const m = (
        await ok(ADD_MEMBER, { councilId: council.id, subject, displayName: `Thành viên Kim Bảng ${k + 1}`, from: '2026-01-01' }, officer)
      ).member;
      members.push({ id: m.id, token: await tokenFor([{ role: 'COUNCIL_MEMBER', unitId: kimBang.id }], subject) });
    }
    const round = await giayKhenRound(kimBang.id, officer);
    const [x, y, z] = [
      await underReview(round, kimBang.id, officer, 'Gia đình học tập thôn Bút Sơn'),
      await underReview(round, kimBang.id, officer, 'Gia đình khuyến học thôn Quế'),
      await underReview(round, kimBang.id, officer, 'Gia đình học tập thôn Ba Sao'),
    ];
    const put = async (sessionId: string, subjectId: string, title: string) =>
      (await ok(ADD_ITEM, { sessionId, subjectKind: 'NOMINATION', subjectId, title }, officer)).item as { id: string };

    // planned for 10/10: x is taken off before the session, y goes when the session is cancelled
    const first = (await ok(PLAN, { councilId: council.id, date: '2026-10-10', place: 'Hội trường xã Kim Bảng' }, officer)).session;
    const xFirst = await put(first.id, x.id, 'Giấy khen cho gia đình thôn Bút Sơn');
    const yFirst = await put(first.id, y.id, 'Giấy khen cho gia đình thôn Quế');
    const reason = 'Hồ sơ chưa có biên bản họp thôn';
    expect(await refused(REMOVE_ITEM, { input: { itemId: xFirst.id, reason } }, outsider)).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'OUTSIDE_SCOPE',
    });
    expect(await refused(REMOVE_ITEM, { input: { itemId: xFirst.id, reason: ' ' } }, officer)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['input', 'reason'],
    });
    expect((await ok(REMOVE_ITEM, { itemId: xFirst.id, reason }, officer)).item).toMatchObject({
      status: 'REMOVED',
      statusName: 'Đã rút khỏi chương trình',
      removedBy: 'thi-dua-kim-bang',
      removalReason: reason,
      tally: null,
      outcome: null,
    });
    expect(await refused(CANCEL_SESSION, { input: { sessionId: first.id, reason: 'Hoãn họp' } }, outsider)).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'OUTSIDE_SCOPE',
    });
    const cancelled = (await ok(CANCEL_SESSION, { sessionId: first.id, reason: 'Chủ tịch Hội đồng đi công tác' }, officer)).session;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', statusName: 'Đã hủy', cancelReason: 'Chủ tịch Hội đồng đi công tác' });
    expect(cancelled.agenda).toEqual([
      { id: xFirst.id, status: 'REMOVED', removalReason: reason },
      { id: yFirst.id, status: 'REMOVED', removalReason: 'Phiên họp bị hủy: Chủ tịch Hội đồng đi công tác' },
    ]);
    expect(await refused(OPEN, { input: { sessionId: first.id, presentMemberIds: [] } }, officer)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'SESSION_CANCELLED',
    });

    // both go on the next session; there, z is taken off mid-session and the officer returns it
    const second = (await ok(PLAN, { councilId: council.id, date: '2026-10-17', place: 'Hội trường xã Kim Bảng' }, officer)).session;
    const xItem = await put(second.id, x.id, 'Giấy khen cho gia đình thôn Bút Sơn');
    const yItem = await put(second.id, y.id, 'Giấy khen cho gia đình thôn Quế');
    const zItem = await put(second.id, z.id, 'Giấy khen cho gia đình thôn Ba Sao');
    await ok(OPEN, { sessionId: second.id, presentMemberIds: members.map((m) => m.id) }, officer);
    expect(await refused(CANCEL_SESSION, { input: { sessionId: second.id, reason: 'Hoãn' } }, officer)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'SESSION_NOT_PLANNED',
    });
    await ok(VOTE, { itemId: xItem.id, choice: 'APPROVE' }, members[0]!.token);
    expect(await refused(REMOVE_ITEM, { input: { itemId: xItem.id, reason } }, officer)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'VOTES_CAST',
    });
    const returnZ = { id: z.id, expectedVersion: z.version, reason: 'Bổ sung xác nhận của trưởng thôn' };
    expect(await refused(nominationStep('returnNomination', 'NominationReasonInput'), { input: returnZ }, officer)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'NOMINATION_BEFORE_COUNCIL',
    });
    await ok(REMOVE_ITEM, { itemId: zItem.id, reason: 'Hồ sơ cần xác nhận của trưởng thôn' }, officer);
    expect(await refused(VOTE, { input: { itemId: zItem.id, choice: 'APPROVE' } }, members[1]!.token)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'ITEM_REMOVED',
    });
    expect((await ok(nominationStep('returnNomination', 'NominationReasonInput'), returnZ, officer)).nomination.status).toBe('RETURNED');

    for (const m of members.slice(1)) await ok(VOTE, { itemId: xItem.id, choice: 'APPROVE' }, m.token);
    for (const m of members) await ok(VOTE, { itemId: yItem.id, choice: 'REJECT' }, m.token);
    const closed = (await ok(CLOSE_SESSION, { sessionId: second.id }, officer)).session;
    expect(closed.agenda.map((i: { status: string; outcome: string | null }) => [i.status, i.outcome])).toEqual([
      ['CLOSED', 'PASSED'],
      ['CLOSED', 'FAILED'],
      ['REMOVED', null],
    ]);
    expect(closed.minutes).toContain(
      'Rút khỏi chương trình họp:\n   3. Giấy khen cho gia đình thôn Ba Sao — Hồ sơ cần xác nhận của trưởng thôn',
    );
    expect(closed.minutes.match(/Kết luận:/g)).toHaveLength(2);
    const statuses = await sql<{ id: string; status: string }>('awards', 'select id, status from nomination where id = any($1::uuid[])', [
      [x.id, y.id, z.id],
    ]);
    expect(new Map(statuses.map((r) => [r.id, r.status]))).toEqual(
      new Map([
        [x.id, 'APPROVED'],
        [y.id, 'REJECTED'],
        [z.id, 'RETURNED'],
      ]),
    );
    expect(await refused(REMOVE_ITEM, { input: { itemId: xItem.id, reason } }, officer)).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'SESSION_CLOSED',
    });
  });
});
