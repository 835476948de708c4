import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuthContext, rawQuery, ReplicaScope, todayInVietnam, type MikroORM } from '@xhht/infra';
import { awardsTestOrm, refusalOf, replicaUnit, transactAs } from '../../../../test/support/awards';
import { initiativeInput, recognisedInitiative, seedArea } from '../../../../test/support/initiatives';
import { openRound as openRoundOf, replicaHousehold } from '../../../../test/support/nominations';
import { loadInitiatives } from '../initiatives/initiative.repository';
import { recordDiscipline } from '../nominations/discipline.domain';
import {
  approveNomination,
  createNomination,
  receiveNomination,
  startNominationReview,
  submitNomination,
  type CreateNominationInput,
} from '../nominations/nomination.domain';
import { loadNominations, nominationTransitionsLoader, type NominationRow } from '../nominations/nomination.repository';
import { issueAwardDecision, revokeAward, type IssueAwardDecisionInput } from './award-decision.domain';
import { AWARD_DECIDED, AWARD_REVOKED } from './award-decision.events';
import { loadAwards, unitAwardsLoader } from './award-decision.repository';

const admin = new AuthContext({ subject: 'test-admin', roles: [{ role: 'SYSTEM_ADMIN' }] });
const today = todayInVietnam();

/** Award decisions on real PostgreSQL: the authority, the awardees' nominations, register numbers, revocation and the unit lists. */
describe('award decisions', () => {
  let orm: MikroORM;
  let area: Awaited<ReturnType<typeof seedArea>>;
  let provinceOfficer: AuthContext;
  let communeOfficer: AuthContext;
  const fork = () => orm.em.fork() as unknown as EntityManager;
  const as = transactAs(() => orm);
  const count = async (table: string) => (await rawQuery<{ n: number }[]>(fork(), `select count(*)::int as n from ${table}`, []))[0]!.n;

  const household = (unitId = area.communeA) => replicaHousehold(orm, unitId);
  const openRound = (scopeUnitId: string, forms: { formCode: string }[]) =>
    openRoundOf(
      orm,
      scopeUnitId,
      forms.map((f) => f.formCode),
    );
  /** A nomination carried to APPROVED by an administrator. */
  async function approved(
    over: Partial<CreateNominationInput> & Pick<CreateNominationInput, 'roundId' | 'nomineeId'>,
  ): Promise<NominationRow> {
    let n = await as(admin, (em, auth, scope) =>
      createNomination(em, auth, scope, {
        formCode: 'BANG_KHEN_CHU_TICH_TINH',
        nomineeKind: 'HOUSEHOLD',
        proposingUnitId: area.communeA,
        summary: 'Gia đình hiếu học',
        achievement: { free: { kind: 'Thành tích phong trào', year: 2026, text: `Thành tích ${randomUUID()}` } },
        ...over,
      }),
    );
    for (const step of [submitNomination, receiveNomination, startNominationReview, approveNomination]) {
      const at = n;
      n = await as(admin, (em, auth, scope) => step(em, auth, scope, { id: at.id, expectedVersion: at.version }));
    }
    return n;
  }
  const decision = (
    over: Partial<IssueAwardDecisionInput> & Pick<IssueAwardDecisionInput, 'roundId' | 'awardees'>,
  ): IssueAwardDecisionInput => ({
    formCode: 'BANG_KHEN_CHU_TICH_TINH',
    number: `${Math.floor(Math.random() * 1e6)}/QĐ-UBND`,
    decidedOn: today,
    issuingUnitId: area.province,
    signerName: 'Nguyễn Văn Bình',
    ...over,
  });
  /** The work's result with the events it staged in the outbox. */
  const withEvents = <T>(auth: AuthContext, work: Parameters<typeof as<T>>[1]) =>
    as(auth, async (em, a, scope) => {
      const out = await work(em, a, scope);
      return { result: { result: out.result, events: out.events }, events: out.events };
    });
  const issue = async (auth: AuthContext, input: IssueAwardDecisionInput) => {
    const { result, events } = await withEvents(auth, (em, a, scope) => issueAwardDecision(em, a, scope, input));
    return { decision: result, events };
  };
  const statusOf = async (id: string) => (await loadNominations(fork(), [id])).get(id)!.status;

  beforeAll(async () => {
    orm = await awardsTestOrm('xhht_test_awards_decisions');
    area = await fork().transactional((tx) => seedArea(tx as EntityManager));
    provinceOfficer = new AuthContext({ subject: 'province-officer', roles: [{ role: 'EMULATION_OFFICER', unitId: area.province }] });
    communeOfficer = new AuthContext({ subject: 'commune-officer', roles: [{ role: 'EMULATION_OFFICER', unitId: area.communeA }] });
  });
  afterAll(() => orm?.close(true));

  it('grants the approved nominations, numbers them in the register and marks them DECIDED, publishing award.decided', async () => {
    const roundId = await openRound(area.province, [{ formCode: 'BANG_KHEN_CHU_TICH_TINH' }]);
    const [h1, h2] = [await household(), await household(area.communeB)];
    const [n1, n2] = [
      await approved({ roundId, nomineeId: h1 }),
      await approved({ roundId, nomineeId: h2, proposingUnitId: area.communeB }),
    ];
    const initiativeId = await recognisedInitiative(orm, initiativeInput(area.communeA, { authorPersonIds: [area.person] }), area.province);
    const n3 = await approved({ roundId, nomineeId: area.person, nomineeKind: 'PERSON', achievement: { initiativeId } });

    const { decision: d, events } = await issue(
      provinceOfficer,
      decision({
        roundId,
        number: '125/QĐ-UBND',
        awardees: [
          { nominationId: n1.id, name: 'Gia đình ông Hoàng Văn Ằng' },
          { nominationId: n2.id, name: 'Gia đình bà Lý Thị Ủy', citation: 'tiêu biểu trong học tập suốt đời năm 2026' },
          { nominationId: n3.id, name: 'Bà Nông Thị Ịch' },
        ],
      }),
    );
    expect(d).toMatchObject({
      number: '125/QĐ-UBND',
      issuingBody: ['ỦY BAN NHÂN DÂN', 'TỈNH LẠNG SƠN'],
      grantor: 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN',
      place: 'Lạng Sơn',
      signerTitle: 'CHỦ TỊCH',
      citation: 'xuất sắc trong phong trào khuyến học, khuyến tài, xây dựng xã hội học tập năm 2026',
    });
    const awards = await rawQuery<{ id: string }[]>(fork(), 'select id from award where decision_id = ? order by position', [d.id]);
    const rows = [
      ...(
        await loadAwards(
          fork(),
          awards.map((a) => a.id),
        )
      ).values(),
    ].sort((a, b) => a.position - b.position);
    expect(rows.map((a) => [a.awardeeName, a.awardeeDetail, a.citation])).toEqual([
      ['Gia đình ông Hoàng Văn Ằng', 'Phường Đông Kinh, Tỉnh Lạng Sơn', null],
      ['Gia đình bà Lý Thị Ủy', 'Xã Hữu Lũng, Tỉnh Lạng Sơn', 'tiêu biểu trong học tập suốt đời năm 2026'],
      ['Bà Nông Thị Ịch', 'Phường Đông Kinh, Tỉnh Lạng Sơn', null],
    ]);
    // the register continues across decisions of the same unit and year
    const seqs = rows.map((a) => Number(a.registerNumber.split('/')[0]));
    expect(seqs[1]).toBe(seqs[0]! + 1);
    expect(seqs[2]).toBe(seqs[0]! + 2);
    expect(rows[0]!.registerNumber).toMatch(new RegExp(`^\\d{4}/${today.slice(0, 4)}$`));
    for (const n of [n1, n2, n3]) expect(await statusOf(n.id)).toBe('DECIDED');
    // each one's step is on record, from the decision
    const steps = await nominationTransitionsLoader(fork()).loadMany([n1.id, n2.id, n3.id]);
    for (const list of steps as { fromStatus: string; toStatus: string; by: string }[][]) {
      expect(list.at(-1)).toMatchObject({ fromStatus: 'APPROVED', toStatus: 'DECIDED', by: expect.stringMatching(/^decision:/) });
    }
    // the initiative grounds this award now, and no other
    expect((await loadInitiatives(fork(), [initiativeId])).get(initiativeId)!.groundsAward).toBe(n3.id);
    expect(events.map((e) => e.type)).toEqual([AWARD_DECIDED]);
    expect(events[0]!.data).toMatchObject({
      decisionId: d.id,
      formCode: 'BANG_KHEN_CHU_TICH_TINH',
      authorityLevel: 'PROVINCE',
      issuingUnitId: area.province,
      awards: rows.map((a) => ({ awardId: a.id, nominationId: a.nominationId, nomineeId: a.nomineeId, registerNumber: a.registerNumber })),
    });
    expect(JSON.stringify(events[0]!.data)).not.toContain('Hoàng Văn');
  });

  it('refuses the wrong authority, outside scope and a number already used that year, writing nothing', async () => {
    const roundId = await openRound(area.province, [{ formCode: 'BANG_KHEN_CHU_TICH_TINH' }, { formCode: 'BANG_KHEN_BO_TRUONG' }]);
    const n = await approved({ roundId, nomineeId: await household() });
    const other = await fork().transactional((tx) => replicaUnit(tx as EntityManager, 'PROVINCE', 'Tỉnh Cao Bằng', null));
    const before = await count('award_decision');
    const awardees = [{ nominationId: n.id, name: 'Gia đình ông A' }];

    // a commune does not grant the province chair's Bằng khen, not even to its own household
    expect(await refusalOf(issue(admin, decision({ roundId, issuingUnitId: area.communeA, awardees })))).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'WRONG_AUTHORITY',
    });
    // a province does not grant a Minister's Bằng khen
    expect(await refusalOf(issue(admin, decision({ roundId, formCode: 'BANG_KHEN_BO_TRUONG', awardees })))).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'WRONG_AUTHORITY',
    });
    // another province's authority does not reach this round
    expect(await refusalOf(issue(admin, decision({ roundId, issuingUnitId: other, awardees })))).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'WRONG_AUTHORITY',
    });
    // a commune officer does not act for the province
    expect(await refusalOf(issue(communeOfficer, decision({ roundId, awardees })))).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'OUTSIDE_SCOPE',
    });
    expect(await count('award_decision')).toBe(before);
    expect(await statusOf(n.id)).toBe('APPROVED');

    await issue(provinceOfficer, decision({ roundId, number: '77/QĐ-UBND', awardees }));
    const n2 = await approved({ roundId, nomineeId: await household() });
    expect(
      await refusalOf(issue(provinceOfficer, decision({ roundId, number: ' 77/qđ-ubnd', awardees: [{ nominationId: n2.id, name: 'B' }] }))),
    ).toMatchObject({ code: 'CONFLICT', messageKey: 'DECISION_NUMBER_TAKEN' });
    expect(await statusOf(n2.id)).toBe('APPROVED');
  });

  it('refuses awardees that are not approved nominations of the round and form, or lack a printed name, or are under discipline', async () => {
    const roundId = await openRound(area.province, [{ formCode: 'BANG_KHEN_CHU_TICH_TINH' }, { formCode: 'GIAY_KHEN_CHU_TICH_XA' }]);
    const ok = await approved({ roundId, nomineeId: await household() });
    const draft = await as(admin, (em, auth, scope) =>
      createNomination(em, auth, scope, {
        roundId,
        formCode: 'BANG_KHEN_CHU_TICH_TINH',
        nomineeKind: 'HOUSEHOLD',
        nomineeId: ok.nomineeId,
        proposingUnitId: area.communeA,
        summary: 'x',
        achievement: { free: { kind: 'Khác', year: 2026, text: 'chưa duyệt' } },
      }),
    );
    const otherForm = await approved({ roundId, nomineeId: await household(), formCode: 'GIAY_KHEN_CHU_TICH_XA' });
    const punished = await approved({ roundId, nomineeId: await household() });
    await as(admin, (em, auth, scope) =>
      recordDiscipline(em, auth, scope, {
        subjectKind: 'HOUSEHOLD',
        subjectId: punished.nomineeId,
        fromDate: today,
        decisionRef: '3/QĐ-UBND',
        reason: 'Vi phạm',
      }),
    );
    const before = await count('award');
    const refuse = (awardees: IssueAwardDecisionInput['awardees']) => refusalOf(issue(provinceOfficer, decision({ roundId, awardees })));

    expect(
      await refuse([
        { nominationId: ok.id, name: 'A' },
        { nominationId: draft.id, name: 'A' },
      ]),
    ).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'WRONG_NOMINATION_STATUS',
    });
    expect(await refuse([{ nominationId: otherForm.id, name: 'B' }])).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'NOMINATION_NOT_FOR_DECISION',
      field: ['input', 'awardees', '0', 'nominationId'],
    });
    expect(await refuse([{ nominationId: ok.id }])).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'AWARDEE_NAME_REQUIRED' });
    expect(
      await refuse([
        { nominationId: ok.id, name: 'A' },
        { nominationId: ok.id, name: 'A' },
      ]),
    ).toMatchObject({
      messageKey: 'DUPLICATE_AWARDEE',
    });
    expect(await refuse([{ nominationId: punished.id, name: 'C' }])).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'NOMINEE_UNDER_DISCIPLINE',
    });
    expect(
      await refusalOf(
        issue(provinceOfficer, decision({ roundId, decidedOn: '2099-01-01', awardees: [{ nominationId: ok.id, name: 'A' }] })),
      ),
    ).toMatchObject({
      messageKey: 'DECISION_DATE_IN_FUTURE',
    });
    expect(await count('award')).toBe(before);
    expect(await statusOf(ok.id)).toBe('APPROVED');
  });

  it('revokes an award once, by the granting unit, with a reason; publishing award.revoked', async () => {
    const roundId = await openRound(area.province, [{ formCode: 'BANG_KHEN_CHU_TICH_TINH' }]);
    const n = await approved({ roundId, nomineeId: await household() });
    const { decision: d } = await issue(provinceOfficer, decision({ roundId, awardees: [{ nominationId: n.id, name: 'Gia đình ông D' }] }));
    const [{ id }] = (await rawQuery<{ id: string }[]>(fork(), 'select id from award where decision_id = ?', [d.id])) as [{ id: string }];
    const revoke = (auth: AuthContext, over: Record<string, unknown> = {}) =>
      withEvents(auth, (em, a, scope) =>
        revokeAward(em, a, scope, {
          awardId: id,
          expectedVersion: 1,
          reason: 'Kê khai thành tích không đúng',
          revocationRef: '9/QĐ-UBND',
          ...over,
        }),
      );

    expect(await refusalOf(revoke(communeOfficer))).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    expect(await refusalOf(revoke(provinceOfficer, { revokedOn: '2020-01-01' }))).toMatchObject({
      messageKey: 'REVOCATION_BEFORE_DECISION',
    });
    expect(await refusalOf(revoke(provinceOfficer, { expectedVersion: 7 }))).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'STALE_VERSION',
    });
    expect((await loadAwards(fork(), [id])).get(id)!.revokedOn).toBeNull();

    const { result: revoked, events } = await revoke(provinceOfficer);
    expect(revoked).toMatchObject({
      revokedOn: today,
      revocationRef: '9/QĐ-UBND',
      revocationReason: 'Kê khai thành tích không đúng',
      version: 2,
    });
    expect(events.map((e) => [e.type, e.subject])).toEqual([[AWARD_REVOKED, d.id]]);
    expect(events[0]!.data).toMatchObject({ awardId: id, revokedOn: today, revocationRef: '9/QĐ-UBND' });
    // the reason may name people: it stays in the service
    expect(JSON.stringify(events[0]!.data)).not.toContain('Kê khai');
    expect(await refusalOf(revoke(provinceOfficer, { expectedVersion: 2 }))).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'AWARD_ALREADY_REVOKED',
    });
  });

  it("lists a unit's awards by year and area, page by page, every key of a batch at once", async () => {
    const roundId = await openRound(area.province, [{ formCode: 'BANG_KHEN_CHU_TICH_TINH' }]);
    const ns = [await approved({ roundId, nomineeId: await household() }), await approved({ roundId, nomineeId: await household() })];
    const nb = await approved({ roundId, nomineeId: await household(area.communeB), proposingUnitId: area.communeB });
    // the commune itself, a collective: its name and the unit above come from the hierarchy replica
    const nu = await approved({ roundId, nomineeId: area.communeB, nomineeKind: 'ADMIN_UNIT', proposingUnitId: area.province });
    await issue(
      provinceOfficer,
      decision({
        roundId,
        awardees: [...[...ns, nb].map((n, i) => ({ nominationId: n.id, name: `Hộ ${i}` })), { nominationId: nu.id }],
      }),
    );
    const year = Number(today.slice(0, 4));
    const em = fork();
    const loader = unitAwardsLoader(em, new ReplicaScope(em));
    const [a, b, firstPage, secondPage, none, own, ownB] = await Promise.all([
      loader.load({ unitId: area.communeA, area: true, year, limit: 50, offset: 0 }),
      loader.load({ unitId: area.communeB, area: true, year, limit: 50, offset: 0 }),
      loader.load({ unitId: area.province, area: true, year, limit: 2, offset: 0 }),
      loader.load({ unitId: area.province, area: true, year, limit: 2, offset: 2 }),
      loader.load({ unitId: area.communeA, area: true, year: year - 5, limit: 50, offset: 0 }),
      loader.load({ unitId: area.communeA, area: false, year, limit: 50, offset: 0 }),
      loader.load({ unitId: area.communeB, area: false, year, limit: 50, offset: 0 }),
    ]);
    expect(b.rows.map((r) => r.nominationId)).toContain(nb.id);
    expect(a.rows.map((r) => r.nominationId)).toEqual(expect.arrayContaining(ns.map((n) => n.id)));
    expect(a.rows.every((r) => r.nomineeUnitId === area.communeA)).toBe(true);
    expect(firstPage.total).toBe(a.total + b.total);
    expect(firstPage.rows).toHaveLength(2);
    expect(secondPage.rows.map((r) => r.id)).not.toContain(firstPage.rows[0]!.id);
    expect(none).toEqual({ total: 0, rows: [] });
    // UNIT: the awards to the commune itself, not to those registered in it
    expect(own).toEqual({ total: 0, rows: [] });
    expect(ownB.total).toBe(1);
    expect(ownB.rows[0]).toMatchObject({ nominationId: nu.id, awardeeName: 'Xã Hữu Lũng', awardeeDetail: 'Tỉnh Lạng Sơn' });
    expect(b.rows.map((r) => r.nominationId)).toContain(nu.id);
  });
});
