import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  AuthContext,
  applyParticipantEvents,
  EventCatalog,
  newEvent,
  rawQuery,
  ReplicaScope,
  todayInVietnam,
  type DomainError,
  type MikroORM,
} from '@xhht/infra';
import { awardsTestOrm, initiativeInput, recognisedInitiative, seedArea } from '../../../../test/support/initiatives';
import { loadInitiatives } from '../initiatives/initiative.repository';
import { RECOGNITION_GRANTED, recognitionReplicaHandlers } from '../recognitions/recognition-replica';
import { createAwardRound, openAwardRound, type CreateAwardRoundInput } from '../rounds/award-round.domain';
import { activeDiscipline, endDiscipline, recordDiscipline } from './discipline.domain';
import {
  approveNomination,
  createNomination,
  escalateNomination,
  markNominationsDecided,
  receiveNomination,
  rejectNomination,
  returnNomination,
  startNominationReview,
  submitNomination,
  withdrawNomination,
  type CreateNominationInput,
} from './nomination.domain';
import { NOMINATION_REJECTED, NOMINATION_WITHDRAWN } from './nomination.events';
import { loadNominations, nominationTransitionsLoader, type NominationRow } from './nomination.repository';

const admin = new AuthContext({ subject: 'test-admin', roles: [{ role: 'SYSTEM_ADMIN' }] });
const dayOffset = (days: number) => {
  const d = new Date(`${todayInVietnam()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** Nominations on real PostgreSQL: the one-achievement index, the quota under concurrency, discipline dates, decisions and escalation. */
describe('nominations', () => {
  let orm: MikroORM;
  const catalog = new EventCatalog();
  let area: Awaited<ReturnType<typeof seedArea>>;
  const fork = () => orm.em.fork() as unknown as EntityManager;
  /** A step in a transaction of its own: what it returned (`run`: its result alone). */
  const transact = <R>(work: (em: EntityManager, scope: ReplicaScope) => Promise<R>) =>
    fork().transactional((tx) => work(tx as EntityManager, new ReplicaScope(tx as EntityManager)));
  const run = async <T>(work: (em: EntityManager, scope: ReplicaScope) => Promise<{ result: T }>) => (await transact(work)).result;
  const refusal = async (p: Promise<unknown>) => {
    const err = (await p.then(
      () => null,
      (e: unknown) => e,
    )) as DomainError | null;
    expect(err).not.toBeNull();
    return { code: err!.extensions.code, messageKey: err!.extensions.messageKey };
  };
  const refusalOf = async (p: Promise<unknown>) => {
    const err = (await p.then(
      () => null,
      (e: unknown) => e,
    )) as DomainError | null;
    expect(err).not.toBeNull();
    return { code: err!.extensions.code, messageKey: err!.extensions.messageKey, message: err!.message };
  };
  const nominationCount = async () => (await rawQuery<{ n: number }[]>(fork(), 'select count(*)::int as n from nomination', []))[0]!.n;

  async function household(unitId = area.communeA): Promise<string> {
    const id = randomUUID();
    await fork().transactional((tx) =>
      applyParticipantEvents(
        [newEvent('vn.xhht.org.household.registered.v1', id, { id, unitId, code: id.slice(0, 8) })],
        tx as EntityManager,
      ),
    );
    return id;
  }
  /** A Learning Family recognition of the household for `year`, through the replica's handler; its id. */
  async function learningFamily(householdId: string, year: number): Promise<string> {
    const recognitionId = randomUUID();
    const event = newEvent(RECOGNITION_GRANTED, householdId, {
      recognitionId,
      decisionId: randomUUID(),
      subjectKind: 'HOUSEHOLD',
      subjectId: householdId,
      title: 'LEARNING_FAMILY',
      level: 'ACHIEVED',
      year,
      validFrom: `${year + 1}-01-10`,
      validTo: `${year + 4}-01-09`,
      decisionNumber: `${year % 100}/QĐ-UBND`,
      decisionDate: `${year + 1}-01-10`,
      decidingUnitId: area.communeA,
    });
    await fork().transactional(async (tx) => {
      const handler = recognitionReplicaHandlers[RECOGNITION_GRANTED]!;
      await (typeof handler === 'function' ? handler : handler.one)(event, tx as EntityManager);
    });
    return recognitionId;
  }
  async function openRound(scopeUnitId: string, forms: CreateAwardRoundInput['forms']): Promise<string> {
    const round = await run((em, scope) =>
      createAwardRound(em, admin, scope, {
        scopeUnitId,
        kind: 'AD_HOC',
        year: 2026,
        name: 'Đợt khen thưởng thử',
        nominationDeadline: '2026-12-20',
        decisionDeadline: '2026-12-28',
        forms,
      }),
    );
    await run((em, scope) => openAwardRound(em, admin, scope, round.id));
    return round.id;
  }
  const nominate = (over: Partial<CreateNominationInput> & Pick<CreateNominationInput, 'roundId' | 'nomineeId' | 'achievement'>) =>
    run((em, scope) =>
      createNomination(em, admin, scope, {
        formCode: 'GIAY_KHEN_CHU_TICH_XA',
        nomineeKind: 'HOUSEHOLD',
        proposingUnitId: area.communeA,
        summary: 'Gia đình nhiều năm liền đạt danh hiệu Gia đình học tập',
        ...over,
      }),
    );
  const submit = (n: NominationRow) => run((em, scope) => submitNomination(em, admin, scope, { id: n.id, expectedVersion: n.version }));
  const approved = async (n: NominationRow) => {
    let at = await submit(n);
    at = await run((em, scope) => receiveNomination(em, admin, scope, { id: at.id, expectedVersion: at.version }));
    at = await run((em, scope) => startNominationReview(em, admin, scope, { id: at.id, expectedVersion: at.version }));
    return run((em, scope) => approveNomination(em, admin, scope, { id: at.id, expectedVersion: at.version }));
  };
  const free = (text: string) => ({ free: { kind: 'Thành tích phong trào', year: 2025, text } });

  beforeAll(async () => {
    orm = await awardsTestOrm('xhht_test_awards_nominations');
    area = await fork().transactional((tx) => seedArea(tx as EntityManager));
  });
  afterAll(() => orm?.close(true));

  describe('one achievement, one award', () => {
    it('refuses a second nomination on a recognition already nominated, and takes it again once the first is rejected', async () => {
      const roundId = await openRound(area.province, [{ formCode: 'GIAY_KHEN_CHU_TICH_XA' }, { formCode: 'BANG_KHEN_CHU_TICH_TINH' }]);
      const h = await household();
      const r2025 = await learningFamily(h, 2025);
      const first = await nominate({ roundId, nomineeId: h, achievement: { recognitionIds: [r2025] } });
      const before = await nominationCount();
      expect(
        await refusal(nominate({ roundId, nomineeId: h, formCode: 'BANG_KHEN_CHU_TICH_TINH', achievement: { recognitionIds: [r2025] } })),
      ).toEqual({ code: 'CONFLICT', messageKey: 'ACHIEVEMENT_ALREADY_NOMINATED' });
      expect(await nominationCount()).toBe(before);

      const sent = await submit(first);
      const { events } = await transact((em, scope) =>
        rejectNomination(em, admin, scope, { id: sent.id, expectedVersion: sent.version, reason: 'Hồ sơ thiếu minh chứng' }),
      );
      // partners learn the outcome, by ids: the catalog's shape, and never the reason
      expect(events.map((e) => [e.type, e.subject, (e.data as { through: string }).through])).toEqual([
        [NOMINATION_REJECTED, sent.id, 'REVIEW'],
      ]);
      events.forEach((e) => catalog.validate(e));
      expect(JSON.stringify(events)).not.toContain('minh chứng');
      const again = await nominate({
        roundId,
        nomineeId: h,
        formCode: 'BANG_KHEN_CHU_TICH_TINH',
        achievement: { recognitionIds: [r2025] },
      });
      expect(again.status).toBe('DRAFT');
    });

    it('lets one of two concurrent nominations on the same achievement win, and the index refuses a second live key on its own', async () => {
      const roundId = await openRound(area.province, [{ formCode: 'GIAY_KHEN_CHU_TICH_XA' }]);
      const h = await household();
      const results = await Promise.allSettled([
        nominate({ roundId, nomineeId: h, achievement: free('Gia đình  tiêu biểu   xây dựng xã hội học tập') }),
        nominate({ roundId, nomineeId: h, achievement: free('gia đình tiêu biểu xây dựng xã hội học tập') }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      expect((lost.reason as DomainError).extensions.messageKey).toBe('ACHIEVEMENT_ALREADY_NOMINATED');

      // the database itself, not only the code's check: a second live holder of a key is a unique violation
      const [held] = await rawQuery<{ key: string; nominationId: string }[]>(
        fork(),
        `select achievement_key as key, nomination_id as "nominationId" from nomination_achievement a
         join nomination n on n.id = a.nomination_id where n.nominee_id = ? and a.live`,
        [h],
      );
      const other = await nominate({ roundId, nomineeId: h, achievement: free('Một thành tích khác') });
      const direct = fork().transactional((tx) =>
        rawQuery(tx as EntityManager, 'insert into nomination_achievement (nomination_id, achievement_key, live) values (?, ?, true)', [
          other.id,
          held!.key,
        ]),
      );
      await expect(direct).rejects.toMatchObject({ code: '23505' });
    });

    it('an initiative grounds one nomination, and is claimed for the award when the decision comes', async () => {
      const roundId = await openRound(area.province, [{ formCode: 'GIAY_KHEN_CHU_TICH_XA' }]);
      const initiativeId = await recognisedInitiative(orm, initiativeInput(area.communeA, { title: 'Tủ sách gia đình' }), area.province);
      const h = await household();
      const n = await nominate({ roundId, nomineeId: h, achievement: { initiativeId } });
      expect(await refusal(nominate({ roundId, nomineeId: await household(), achievement: { initiativeId } }))).toEqual({
        code: 'CONFLICT',
        messageKey: 'ACHIEVEMENT_ALREADY_NOMINATED',
      });
      const ok = await approved(n);
      const [decided] = await fork().transactional((tx) => markNominationsDecided(tx as EntityManager, [ok.id], '125/QĐ-UBND'));
      expect(decided).toMatchObject({ status: 'DECIDED', decisionRef: '125/QĐ-UBND' });
      expect((await loadInitiatives(fork(), [initiativeId])).get(initiativeId)!.groundsAward).toBe(ok.id);
    });

    it('markNominationsDecided refuses a nomination not approved and changes nothing', async () => {
      const roundId = await openRound(area.province, [{ formCode: 'GIAY_KHEN_CHU_TICH_XA' }]);
      const a = await approved(await nominate({ roundId, nomineeId: await household(), achievement: free('Thành tích A') }));
      const b = await nominate({ roundId, nomineeId: await household(), achievement: free('Thành tích B') });
      expect(await refusal(fork().transactional((tx) => markNominationsDecided(tx as EntityManager, [a.id, b.id], '7/QĐ-UBND')))).toEqual({
        code: 'CONFLICT',
        messageKey: 'WRONG_NOMINATION_STATUS',
      });
      const rows = await loadNominations(fork(), [a.id, b.id]);
      expect([rows.get(a.id)!.status, rows.get(b.id)!.status]).toEqual(['APPROVED', 'DRAFT']);
    });
  });

  it('counts the quota under the round lock: of concurrent submissions for the last place exactly one passes', async () => {
    const roundId = await openRound(area.province, [{ formCode: 'GIAY_KHEN_CHU_TICH_XA', quota: { kind: 'COUNT', count: 2 } }]);
    const drafts = await Promise.all(
      [1, 2, 3, 4].map(async (i) => nominate({ roundId, nomineeId: await household(), achievement: free(`Thành tích ${i}`) })),
    );
    await submit(drafts[0]!);
    const results = await Promise.allSettled(drafts.slice(1).map(submit));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect((r.reason as DomainError).extensions).toMatchObject({
        code: 'CONFLICT',
        messageKey: 'QUOTA_EXCEEDED',
        details: { used: 2, limit: 2 },
      });
    }
    const [counted] = await rawQuery<{ n: number }[]>(
      fork(),
      `select count(*)::int as n from nomination where round_id = ? and status = 'SUBMITTED'`,
      [roundId],
    );
    expect(counted!.n).toBe(2);
  });

  it('a share quota follows the base form: 15 % of no Lao động tiên tiến nominations leaves no place', async () => {
    const roundId = await openRound(area.province, [
      { formCode: 'LAO_DONG_TIEN_TIEN' },
      { formCode: 'CHIEN_SI_THI_DUA_CO_SO', quota: { kind: 'SHARE', percent: 15, ofFormCode: 'LAO_DONG_TIEN_TIEN' } },
    ]);
    const person = area.person;
    const n = await nominate({
      roundId,
      nomineeId: person,
      nomineeKind: 'PERSON',
      formCode: 'CHIEN_SI_THI_DUA_CO_SO',
      achievement: free('Chiến sĩ'),
    });
    expect(await refusal(submit(n))).toEqual({ code: 'CONFLICT', messageKey: 'QUOTA_EXCEEDED' });
  });

  describe('discipline', () => {
    const discipline = (subjectId: string, fromDate: string, toDate: string | null) =>
      run((em, scope) =>
        recordDiscipline(em, admin, scope, {
          subjectKind: 'HOUSEHOLD',
          subjectId,
          fromDate,
          toDate,
          decisionRef: 'Quyết định số 12/QĐ-UBND',
          reason: 'Vi phạm quy ước thôn',
        }),
      );

    it('is in force from its first to its last day inclusive', async () => {
      const h = await household();
      await discipline(h, dayOffset(-10), dayOffset(0));
      expect(await activeDiscipline(fork(), h, dayOffset(-10))).not.toBeNull();
      expect(await activeDiscipline(fork(), h, dayOffset(0))).not.toBeNull();
      expect(await activeDiscipline(fork(), h, dayOffset(-11))).toBeNull();
      expect(await activeDiscipline(fork(), h, dayOffset(1))).toBeNull();
    });

    it('refuses to submit a nominee under discipline today, and allows it once the measure has ended', async () => {
      const roundId = await openRound(area.province, [{ formCode: 'GIAY_KHEN_CHU_TICH_XA' }]);
      const h = await household();
      const d = await discipline(h, dayOffset(-30), null);
      const n = await nominate({ roundId, nomineeId: h, achievement: free('Thành tích bị kỷ luật') });
      expect(await refusal(submit(n))).toEqual({ code: 'CONFLICT', messageKey: 'NOMINEE_UNDER_DISCIPLINE' });
      expect((await loadNominations(fork(), [n.id])).get(n.id)!.status).toBe('DRAFT');

      expect(await refusal(run((em, scope) => endDiscipline(em, admin, scope, { id: d.id, toDate: dayOffset(-31) })))).toEqual({
        code: 'BAD_USER_INPUT',
        messageKey: 'DATES_OUT_OF_ORDER',
      });
      await run((em, scope) => endDiscipline(em, admin, scope, { id: d.id, toDate: dayOffset(-1) }));
      expect((await submit(n)).status).toBe('SUBMITTED');
    });

    it('a measure starting tomorrow does not bar today, and an officer outside the unit cannot record one', async () => {
      const h = await household();
      await discipline(h, dayOffset(1), dayOffset(60));
      expect(await activeDiscipline(fork(), h, dayOffset(0))).toBeNull();
      const outsider = new AuthContext({ subject: 'outsider', roles: [{ role: 'EMULATION_OFFICER', unitId: area.communeB }] });
      expect(
        await refusal(
          run((em, scope) =>
            recordDiscipline(em, outsider, scope, {
              subjectKind: 'HOUSEHOLD',
              subjectId: h,
              fromDate: dayOffset(0),
              decisionRef: 'x',
              reason: 'y',
            }),
          ),
        ),
      ).toEqual({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    });
  });

  it('escalation carries the achievement to the higher level and still refuses an unrelated duplicate', async () => {
    const communeRound = await openRound(area.communeA, [{ formCode: 'GIAY_KHEN_CHU_TICH_XA' }]);
    const provinceRound = await openRound(area.province, [{ formCode: 'BANG_KHEN_CHU_TICH_TINH' }, { formCode: 'GIAY_KHEN_THU_TRUONG' }]);
    const h = await household();
    const r = await learningFamily(h, 2024);
    const ok = await approved(await nominate({ roundId: communeRound, nomineeId: h, achievement: { recognitionIds: [r] } }));
    const escalate = (formCode: string, roundId = provinceRound) =>
      run((em, scope) => escalateNomination(em, admin, scope, { id: ok.id, expectedVersion: ok.version, roundId, formCode }));
    expect(await refusal(escalate('GIAY_KHEN_THU_TRUONG'))).toEqual({ code: 'BAD_USER_INPUT', messageKey: 'FORM_NOT_HIGHER' });
    expect(await refusal(escalate('GIAY_KHEN_CHU_TICH_XA', communeRound))).toEqual({
      code: 'BAD_USER_INPUT',
      messageKey: 'ROUND_NOT_NEXT_LEVEL',
    });
    const up = await escalate('BANG_KHEN_CHU_TICH_TINH');
    expect(up).toMatchObject({
      status: 'DRAFT',
      roundId: provinceRound,
      proposingUnitId: area.communeA,
      escalatedFrom: ok.id,
      achievement: { kind: 'RECOGNITIONS', recognitionIds: [r] },
    });
    const okNow = async () => (await loadNominations(fork(), [ok.id])).get(ok.id)!;
    const escalateAgain = async () => {
      const { version } = await okNow();
      return run((em, scope) =>
        escalateNomination(em, admin, scope, {
          id: ok.id,
          expectedVersion: version,
          roundId: provinceRound,
          formCode: 'BANG_KHEN_CHU_TICH_TINH',
        }),
      );
    };
    expect((await okNow()).escalatedTo).toBe(up.id);
    // one live proposal above at a time
    expect(await refusal(escalateAgain())).toEqual({ code: 'CONFLICT', messageKey: 'ALREADY_ESCALATED' });
    expect(
      await refusal(
        nominate({ roundId: provinceRound, nomineeId: h, formCode: 'BANG_KHEN_CHU_TICH_TINH', achievement: { recognitionIds: [r] } }),
      ),
    ).toEqual({ code: 'CONFLICT', messageKey: 'ACHIEVEMENT_ALREADY_NOMINATED' });
    const sent = await submit(up);
    expect(sent.status).toBe('SUBMITTED');

    // refused at the province, the achievement goes back to the commune's approved proposal: still one holder
    await run((em, scope) =>
      rejectNomination(em, admin, scope, { id: sent.id, expectedVersion: sent.version, reason: 'Chưa đủ tiêu chuẩn cấp tỉnh' }),
    );
    const holders = await rawQuery<{ nominationId: string }[]>(
      fork(),
      'select nomination_id as "nominationId" from nomination_achievement where achievement_key = ? and live',
      [`RECOGNITION:${r}`],
    );
    expect(holders).toEqual([{ nominationId: ok.id }]);
    expect(
      await refusal(
        nominate({ roundId: provinceRound, nomineeId: h, formCode: 'BANG_KHEN_CHU_TICH_TINH', achievement: { recognitionIds: [r] } }),
      ),
    ).toEqual({ code: 'CONFLICT', messageKey: 'ACHIEVEMENT_ALREADY_NOMINATED' });

    // refused above, the commune may send it up again: a new proposal takes the achievement over
    const again = await escalateAgain();
    expect(again).toMatchObject({ status: 'DRAFT', escalatedFrom: ok.id });
    expect(again.id).not.toBe(up.id);
    expect((await okNow()).escalatedTo).toBe(again.id);
    const nowHeld = await rawQuery<{ nominationId: string }[]>(
      fork(),
      'select nomination_id as "nominationId" from nomination_achievement where achievement_key = ? and live',
      [`RECOGNITION:${r}`],
    );
    expect(nowHeld).toEqual([{ nominationId: again.id }]);
  });
  describe('withdrawal', () => {
    const proposer = () => new AuthContext({ subject: 'can-bo-phuong', roles: [{ role: 'COMMUNE_OFFICER', unitId: area.communeA }] });
    const withdraw = (n: NominationRow, as: AuthContext = proposer(), reason = 'Gia đình xin rút để bổ sung thành tích năm sau') =>
      run((em, scope) => withdrawNomination(em, as, scope, { id: n.id, expectedVersion: n.version, reason }));
    const statusOf = async (id: string) => (await loadNominations(fork(), [id])).get(id)!;

    it('the proposing unit takes a submitted proposal back: final, recorded, its achievement and its quota place free again', async () => {
      const roundId = await openRound(area.province, [{ formCode: 'GIAY_KHEN_CHU_TICH_XA', quota: { kind: 'COUNT', count: 1 } }]);
      const h = await household();
      const r = await learningFamily(h, 2025);
      const sent = await submit(await nominate({ roundId, nomineeId: h, achievement: { recognitionIds: [r] } }));
      const waiting = await nominate({ roundId, nomineeId: await household(), achievement: free('Thành tích chờ chỉ tiêu') });
      expect(await refusal(submit(waiting))).toEqual({ code: 'CONFLICT', messageKey: 'QUOTA_EXCEEDED' });

      const outsider = new AuthContext({ subject: 'can-bo-xa-khac', roles: [{ role: 'COMMUNE_OFFICER', unitId: area.communeB }] });
      expect(await refusal(withdraw(sent, outsider))).toEqual({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
      expect(await refusal(withdraw({ ...sent, version: sent.version - 1 }))).toEqual({ code: 'CONFLICT', messageKey: 'STALE_VERSION' });
      expect((await statusOf(sent.id)).status).toBe('SUBMITTED');

      const { result: gone, events } = await transact((em, scope) =>
        withdrawNomination(em, proposer(), scope, {
          id: sent.id,
          expectedVersion: sent.version,
          reason: 'Gia đình xin rút để bổ sung thành tích năm sau',
        }),
      );
      expect(events.map((e) => [e.type, e.subject, (e.data as { withdrawnBy: string }).withdrawnBy])).toEqual([
        [NOMINATION_WITHDRAWN, sent.id, 'can-bo-phuong'],
      ]);
      events.forEach((e) => catalog.validate(e));
      expect(gone).toMatchObject({
        status: 'WITHDRAWN',
        version: sent.version + 1,
        withdrawalReason: 'Gia đình xin rút để bổ sung thành tích năm sau',
        updatedBy: 'can-bo-phuong',
      });
      expect((await nominationTransitionsLoader(fork()).load(sent.id)).at(-1)).toMatchObject({
        fromStatus: 'SUBMITTED',
        toStatus: 'WITHDRAWN',
        reason: 'Gia đình xin rút để bổ sung thành tích năm sau',
        by: 'can-bo-phuong',
      });
      expect(await refusal(withdraw(gone))).toEqual({ code: 'CONFLICT', messageKey: 'NOMINATION_NOT_WITHDRAWABLE' });
      // the quota place and the recognition are free again
      expect((await submit(waiting)).status).toBe('SUBMITTED');
      expect((await nominate({ roundId, nomineeId: h, achievement: { recognitionIds: [r] } })).status).toBe('DRAFT');
    });

    it('from a draft, a received or a returned nomination too; not once under review, approved or decided, changing nothing', async () => {
      const roundId = await openRound(area.province, [{ formCode: 'GIAY_KHEN_CHU_TICH_XA' }]);
      const draft = await nominate({ roundId, nomineeId: await household(), achievement: free('Rút khi đang soạn') });
      expect((await withdraw(draft)).status).toBe('WITHDRAWN');
      const sent = await submit(await nominate({ roundId, nomineeId: await household(), achievement: free('Rút khi đã tiếp nhận') }));
      const received = await run((em, scope) => receiveNomination(em, admin, scope, { id: sent.id, expectedVersion: sent.version }));
      expect((await withdraw(received)).status).toBe('WITHDRAWN');
      const again = await submit(await nominate({ roundId, nomineeId: await household(), achievement: free('Rút khi bị trả lại') }));
      const returned = await run((em, scope) =>
        returnNomination(em, admin, scope, { id: again.id, expectedVersion: again.version, reason: 'Bổ sung minh chứng' }),
      );
      expect((await withdraw(returned)).status).toBe('WITHDRAWN');

      let reviewed = await submit(await nominate({ roundId, nomineeId: await household(), achievement: free('Đang thẩm định') }));
      for (const step of [receiveNomination, startNominationReview]) {
        const at = reviewed;
        reviewed = await run((em, scope) => step(em, admin, scope, { id: at.id, expectedVersion: at.version }));
      }
      expect(await refusal(withdraw(reviewed))).toEqual({ code: 'CONFLICT', messageKey: 'NOMINATION_NOT_WITHDRAWABLE' });
      expect(await statusOf(reviewed.id)).toMatchObject({ status: 'UNDER_REVIEW', version: reviewed.version, withdrawalReason: null });
      const ok = await approved(await nominate({ roundId, nomineeId: await household(), achievement: free('Đã chấp thuận') }));
      expect(await refusal(withdraw(ok))).toEqual({ code: 'CONFLICT', messageKey: 'NOMINATION_NOT_WITHDRAWABLE' });
      const [decided] = await fork().transactional((tx) => markNominationsDecided(tx as EntityManager, [ok.id], '88/QĐ-UBND'));
      expect(await refusal(withdraw(decided!))).toEqual({ code: 'CONFLICT', messageKey: 'NOMINATION_NOT_WITHDRAWABLE' });
    });

    it('withdrawing an escalated proposal gives the achievement back to the approved one below, as a rejection does', async () => {
      const communeRound = await openRound(area.communeA, [{ formCode: 'GIAY_KHEN_CHU_TICH_XA' }]);
      const provinceRound = await openRound(area.province, [{ formCode: 'BANG_KHEN_CHU_TICH_TINH' }]);
      const h = await household();
      const r = await learningFamily(h, 2023);
      const ok = await approved(await nominate({ roundId: communeRound, nomineeId: h, achievement: { recognitionIds: [r] } }));
      const up = await run((em, scope) =>
        escalateNomination(em, admin, scope, {
          id: ok.id,
          expectedVersion: ok.version,
          roundId: provinceRound,
          formCode: 'BANG_KHEN_CHU_TICH_TINH',
        }),
      );
      const sent = await submit(up);
      expect((await withdraw(sent)).status).toBe('WITHDRAWN');
      const holders = await rawQuery<{ nominationId: string }[]>(
        fork(),
        'select nomination_id as "nominationId" from nomination_achievement where achievement_key = ? and live',
        [`RECOGNITION:${r}`],
      );
      expect(holders).toEqual([{ nominationId: ok.id }]);
      expect((await statusOf(ok.id)).status).toBe('APPROVED');
    });
  });

  it('an outsider creating a nomination learns nothing about the nominee: FORBIDDEN whether the id exists or not', async () => {
    const roundId = await openRound(area.province, [{ formCode: 'GIAY_KHEN_CHU_TICH_XA' }]);
    const outsider = new AuthContext({ subject: 'can-bo-xa-khac', roles: [{ role: 'COMMUNE_OFFICER', unitId: area.communeB }] });
    const before = await nominationCount();
    const attempt = (nomineeId: string) =>
      run((em, scope) =>
        createNomination(em, outsider, scope, {
          roundId,
          formCode: 'GIAY_KHEN_CHU_TICH_XA',
          nomineeKind: 'HOUSEHOLD',
          nomineeId,
          proposingUnitId: area.communeA,
          summary: 'Thử',
          achievement: free('Thử'),
        }),
      );
    const known = await refusalOf(attempt(await household()));
    const unknown = await refusalOf(attempt(randomUUID()));
    expect(known).toEqual({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE', message: unknown.message });
    expect(await nominationCount()).toBe(before);
  });
});
