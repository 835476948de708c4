import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuthContext, parseInput, rawQuery, type MikroORM } from '@xhht/infra';
import { awardsTestOrm, refusalOf, replicaUnit, transactAs } from '../../../../test/support/awards';
import { nominationUnderReview, openRound } from '../../../../test/support/nominations';
import { decide, meetsQuorum, meetsThreshold, type PassThreshold, type VoteChoice } from './council-rules';
import {
  addAgendaItem,
  addCouncilMember,
  agendaOutcome,
  cancelCouncilSession,
  castVote,
  closeAgendaItem,
  closeCouncilSession,
  createCouncil,
  createCouncilInput,
  declareConflictOfInterest,
  openCouncilSession,
  endCouncilMembership,
  openSessionInput,
  planCouncilSession,
  removeAgendaItem,
  setCouncilRules,
} from './council.domain';
import { NOMINATION_VOTED } from './council.events';
import {
  approveNomination,
  escalateNomination,
  markNominationsDecided,
  receiveNomination,
  rejectNomination,
  returnNomination,
  startNominationReview,
  submitNomination,
} from '../nominations/nomination.domain';
import { loadNominations, nominationTransitionsLoader } from '../nominations/nomination.repository';
import {
  attendanceBySessionLoader,
  conflictsByItemLoader,
  itemByIdLoader,
  itemsBySessionLoader,
  membersByCouncilLoader,
  openVotesByItemLoader,
  type CouncilRow,
  type ItemRow,
  type MemberRow,
} from './council.repository';

describe('pass thresholds and quorum, exactly at the edge', () => {
  const gte90all: PassThreshold = { base: 'ALL_MEMBERS', comparator: 'GTE', percent: 90 };
  const gt50: PassThreshold = { base: 'PRESENT', comparator: 'GT', percent: 50 };

  it('≥ 90 % of 10 members: 9 pass, 8 fail', () => {
    expect(meetsThreshold(9, 10, gte90all)).toBe(true);
    expect(meetsThreshold(8, 10, gte90all)).toBe(false);
    expect(meetsThreshold(10, 10, gte90all)).toBe(true);
  });

  it('> 50 % of 4 present needs 3; 2 is exactly half and fails', () => {
    expect(meetsThreshold(2, 4, gt50)).toBe(false);
    expect(meetsThreshold(3, 4, gt50)).toBe(true);
    expect(meetsThreshold(3, 5, gt50)).toBe(true);
    expect(meetsThreshold(0, 0, gt50)).toBe(false);
  });

  it('percentages with decimals compare exactly: 2 of 3 is ≥ 66.66 % but not ≥ 66.67 %', () => {
    expect(meetsThreshold(2, 3, { base: 'PRESENT', comparator: 'GTE', percent: 66.66 })).toBe(true);
    expect(meetsThreshold(2, 3, { base: 'PRESENT', comparator: 'GTE', percent: 66.67 })).toBe(false);
  });

  it('a quorum of 2/3: 6 of 9 present is enough, 5 is not; 7 of 10 is, 6 of 10 is not', () => {
    const q = { numerator: 2, denominator: 3 };
    expect(meetsQuorum(6, 9, q)).toBe(true);
    expect(meetsQuorum(5, 9, q)).toBe(false);
    expect(meetsQuorum(7, 10, q)).toBe(true);
    expect(meetsQuorum(6, 10, q)).toBe(false);
  });

  it('conflicted members leave the base and the quorum count', () => {
    const rules = { quorum: { numerator: 1, denominator: 2 }, passThreshold: gt50 };
    // 5 present, one conflicted: the base is 4, so 2 approvals are exactly half and fail
    const r = decide(
      { members: 7, present: 5, conflicted: 1, conflictedPresent: 1, approve: 2, reject: 2, abstain: 0, excluded: 1 },
      rules,
    );
    expect(r.tally).toMatchObject({ eligibleMembers: 6, eligiblePresent: 4, base: 4, quorumMet: true });
    expect(r.outcome).toBe('FAILED');
    expect(
      decide({ members: 6, present: 2, conflicted: 0, conflictedPresent: 0, approve: 2, reject: 0, abstain: 0, excluded: 0 }, rules)
        .outcome,
    ).toBe('NO_QUORUM');
  });
});

/** Councils on the test stack's real PostgreSQL (a database of their own). */
describe('councils, sessions and votes', () => {
  let orm: MikroORM;
  const fork = () => orm.em.fork() as unknown as EntityManager;
  const admin = new AuthContext({ subject: 'admin', roles: [{ role: 'SYSTEM_ADMIN' }] });
  let province: string;
  let commune: string;
  let otherCommune: string;

  const run = transactAs(() => orm);
  /** The code and message key of a refusal (these tests leave the field aside). */
  const refusal = async (p: Promise<unknown>) => {
    const { code, messageKey } = await refusalOf(p);
    return { code, messageKey };
  };
  const unit = (kind: string, name: string, parentId: string | null) => replicaUnit(fork(), kind, name, parentId);
  const voter = (m: MemberRow, unitId: string) => new AuthContext({ subject: m.subject, roles: [{ role: 'COUNCIL_MEMBER', unitId }] });

  /**
   * A council of `size` members on `unitId` with the rules, a round of the unit, a session opened with
   * the first `present`, and one item: a nomination of the round under review.
   */
  async function council(
    size: number,
    present: number,
    passThreshold: PassThreshold,
    opts: { secret?: boolean; unitId?: string; quorum?: { numerator: number; denominator: number }; formCode?: string } = {},
  ) {
    const unitId = opts.unitId ?? (await unit('COMMUNE', `Xã ${randomUUID().slice(0, 6)}`, province));
    const c: CouncilRow = await run(admin, (em, a, s) =>
      createCouncil(
        em,
        a,
        s,
        parseInput(createCouncilInput, {
          unitId,
          name: 'Hội đồng Thi đua – Khen thưởng xã',
          quorum: opts.quorum ?? { numerator: 1, denominator: 2 },
          passThreshold,
          secretBallot: opts.secret ?? false,
        }),
      ),
    );
    const members: MemberRow[] = [];
    for (let k = 0; k < size; k += 1) {
      members.push(
        await run(admin, (em, a, s) =>
          addCouncilMember(em, a, s, {
            councilId: c.id,
            subject: `tv-${c.id.slice(0, 6)}-${k}`,
            displayName: `Thành viên ${k + 1}`,
            chair: k === 0,
            from: '2026-01-01',
          }),
        ),
      );
    }
    const session = await run(admin, (em, a, s) =>
      planCouncilSession(em, a, s, { councilId: c.id, date: '2026-09-20', place: 'Hội trường UBND xã' }),
    );
    const roundId = await openRound(orm, unitId, ['GIAY_KHEN_CHU_TICH_XA', 'BANG_KHEN_CHU_TICH_TINH']);
    const nomination = await nominationUnderReview(orm, { roundId, unitId, formCode: opts.formCode });
    const item: ItemRow = await run(admin, (em, a, s) =>
      addAgendaItem(em, a, s, {
        sessionId: session.id,
        subjectKind: 'NOMINATION',
        subjectId: nomination.id,
        title: 'Đề nghị tặng Giấy khen',
      }),
    );
    await run(admin, (em, a, s) =>
      openCouncilSession(em, a, s, { sessionId: session.id, presentMemberIds: members.slice(0, present).map((m) => m.id) }),
    );
    const vote = (m: MemberRow, choice: VoteChoice, itemId = item.id) =>
      run(voter(m, unitId), (em, a, s) => castVote(em, a, s, { itemId, choice }));
    return { c, unitId, members, session, item, vote, roundId, nomination };
  }

  beforeAll(async () => {
    orm = await awardsTestOrm('xhht_test_awards_councils');
    province = await unit('PROVINCE', 'Tỉnh Bắc Ninh', null);
    commune = await unit('COMMUNE', 'Xã Tam Đa', province);
    otherCommune = await unit('COMMUNE', 'Xã Yên Phụ', province);
  });
  afterAll(() => orm?.close(true));

  it('≥ 90 % of all ten members: nine approvals pass, eight fail; the voted event carries the tally only', async () => {
    const gte90 = { base: 'ALL_MEMBERS', comparator: 'GTE', percent: 90 } as const;
    const pass = await council(10, 10, gte90);
    for (const [k, m] of pass.members.entries()) await pass.vote(m, k < 9 ? 'APPROVE' : 'REJECT');
    const closed = await run(admin, (em, a, s) => closeAgendaItem(em, a, s, { itemId: pass.item.id }));
    expect(closed.outcome).toBe('PASSED');
    expect(closed.tally).toMatchObject({ members: 10, present: 10, base: 10, approve: 9, reject: 1, abstain: 0, quorumMet: true });
    const [e] = await rawQuery<{ payload: { data: Record<string, unknown> } }[]>(
      fork(),
      `select payload from outbox where event_type = ? and message_key = ?`,
      [NOMINATION_VOTED, pass.item.nominationId],
    );
    expect(e!.payload.data).toMatchObject({ outcome: 'PASSED', agendaItemId: pass.item.id, tally: { approve: 9, base: 10 } });
    expect(JSON.stringify(e!.payload)).not.toContain(pass.members[0]!.subject);

    // eight approvals, even with all ten present: 80 %
    const fail = await council(10, 10, gte90);
    for (const [k, m] of fail.members.entries()) await fail.vote(m, k < 8 ? 'APPROVE' : 'ABSTAIN');
    expect((await run(admin, (em, a, s) => closeAgendaItem(em, a, s, { itemId: fail.item.id }))).outcome).toBe('FAILED');

    // nine of ten approving but only nine present still pass (the base is all members)
    const absent = await council(10, 9, gte90);
    for (const m of absent.members.slice(0, 9)) await absent.vote(m, 'APPROVE');
    expect((await agendaOutcome(fork(), absent.item.id))!).toMatchObject({ closed: false, outcome: 'PASSED' });
  });

  it('> 50 % of those present: 2 of 4 fail, 3 of 4 pass; the quorum is of all members', async () => {
    const gt50 = { base: 'PRESENT', comparator: 'GT', percent: 50 } as const;
    const two = await council(6, 4, gt50, { quorum: { numerator: 2, denominator: 3 } });
    await two.vote(two.members[0]!, 'APPROVE');
    await two.vote(two.members[1]!, 'APPROVE');
    await two.vote(two.members[2]!, 'REJECT');
    expect((await agendaOutcome(fork(), two.item.id))!.outcome).toBe('FAILED');
    await two.vote(two.members[3]!, 'APPROVE');
    const closed = await run(admin, (em, a, s) => closeAgendaItem(em, a, s, { itemId: two.item.id }));
    expect(closed).toMatchObject({ outcome: 'PASSED', tally: { members: 6, present: 4, base: 4, approve: 3 } });

    // 3 of 6 present is below 2/3: no quorum, whatever the votes
    const few = await council(6, 3, gt50, { quorum: { numerator: 2, denominator: 3 } });
    for (const m of few.members.slice(0, 3)) await few.vote(m, 'APPROVE');
    expect((await run(admin, (em, a, s) => closeAgendaItem(em, a, s, { itemId: few.item.id }))).outcome).toBe('NO_QUORUM');
  });

  it('conflicts of interest: refused before the vote, excluded after it on an open item, refused after a secret vote', async () => {
    const gt50 = { base: 'PRESENT', comparator: 'GT', percent: 50 } as const;
    const x = await council(5, 5, gt50);
    // member 4 declares before voting and may not vote
    await run(voter(x.members[4]!, x.unitId), (em, a, s) =>
      declareConflictOfInterest(em, a, s, {
        itemId: x.item.id,
        memberId: x.members[4]!.id,
        reason: 'Là người thân của người được đề nghị',
      }),
    );
    expect(await refusal(x.vote(x.members[4]!, 'APPROVE'))).toEqual({ code: 'CONFLICT', messageKey: 'CONFLICT_OF_INTEREST' });
    await x.vote(x.members[0]!, 'APPROVE');
    await x.vote(x.members[1]!, 'APPROVE');
    await x.vote(x.members[2]!, 'REJECT');
    await x.vote(x.members[3]!, 'APPROVE');
    // member 3 declares after voting: the vote is left out; 2 approvals of 3 eligible present still pass
    await run(admin, (em, a, s) =>
      declareConflictOfInterest(em, a, s, { itemId: x.item.id, memberId: x.members[3]!.id, reason: 'Cùng đơn vị công tác' }),
    );
    const closed = await run(admin, (em, a, s) => closeAgendaItem(em, a, s, { itemId: x.item.id }));
    expect(closed).toMatchObject({ outcome: 'PASSED', tally: { present: 5, conflicted: 2, base: 3, approve: 2, reject: 1, excluded: 1 } });
    // only a manager or the member themselves declares
    expect(
      await refusal(
        run(voter(x.members[0]!, x.unitId), (em, a, s) =>
          declareConflictOfInterest(em, a, s, { itemId: x.item.id, memberId: x.members[1]!.id, reason: 'x' }),
        ),
      ),
    ).toEqual({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });

    const secret = await council(3, 3, gt50, { secret: true });
    await secret.vote(secret.members[0]!, 'APPROVE');
    expect(
      await refusal(
        run(admin, (em, a, s) =>
          declareConflictOfInterest(em, a, s, { itemId: secret.item.id, memberId: secret.members[0]!.id, reason: 'y' }),
        ),
      ),
    ).toEqual({ code: 'CONFLICT', messageKey: 'ALREADY_VOTED_SECRET' });
  });

  it('a secret ballot stores no voter with the choice; a second vote, a non-member, an absentee and a closed item are refused', async () => {
    const x = await council(4, 3, { base: 'PRESENT', comparator: 'GT', percent: 50 }, { secret: true });
    await x.vote(x.members[0]!, 'APPROVE');
    await x.vote(x.members[1]!, 'REJECT');
    expect(await refusal(x.vote(x.members[0]!, 'REJECT'))).toEqual({ code: 'CONFLICT', messageKey: 'ALREADY_VOTED' });
    const stranger = new AuthContext({ subject: 'nguoi-ngoai', roles: [{ role: 'COUNCIL_MEMBER', unitId: x.unitId }] });
    expect(await refusal(run(stranger, (em, a, s) => castVote(em, a, s, { itemId: x.item.id, choice: 'APPROVE' })))).toEqual({
      code: 'FORBIDDEN',
      messageKey: 'NOT_COUNCIL_MEMBER',
    });
    const elsewhere = new AuthContext({ subject: x.members[2]!.subject, roles: [{ role: 'COUNCIL_MEMBER', unitId: otherCommune }] });
    expect(await refusal(run(elsewhere, (em, a, s) => castVote(em, a, s, { itemId: x.item.id, choice: 'APPROVE' })))).toEqual({
      code: 'FORBIDDEN',
      messageKey: 'OUTSIDE_SCOPE',
    });
    expect(await refusal(x.vote(x.members[3]!, 'APPROVE'))).toEqual({ code: 'CONFLICT', messageKey: 'NOT_PRESENT' });

    // the ballots: the choices and nothing that points to a voter
    const columns = await rawQuery<{ column_name: string }[]>(
      fork(),
      `select column_name from information_schema.columns where table_name = 'council_secret_ballot' order by column_name`,
      [],
    );
    expect(columns.map((c) => c.column_name)).toEqual(['choice', 'id', 'item_id']);
    const ballots = await rawQuery<{ choice: string }[]>(
      fork(),
      'select choice from council_secret_ballot where item_id = ? order by choice',
      [x.item.id],
    );
    expect(ballots.map((b) => b.choice)).toEqual(['APPROVE', 'REJECT']);
    expect(await openVotesByItemLoader(fork()).load(x.item.id)).toEqual([]);

    await run(admin, (em, a, s) => closeAgendaItem(em, a, s, { itemId: x.item.id }));
    expect(await refusal(x.vote(x.members[2]!, 'APPROVE'))).toEqual({ code: 'CONFLICT', messageKey: 'ITEM_CLOSED' });
    expect((await itemByIdLoader(fork()).load(x.item.id))!.tally).toMatchObject({ approve: 1, reject: 1, base: 3 });
  });

  it('managers in scope only; one council per unit; rules changed later do not touch closed items; minutes are frozen at closing', async () => {
    const gt50 = { base: 'PRESENT', comparator: 'GT', percent: 50 } as const;
    const outside = new AuthContext({ subject: 'thi-dua-yen-phu', roles: [{ role: 'EMULATION_OFFICER', unitId: otherCommune }] });
    const input = parseInput(createCouncilInput, {
      unitId: commune,
      name: 'Hội đồng Thi đua – Khen thưởng xã Tam Đa',
      quorum: { numerator: 1, denominator: 2 },
      passThreshold: gt50,
      secretBallot: false,
    });
    expect(await refusal(run(outside, (em, a, s) => createCouncil(em, a, s, input)))).toEqual({
      code: 'FORBIDDEN',
      messageKey: 'OUTSIDE_SCOPE',
    });
    const x = await council(3, 3, gt50, { unitId: commune });
    expect(await refusal(run(admin, (em, a, s) => createCouncil(em, a, s, input)))).toEqual({
      code: 'CONFLICT',
      messageKey: 'COUNCIL_EXISTS',
    });
    expect(
      await refusal(run(outside, (em, a, s) => setCouncilRules(em, a, s, { councilId: x.c.id, passThreshold: { ...gt50, percent: 90 } }))),
    ).toEqual({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });

    const other = await nominationUnderReview(orm, { roundId: x.roundId, unitId: commune });
    const second: ItemRow = await run(admin, (em, a, s) =>
      addAgendaItem(em, a, s, {
        sessionId: x.session.id,
        subjectKind: 'NOMINATION',
        subjectId: other.id,
        title: 'Đề nghị tặng Bằng khen',
        secretBallot: true,
      }),
    );
    await x.vote(x.members[0]!, 'APPROVE');
    await x.vote(x.members[1]!, 'APPROVE');
    await x.vote(x.members[2]!, 'REJECT');
    await x.vote(x.members[0]!, 'APPROVE', second.id);
    await run(admin, (em, a, s) => closeAgendaItem(em, a, s, { itemId: x.item.id }));
    await run(admin, (em, a, s) =>
      setCouncilRules(em, a, s, { councilId: x.c.id, passThreshold: { base: 'ALL_MEMBERS', comparator: 'GTE', percent: 90 } }),
    );
    expect((await agendaOutcome(fork(), x.item.id))!).toMatchObject({ closed: true, outcome: 'PASSED' });

    const closed = await run(admin, (em, a, s) => closeCouncilSession(em, a, s, { sessionId: x.session.id }));
    expect(closed.status).toBe('CLOSED');
    const minutes = closed.minutes!;
    expect(minutes).toContain('Ngày họp: 20/09/2026');
    expect(minutes).toContain('Địa điểm: Hội trường UBND xã');
    expect(minutes).toContain('có mặt: 3');
    expect(minutes).toContain('1. Đề nghị tặng Giấy khen');
    expect(minutes).toContain('Kết quả: đồng ý 2, không đồng ý 1, không biểu quyết 0');
    expect(minutes).toContain('Thành viên 3: Không đồng ý');
    // the second item was closed with the session, under the rules then in force, and is secret
    expect(minutes).toContain('2. Đề nghị tặng Bằng khen');
    expect(minutes).toContain('Kết quả: đồng ý 1, không đồng ý 0, không biểu quyết 0');
    expect(minutes).toContain('bỏ phiếu kín');
    const afterSecond = minutes.split('2. Đề nghị tặng Bằng khen')[1]!;
    expect(afterSecond).not.toMatch(/Thành viên \d+: /);
    expect(await refusal(run(admin, (em, a, s) => closeCouncilSession(em, a, s, { sessionId: x.session.id })))).toEqual({
      code: 'CONFLICT',
      messageKey: 'SESSION_NOT_OPEN',
    });
  });

  it('memberships are effective-dated: a member whose term ended before the session is neither counted nor allowed to vote', async () => {
    const x = await council(4, 3, { base: 'ALL_MEMBERS', comparator: 'GTE', percent: 50 });
    const gone = x.members[3]!;
    expect(await refusal(run(admin, (em, a, s) => endCouncilMembership(em, a, s, { memberId: gone.id, to: '2025-12-31' })))).toEqual({
      code: 'BAD_USER_INPUT',
      messageKey: 'END_BEFORE_START',
    });
    const ended = await run(admin, (em, a, s) => endCouncilMembership(em, a, s, { memberId: gone.id, to: '2026-06-30' }));
    expect(ended.validTo).toBe('2026-06-30');
    expect(await refusal(run(admin, (em, a, s) => endCouncilMembership(em, a, s, { memberId: gone.id, to: '2026-07-31' })))).toEqual({
      code: 'CONFLICT',
      messageKey: 'MEMBERSHIP_ENDED',
    });
    expect(await refusal(x.vote(gone, 'APPROVE'))).toEqual({ code: 'FORBIDDEN', messageKey: 'NOT_COUNCIL_MEMBER' });
    await x.vote(x.members[0]!, 'APPROVE');
    await x.vote(x.members[1]!, 'REJECT');
    // three members on the session's day: 1 of 3 is below 50 %
    expect((await agendaOutcome(fork(), x.item.id))!).toMatchObject({ outcome: 'FAILED', tally: { members: 3, base: 3, approve: 1 } });
    await x.vote(x.members[2]!, 'APPROVE');
    expect((await agendaOutcome(fork(), x.item.id))!).toMatchObject({ outcome: 'PASSED', tally: { approve: 2 } });

    // an ended member cannot be recorded present at a later session
    const later = await run(admin, (em, a, s) =>
      planCouncilSession(em, a, s, { councilId: x.c.id, date: '2026-10-01', place: 'Phòng họp' }),
    );
    expect(
      await refusal(
        run(admin, (em, a, s) =>
          openCouncilSession(
            em,
            a,
            s,
            parseInput(openSessionInput, { sessionId: later.id, presentMemberIds: [x.members[0]!.id, gone.id] }),
          ),
        ),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', messageKey: 'NOT_A_MEMBER' });
  });

  describe('the vote moves the nomination', () => {
    const gt50 = { base: 'PRESENT', comparator: 'GT', percent: 50 } as const;
    const gte90 = { base: 'ALL_MEMBERS', comparator: 'GTE', percent: 90 } as const;
    const nominationOf = async (id: string) => (await loadNominations(fork(), [id])).get(id)!;
    const lastTransition = async (id: string) => (await nominationTransitionsLoader(fork()).load(id)).at(-1)!;
    const plan = (councilId: string, date: string) =>
      run(admin, (em, a, s) => planCouncilSession(em, a, s, { councilId, date, place: 'Phòng họp số 2' }));
    const put = (sessionId: string, subjectId: string, secretBallot?: boolean) =>
      run(admin, (em, a, s) =>
        addAgendaItem(em, a, s, { sessionId, subjectKind: 'NOMINATION', subjectId, title: 'Xét hồ sơ', secretBallot }),
      );
    const liveKeys = async (nominationId: string) =>
      (
        await rawQuery<{ n: number }[]>(fork(), 'select count(*)::int as n from nomination_achievement where nomination_id = ? and live', [
          nominationId,
        ])
      )[0]!.n;

    it('takes only a nomination under review of the council’s own round, on no other open item; of two sessions taking one at once, one does', async () => {
      const x = await council(3, 3, gt50);
      const later = await plan(x.c.id, '2026-10-05');
      expect(await refusal(put(later.id, randomUUID()))).toEqual({ code: 'NOT_FOUND', messageKey: 'NOMINATION_NOT_FOUND' });
      const elsewhere = await unit('COMMUNE', 'Xã Đại Đồng', province);
      const foreign = await nominationUnderReview(orm, {
        roundId: await openRound(orm, elsewhere, ['GIAY_KHEN_CHU_TICH_XA']),
        unitId: elsewhere,
      });
      expect(await refusal(put(later.id, foreign.id))).toEqual({ code: 'BAD_USER_INPUT', messageKey: 'NOMINATION_NOT_FOR_COUNCIL' });
      const sentBack = await nominationUnderReview(orm, { roundId: x.roundId, unitId: x.unitId });
      await run(admin, (em, a, s) =>
        returnNomination(em, a, s, { id: sentBack.id, expectedVersion: sentBack.version, reason: 'Thiếu báo cáo thành tích' }),
      );
      expect(await refusal(put(later.id, sentBack.id))).toEqual({ code: 'CONFLICT', messageKey: 'NOMINATION_NOT_UNDER_REVIEW' });
      // already before the council in the first session, not yet voted on
      expect(await refusal(put(later.id, x.nomination.id))).toEqual({ code: 'CONFLICT', messageKey: 'NOMINATION_ALREADY_ON_AGENDA' });
      expect(await itemsBySessionLoader(fork()).load(later.id)).toEqual([]);

      const contested = await nominationUnderReview(orm, { roundId: x.roundId, unitId: x.unitId });
      const third = await plan(x.c.id, '2026-10-12');
      const results = await Promise.allSettled([put(later.id, contested.id), put(third.id, contested.id)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      expect((lost.reason as { extensions: { messageKey: string } }).extensions.messageKey).toBe('NOMINATION_ALREADY_ON_AGENDA');
      const [{ n }] = (await rawQuery<{ n: number }[]>(
        fork(),
        `select count(*)::int as n from council_agenda_item where nomination_id = ?`,
        [contested.id],
      )) as [{ n: number }];
      expect(n).toBe(1);
    });

    it('a Bằng khen is put to a secret ballot unless the item says otherwise; a Giấy khen follows the council', async () => {
      const x = await council(3, 3, gt50, { formCode: 'BANG_KHEN_CHU_TICH_TINH' });
      expect(x.item.secretBallot).toBe(true);
      const giayKhen = await nominationUnderReview(orm, { roundId: x.roundId, unitId: x.unitId });
      const bangKhen = await nominationUnderReview(orm, { roundId: x.roundId, unitId: x.unitId, formCode: 'BANG_KHEN_CHU_TICH_TINH' });
      expect((await put(x.session.id, giayKhen.id)).secretBallot).toBe(false);
      expect((await put(x.session.id, bangKhen.id, false)).secretBallot).toBe(false);
    });

    it('while it is before the council the officer can neither approve, reject nor return it; with a council, approval is by its vote only', async () => {
      const x = await council(3, 3, gt50);
      const n = x.nomination;
      const officer = new AuthContext({ subject: 'thi-dua-xa', roles: [{ role: 'EMULATION_OFFICER', unitId: x.unitId }] });
      const step = { id: n.id, expectedVersion: n.version };
      const before = { code: 'CONFLICT', messageKey: 'NOMINATION_BEFORE_COUNCIL' };
      expect(await refusal(run(officer, (em, a, s) => approveNomination(em, a, s, step)))).toEqual(before);
      expect(await refusal(run(officer, (em, a, s) => rejectNomination(em, a, s, { ...step, reason: 'Không đủ tiêu chuẩn' })))).toEqual(
        before,
      );
      expect(await refusal(run(officer, (em, a, s) => returnNomination(em, a, s, { ...step, reason: 'Bổ sung minh chứng' })))).toEqual(
        before,
      );
      expect(await nominationOf(n.id)).toMatchObject({ status: 'UNDER_REVIEW', version: n.version });
      expect(await liveKeys(n.id)).toBe(1);

      // on no agenda, still not approved by hand: the unit has a council; a rejection on the way stays possible
      const other = await nominationUnderReview(orm, { roundId: x.roundId, unitId: x.unitId });
      expect(
        await refusal(run(officer, (em, a, s) => approveNomination(em, a, s, { id: other.id, expectedVersion: other.version }))),
      ).toEqual({ code: 'CONFLICT', messageKey: 'COUNCIL_VOTE_REQUIRED' });
      expect((await nominationOf(other.id)).status).toBe('UNDER_REVIEW');
      const refused = await run(officer, (em, a, s) =>
        rejectNomination(em, a, s, { id: other.id, expectedVersion: other.version, reason: 'Đối tượng chuyển đi nơi khác' }),
      );
      expect(refused.status).toBe('REJECTED');
    });

    it('passed: APPROVED in the transaction that closes the item, recorded as the council’s step by whoever closed it', async () => {
      const x = await council(10, 10, gte90);
      for (const [k, m] of x.members.entries()) await x.vote(m, k < 9 ? 'APPROVE' : 'REJECT');
      const secretary = new AuthContext({ subject: 'thu-ky-hoi-dong', roles: [{ role: 'EMULATION_OFFICER', unitId: x.unitId }] });
      expect((await run(secretary, (em, a, s) => closeAgendaItem(em, a, s, { itemId: x.item.id }))).outcome).toBe('PASSED');
      expect(await nominationOf(x.nomination.id)).toMatchObject({
        status: 'APPROVED',
        version: x.nomination.version + 1,
        updatedBy: 'thu-ky-hoi-dong',
      });
      const t = await lastTransition(x.nomination.id);
      expect(t).toMatchObject({ fromStatus: 'UNDER_REVIEW', toStatus: 'APPROVED', by: 'thu-ky-hoi-dong' });
      expect(t.reason).toContain('Hội đồng Thi đua – Khen thưởng xã, phiên họp ngày 20/09/2026 tại Hội trường UBND xã: được thông qua');
      expect(t.reason).toContain('đồng ý 9, không đồng ý 1, không biểu quyết 0 trên 10 thành viên');
      // approved, it can be decided; it is no longer before the council
      const [decided] = await fork().transactional((tx) => markNominationsDecided(tx as EntityManager, [x.nomination.id], '31/QĐ-UBND'));
      expect(decided!.status).toBe('DECIDED');
    });

    it('the item closes with its nomination or not at all: a nomination that cannot move keeps the item open and sends no event', async () => {
      const x = await council(3, 3, gt50);
      for (const m of x.members) await x.vote(m, 'APPROVE');
      // a state the checks never let arise, written behind their back to make the move fail
      await rawQuery(fork(), `update nomination set status = 'RETURNED' where id = ?`, [x.nomination.id]);
      expect(await refusal(run(admin, (em, a, s) => closeAgendaItem(em, a, s, { itemId: x.item.id })))).toEqual({
        code: 'CONFLICT',
        messageKey: 'WRONG_NOMINATION_STATUS',
      });
      expect(await itemByIdLoader(fork()).load(x.item.id)).toMatchObject({ status: 'OPEN', outcome: null, tally: null });
      const sent = await rawQuery<unknown[]>(fork(), 'select 1 from outbox where event_type = ? and message_key = ?', [
        NOMINATION_VOTED,
        x.nomination.id,
      ]);
      expect(sent).toEqual([]);
    });

    it('failed: REJECTED naming the session and the tally, its achievement free for a new nomination', async () => {
      const x = await council(10, 10, gte90);
      const same = { roundId: x.roundId, unitId: x.unitId, nomineeId: x.nomination.nomineeId };
      expect(await refusal(nominationUnderReview(orm, same))).toEqual({ code: 'CONFLICT', messageKey: 'ACHIEVEMENT_ALREADY_NOMINATED' });
      for (const [k, m] of x.members.entries()) await x.vote(m, k < 8 ? 'APPROVE' : 'REJECT');
      expect((await run(admin, (em, a, s) => closeAgendaItem(em, a, s, { itemId: x.item.id }))).outcome).toBe('FAILED');
      const after = await nominationOf(x.nomination.id);
      expect(after.status).toBe('REJECTED');
      expect(after.rejectionReason).toContain('phiên họp ngày 20/09/2026');
      expect(after.rejectionReason).toContain('không được thông qua — đồng ý 8, không đồng ý 2, không biểu quyết 0 trên 10 thành viên');
      expect(after.rejectionReason).toContain('≥ 90 % tổng số thành viên hội đồng');
      expect(await lastTransition(x.nomination.id)).toMatchObject({ fromStatus: 'UNDER_REVIEW', toStatus: 'REJECTED', by: 'admin' });
      expect(await liveKeys(x.nomination.id)).toBe(0);
      expect((await nominationUnderReview(orm, same)).status).toBe('UNDER_REVIEW');
    });

    it('no quorum: still under review and unchanged, it goes on a later session, whose closing approves it', async () => {
      const x = await council(6, 2, gt50, { quorum: { numerator: 2, denominator: 3 } });
      for (const m of x.members.slice(0, 2)) await x.vote(m, 'APPROVE');
      expect((await run(admin, (em, a, s) => closeAgendaItem(em, a, s, { itemId: x.item.id }))).outcome).toBe('NO_QUORUM');
      expect(await nominationOf(x.nomination.id)).toMatchObject({ status: 'UNDER_REVIEW', version: x.nomination.version });
      expect(await lastTransition(x.nomination.id)).toMatchObject({ toStatus: 'UNDER_REVIEW' });

      const later = await plan(x.c.id, '2026-10-05');
      const again = await put(later.id, x.nomination.id);
      await run(admin, (em, a, s) => openCouncilSession(em, a, s, { sessionId: later.id, presentMemberIds: x.members.map((m) => m.id) }));
      for (const m of x.members.slice(0, 4)) await x.vote(m, 'APPROVE', again.id);
      // the item is still open when the session closes: closing the session counts it and moves the nomination
      await run(admin, (em, a, s) => closeCouncilSession(em, a, s, { sessionId: later.id }));
      expect((await nominationOf(x.nomination.id)).status).toBe('APPROVED');
      expect((await lastTransition(x.nomination.id)).reason).toContain('phiên họp ngày 05/10/2026');
    });

    it('failed on an escalated nomination: its achievement goes back to the approved proposal below, as with an officer’s rejection', async () => {
      const provinceUnit = await unit('PROVINCE', 'Tỉnh Hưng Yên', null);
      const communeUnit = await unit('COMMUNE', 'Xã Phụng Công', provinceUnit);
      const x = await council(3, 3, gt50, { unitId: provinceUnit });
      // the commune has no council: its officer approves by hand
      const low = await nominationUnderReview(orm, {
        roundId: await openRound(orm, communeUnit, ['GIAY_KHEN_CHU_TICH_XA']),
        unitId: communeUnit,
      });
      const ok = await run(admin, (em, a, s) => approveNomination(em, a, s, { id: low.id, expectedVersion: low.version }));
      let up = await run(admin, (em, a, s) =>
        escalateNomination(em, a, s, { id: ok.id, expectedVersion: ok.version, roundId: x.roundId, formCode: 'BANG_KHEN_CHU_TICH_TINH' }),
      );
      for (const step of [submitNomination, receiveNomination, startNominationReview]) {
        const at = up;
        up = await run(admin, (em, a, s) => step(em, a, s, { id: at.id, expectedVersion: at.version }));
      }
      const item = await put(x.session.id, up.id);
      expect(item.secretBallot).toBe(true);
      for (const m of x.members) await x.vote(m, 'REJECT', item.id);
      expect((await run(admin, (em, a, s) => closeAgendaItem(em, a, s, { itemId: item.id }))).outcome).toBe('FAILED');
      expect((await nominationOf(up.id)).status).toBe('REJECTED');
      const holders = await rawQuery<{ nominationId: string }[]>(
        fork(),
        `select a.nomination_id as "nominationId" from nomination_achievement a where a.live and a.achievement_key in
           (select achievement_key from nomination_achievement where nomination_id = ?)`,
        [up.id],
      );
      expect(holders).toEqual([{ nominationId: low.id }]);
    });

    describe('removing an item, cancelling a planned session', () => {
      const remove = (itemId: string, as: AuthContext = admin, reason = 'Hồ sơ cần bổ sung trước khi xét') =>
        run(as, (em, a, s) => removeAgendaItem(em, a, s, { itemId, reason }));
      const item = async (id: string) => (await itemByIdLoader(fork()).load(id))!;

      it('an item nobody voted on leaves an open session: never counted, in the minutes as removed; its nomination goes back to the officer or on another agenda', async () => {
        const x = await council(3, 3, gt50);
        const kept = await nominationUnderReview(orm, { roundId: x.roundId, unitId: x.unitId });
        const keptItem = await put(x.session.id, kept.id);
        const outsider = new AuthContext({ subject: 'thi-dua-xa-khac', roles: [{ role: 'EMULATION_OFFICER', unitId: otherCommune }] });
        expect(await refusal(remove(x.item.id, outsider))).toEqual({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
        expect((await item(x.item.id)).status).toBe('OPEN');

        const removed = await remove(x.item.id);
        expect(removed).toMatchObject({
          status: 'REMOVED',
          removedBy: 'admin',
          removalReason: 'Hồ sơ cần bổ sung trước khi xét',
          tally: null,
        });
        expect(await refusal(remove(x.item.id))).toEqual({ code: 'CONFLICT', messageKey: 'ITEM_REMOVED' });
        expect(await refusal(x.vote(x.members[0]!, 'APPROVE'))).toEqual({ code: 'CONFLICT', messageKey: 'ITEM_REMOVED' });
        expect(await refusal(run(admin, (em, a, s) => closeAgendaItem(em, a, s, { itemId: x.item.id })))).toEqual({
          code: 'CONFLICT',
          messageKey: 'ITEM_REMOVED',
        });
        expect(await agendaOutcome(fork(), x.item.id)).toBeNull();
        expect(await nominationOf(x.nomination.id)).toMatchObject({ status: 'UNDER_REVIEW', version: x.nomination.version });

        // off the agenda, it can go on a later session's, or the officer returns it: no longer NOMINATION_BEFORE_COUNCIL
        const later = await plan(x.c.id, '2026-10-05');
        const again = await put(later.id, x.nomination.id);
        expect(again.status).toBe('OPEN');
        await remove(again.id);
        const officer = new AuthContext({ subject: 'thi-dua-xa', roles: [{ role: 'EMULATION_OFFICER', unitId: x.unitId }] });
        const back = await run(officer, (em, a, s) =>
          returnNomination(em, a, s, { id: x.nomination.id, expectedVersion: x.nomination.version, reason: 'Bổ sung biên bản họp thôn' }),
        );
        expect(back.status).toBe('RETURNED');

        // the other item is counted as before, and the minutes keep the removed one apart from the votes
        for (const m of x.members) await x.vote(m, 'APPROVE', keptItem.id);
        const closed = await run(admin, (em, a, s) => closeCouncilSession(em, a, s, { sessionId: x.session.id }));
        expect(await item(keptItem.id)).toMatchObject({
          status: 'CLOSED',
          outcome: 'PASSED',
          tally: expect.objectContaining({ approve: 3 }),
        });
        expect(await item(x.item.id)).toMatchObject({ status: 'REMOVED', outcome: null, tally: null });
        expect(closed.minutes).toContain(`${keptItem.position}. Xét hồ sơ`);
        expect(closed.minutes).toContain(
          `Rút khỏi chương trình họp:\n   ${x.item.position}. Đề nghị tặng Giấy khen — Hồ sơ cần bổ sung trước khi xét`,
        );
        expect(closed.minutes!.match(/Kết luận:/g)).toHaveLength(1);
        expect(await refusal(remove(keptItem.id))).toEqual({ code: 'CONFLICT', messageKey: 'SESSION_CLOSED' });
      });

      it('once a vote is cast the item stays; of a vote and a removal at once, exactly one happens', async () => {
        const x = await council(3, 3, gt50);
        await x.vote(x.members[0]!, 'APPROVE');
        expect(await refusal(remove(x.item.id))).toEqual({ code: 'CONFLICT', messageKey: 'VOTES_CAST' });
        expect((await item(x.item.id)).status).toBe('OPEN');

        const raced = await nominationUnderReview(orm, { roundId: x.roundId, unitId: x.unitId });
        const racedItem = await put(x.session.id, raced.id);
        const [vote, removal] = await Promise.allSettled([x.vote(x.members[1]!, 'APPROVE', racedItem.id), remove(racedItem.id)]);
        const [{ n }] = (await rawQuery<{ n: number }[]>(fork(), 'select count(*)::int as n from council_vote_cast where item_id = ?', [
          racedItem.id,
        ])) as [{ n: number }];
        const after = await item(racedItem.id);
        if (vote.status === 'fulfilled') {
          expect(removal.status).toBe('rejected');
          expect((removal as PromiseRejectedResult).reason.extensions.messageKey).toBe('VOTES_CAST');
          expect([after.status, n]).toEqual(['OPEN', 1]);
        } else {
          expect(removal.status).toBe('fulfilled');
          expect((vote as PromiseRejectedResult).reason.extensions.messageKey).toBe('ITEM_REMOVED');
          expect([after.status, n]).toEqual(['REMOVED', 0]);
        }
      });

      it('a planned session is cancelled with its items, which are free for another session; an opened one is not', async () => {
        const x = await council(3, 3, gt50);
        const planned = await plan(x.c.id, '2026-10-20');
        const n = await nominationUnderReview(orm, { roundId: x.roundId, unitId: x.unitId });
        const onIt = await put(planned.id, n.id);
        const outsider = new AuthContext({ subject: 'thi-dua-xa-khac', roles: [{ role: 'EMULATION_OFFICER', unitId: otherCommune }] });
        const cancel = (sessionId: string, as: AuthContext = admin) =>
          run(as, (em, a, s) => cancelCouncilSession(em, a, s, { sessionId, reason: 'Chủ tịch Hội đồng đi công tác' }));
        expect(await refusal(cancel(planned.id, outsider))).toEqual({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
        expect(await refusal(cancel(x.session.id))).toEqual({ code: 'CONFLICT', messageKey: 'SESSION_NOT_PLANNED' });

        const cancelled = await cancel(planned.id);
        expect(cancelled).toMatchObject({
          status: 'CANCELLED',
          cancelledBy: 'admin',
          cancelReason: 'Chủ tịch Hội đồng đi công tác',
          minutes: null,
        });
        expect(await item(onIt.id)).toMatchObject({ status: 'REMOVED', removalReason: 'Phiên họp bị hủy: Chủ tịch Hội đồng đi công tác' });
        expect(await refusal(cancel(planned.id))).toEqual({ code: 'CONFLICT', messageKey: 'SESSION_CANCELLED' });
        expect(
          await refusal(run(admin, (em, a, s) => openCouncilSession(em, a, s, { sessionId: planned.id, presentMemberIds: [] }))),
        ).toEqual({ code: 'CONFLICT', messageKey: 'SESSION_CANCELLED' });
        const other = await nominationUnderReview(orm, { roundId: x.roundId, unitId: x.unitId });
        expect(await refusal(put(planned.id, other.id))).toEqual({ code: 'CONFLICT', messageKey: 'SESSION_CANCELLED' });

        const next = await plan(x.c.id, '2026-10-27');
        expect((await put(next.id, n.id)).status).toBe('OPEN');
      });
    });
  });

  it('lists are batched: the agendas, attendance, members, votes and conflicts of many sessions in one statement each', async () => {
    const gt50 = { base: 'PRESENT', comparator: 'GT', percent: 50 } as const;
    const a = await council(3, 3, gt50);
    const b = await council(2, 2, gt50);
    await a.vote(a.members[0]!, 'APPROVE');
    await b.vote(b.members[1]!, 'REJECT');
    const em = fork();
    let statements = 0;
    const knex = em.getConnection().getKnex();
    const count = () => void statements++;
    knex.on('query', count);
    const [agendas, attendance, members, votes, conflicts] = await Promise.all([
      itemsBySessionLoader(em).loadMany([a.session.id, b.session.id]),
      attendanceBySessionLoader(em).loadMany([a.session.id, b.session.id]),
      membersByCouncilLoader(em).loadMany([a.c.id, b.c.id]),
      openVotesByItemLoader(em).loadMany([a.item.id, b.item.id]),
      conflictsByItemLoader(em).loadMany([a.item.id, b.item.id]),
    ]);
    knex.off('query', count);
    expect(statements).toBe(5);
    expect((agendas as ItemRow[][]).map((x) => x.map((i) => i.id))).toEqual([[a.item.id], [b.item.id]]);
    expect((attendance as string[][]).map((x) => x.length)).toEqual([3, 2]);
    expect((members as MemberRow[][]).map((x) => x.length)).toEqual([3, 2]);
    expect((votes as { choice: string }[][]).map((x) => x.map((v) => v.choice))).toEqual([['APPROVE'], ['REJECT']]);
    expect(conflicts).toEqual([[], []]);
  });
});
