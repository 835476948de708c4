import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuthContext, parseInput, rawQuery, ReplicaScope, type CloudEvent, type MikroORM, type RoleGrant } from '@xhht/infra';
import { awardsTestOrm, refusalOf, replicaUnit, transactAs } from '../../../../test/support/awards';
import {
  awardPaymentInput,
  closeFund,
  defineProgramme,
  donationInput,
  grantScholarship,
  openFund,
  payAward,
  readsRecipients,
  recordDonation,
  requireFundTotalsReader,
  requireMovementReader,
  reverseMovement,
  scholarshipInput,
  type MovementResult,
} from './fund.domain';
import { FUND_MOVEMENT_RECORDED } from './fund.events';
import { movementPageLoader, yearTotalsLoader, type FundRow } from './fund.repository';

/**
 * Study-promotion funds on the test stack's real PostgreSQL (a database of their own): movements
 * and their running balance, refusals that write nothing, withdrawals racing for one balance,
 * corrections, scholarship programmes, who may do what, and the staged events.
 */
describe('study-promotion funds', () => {
  let orm: MikroORM;
  const fork = () => orm.em.fork() as unknown as EntityManager;
  const admin = new AuthContext({ subject: 'admin', roles: [{ role: 'SYSTEM_ADMIN' }] });
  const as = (subject: string, ...roles: RoleGrant[]) => new AuthContext({ subject, roles });

  const run = transactAs(() => orm);

  const refusal = refusalOf;

  const unit = (kind: string, name: string, parentId: string | null) => replicaUnit(fork(), kind, name, parentId);
  const person = async (unitId: string) => {
    const id = randomUUID();
    await rawQuery(fork(), `insert into participant_replica (id, kind, unit_id, code, source_time) values (?, 'PERSON', ?, ?, now())`, [
      id,
      unitId,
      `CD-${id.slice(0, 8)}`,
    ]);
    return id;
  };

  /** The fund as stored, and what its movements say. */
  const state = async (fundId: string) => {
    const [f] = await rawQuery<{ balance: string; total_in: string; total_out: string; movement_count: number }[]>(
      fork(),
      'select balance, total_in, total_out, movement_count from study_promotion_fund where id = ?',
      [fundId],
    );
    const movements = await rawQuery<{ seq: number; direction: string; amount: string; balance_after: string }[]>(
      fork(),
      'select seq, direction, amount, balance_after from fund_movement where fund_id = ? order by seq',
      [fundId],
    );
    const [o] = await rawQuery<{ n: string }[]>(fork(), `select count(*) as n from outbox where event_type = ? and message_key = ?`, [
      FUND_MOVEMENT_RECORDED,
      fundId,
    ]);
    return {
      balance: Number(f!.balance),
      totalIn: Number(f!.total_in),
      totalOut: Number(f!.total_out),
      movementCount: f!.movement_count,
      movements: movements.map((m) => ({
        seq: m.seq,
        direction: m.direction,
        amount: Number(m.amount),
        balanceAfter: Number(m.balance_after),
      })),
      events: Number(o!.n),
    };
  };

  let province: string;
  let chiLang: string;
  let huuLung: string;
  let village: string;

  const open = (unitId: string, name: string, openedOn = '2025-01-01') =>
    run(admin, (em, auth, scope) => openFund(em, auth, scope, { unitId, name, openedOn }));
  const donate = (fundId: string, amount: number, receivedOn = '2026-03-02', auth = admin) =>
    run(auth, (em, a, scope) =>
      recordDonation(
        em,
        a,
        scope,
        parseInput(donationInput, { fundId, donorName: 'Công ty TNHH Hòa Bình', amount, receivedOn, receiptNumber: 'BL-01' }),
      ),
    );
  const scholarship = (fundId: string, amount: number, auth = admin, extra: Record<string, unknown> = {}) =>
    run(auth, (em, a, scope) =>
      grantScholarship(
        em,
        a,
        scope,
        parseInput(scholarshipInput, {
          fundId,
          recipientName: 'Nguyễn Thị Mai',
          programmeCode: 'HOC_KHONG_BAO_GIO_NGUNG',
          amount,
          grantedOn: '2026-09-05',
          decisionReference: '12/QĐ-HKH',
          ...extra,
        }),
      ),
    );

  beforeAll(async () => {
    orm = await awardsTestOrm('xhht_test_awards_funds');
    province = await unit('PROVINCE', 'Tỉnh Lạng Sơn', null);
    chiLang = await unit('COMMUNE', 'Xã Chi Lăng', province);
    huuLung = await unit('COMMUNE', 'Xã Hữu Lũng', province);
    village = await unit('VILLAGE', 'Thôn Bắc Lệ', chiLang);
  });
  afterAll(() => orm?.close(true));

  it('records donations, a scholarship and an award with the balance after each, the totals per year, and an event each (ids only)', async () => {
    const fund = await open(chiLang, 'Quỹ khuyến học xã Chi Lăng');
    expect(fund).toMatchObject({ unitId: chiLang, organizationId: null, status: 'OPEN', balance: 0, openedOn: '2025-01-01' });

    await donate(fund.id, 5_000_000, '2025-10-02');
    const d2 = await donate(fund.id, 3_000_000_000, '2026-03-02');
    expect(d2.movement).toMatchObject({ sequence: 2, kind: 'DONATION', direction: 'IN', balanceAfter: 3_005_000_000 });
    const pupil = await person(village);
    const s = await scholarship(fund.id, 2_000_000, admin, { recipientPersonId: pupil, recipientName: null });
    expect(s.movement).toMatchObject({
      sequence: 3,
      kind: 'SCHOLARSHIP',
      direction: 'OUT',
      balanceAfter: 3_003_000_000,
      recipientPersonId: pupil,
    });
    const decision = randomUUID();
    const a = await run(admin, (em, auth, scope) =>
      payAward(
        em,
        auth,
        scope,
        parseInput(awardPaymentInput, {
          fundId: fund.id,
          recipientName: 'Dòng họ Hoàng',
          amount: 1_500_000,
          awardDecisionId: decision,
          paidOn: '2026-10-02',
        }),
      ),
    );
    expect(a.fund).toMatchObject({ balance: 3_001_500_000, totalIn: 3_005_000_000, totalOut: 3_500_000, movementCount: 4 });

    const st = await state(fund.id);
    expect(st).toMatchObject({ balance: 3_001_500_000, totalIn: 3_005_000_000, totalOut: 3_500_000, movementCount: 4, events: 4 });
    expect(st.movements.map((m) => m.balanceAfter)).toEqual([5_000_000, 3_005_000_000, 3_003_000_000, 3_001_500_000]);

    const em = fork();
    const totals = yearTotalsLoader(em);
    const [y2025, y2026, y2024] = await Promise.all([2025, 2026, 2024].map((y) => totals.load(`${fund.id}|${y}`)));
    expect(y2025).toMatchObject({ year: 2025, totalIn: 5_000_000, totalOut: 0, net: 5_000_000 });
    expect(y2026).toMatchObject({ year: 2026, totalIn: 3_000_000_000, totalOut: 3_500_000, net: 2_996_500_000 });
    expect(y2026!.byKind).toEqual([
      { kind: 'DONATION', amountIn: 3_000_000_000, amountOut: 0, count: 1 },
      { kind: 'SCHOLARSHIP', amountIn: 0, amountOut: 2_000_000, count: 1 },
      { kind: 'AWARD', amountIn: 0, amountOut: 1_500_000, count: 1 },
      { kind: 'CORRECTION', amountIn: 0, amountOut: 0, count: 0 },
    ]);
    expect(y2024).toMatchObject({ totalIn: 0, totalOut: 0, net: 0 });

    const [award] = await rawQuery<{ payload: CloudEvent<Record<string, unknown>> }[]>(
      fork(),
      `select payload from outbox where event_type = ? and payload->'data'->>'movementId' = ?`,
      [FUND_MOVEMENT_RECORDED, a.movement.id],
    );
    expect(award!.payload.subject).toBe(fund.id);
    expect(award!.payload.data).toMatchObject({
      kind: 'AWARD',
      direction: 'OUT',
      amount: 1_500_000,
      balanceAfter: 3_001_500_000,
      awardDecisionId: decision,
      sequence: 4,
    });
    // no names travel: neither the recipient's nor the donor's
    const all = await rawQuery<{ payload: unknown }[]>(fork(), `select payload from outbox where message_key = ?`, [fund.id]);
    const text = JSON.stringify(all);
    expect(text).not.toMatch(/Nguyễn Thị Mai|Dòng họ Hoàng|Hòa Bình|BL-01/);
  });

  it('refuses a withdrawal the balance does not cover with INSUFFICIENT_FUNDS, writing nothing', async () => {
    const fund = await open(huuLung, 'Quỹ khuyến học xã Hữu Lũng');
    await donate(fund.id, 1_000_000);
    const before = await state(fund.id);
    expect(await refusal(scholarship(fund.id, 1_000_001))).toEqual({
      code: 'CONFLICT',
      messageKey: 'INSUFFICIENT_FUNDS',
      field: ['input', 'amount'],
    });
    expect(
      await refusal(
        run(admin, (em, auth, scope) =>
          payAward(
            em,
            auth,
            scope,
            parseInput(awardPaymentInput, { fundId: fund.id, recipientName: 'Lớp 9A', amount: 2_000_000, awardDecisionId: randomUUID() }),
          ),
        ),
      ),
    ).toMatchObject({ code: 'CONFLICT', messageKey: 'INSUFFICIENT_FUNDS' });
    expect(await state(fund.id)).toEqual(before);
    // the whole balance may go
    await scholarship(fund.id, 1_000_000);
    expect((await state(fund.id)).balance).toBe(0);
  });

  it('the database itself refuses a negative balance', async () => {
    const fund = await open(await unit('COMMUNE', 'Xã Bằng Mạc', province), 'Quỹ khuyến học xã Bằng Mạc');
    await expect(
      rawQuery(fork(), 'update study_promotion_fund set balance = balance - 1, total_out = total_out + 1 where id = ?', [fund.id]),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('withdrawals racing for one balance: exactly as many succeed as it covers, and it never goes below zero', async () => {
    const fund = await open(await unit('COMMUNE', 'Xã Vân Nham', province), 'Quỹ khuyến học xã Vân Nham');
    await donate(fund.id, 1_000_000);

    const pair = await Promise.allSettled([scholarship(fund.id, 600_000), scholarship(fund.id, 700_000)]);
    expect(pair.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = pair.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'INSUFFICIENT_FUNDS' });
    const won = (pair.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<MovementResult>).value;
    expect((await state(fund.id)).balance).toBe(1_000_000 - won.movement.amount);

    // ten more racing for what is left, 100,000 each: the balance covers exactly that many
    const left = (await state(fund.id)).balance;
    const many = await Promise.allSettled(Array.from({ length: 10 }, () => scholarship(fund.id, 100_000)));
    expect(many.filter((r) => r.status === 'fulfilled')).toHaveLength(left / 100_000);
    for (const r of many.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(r.reason.extensions?.messageKey).toBe('INSUFFICIENT_FUNDS');
    }
    const st = await state(fund.id);
    expect(st.balance).toBe(0);
    // every balance after is the one before it moved by the amount, never below zero, one event each
    let running = 0;
    for (const m of st.movements) {
      running += m.direction === 'IN' ? m.amount : -m.amount;
      expect(m.balanceAfter).toBe(running);
      expect(m.balanceAfter).toBeGreaterThanOrEqual(0);
    }
    expect(st.movements.map((m) => m.seq)).toEqual(st.movements.map((_, i) => i + 1));
    expect(st.events).toBe(st.movements.length);
  });

  it('reverses a movement with a correction the opposite way, once; a correction is not reversed; a spent donation is not', async () => {
    const fund = await open(await unit('COMMUNE', 'Xã Tân Thành', province), 'Quỹ khuyến học xã Tân Thành');
    const donation = await donate(fund.id, 2_000_000);
    const s = await scholarship(fund.id, 500_000);
    const reverse = (movementId: string, reason = 'Ghi nhầm người nhận') =>
      run(admin, (em, auth, scope) => reverseMovement(em, auth, scope, { movementId, reason, reversedOn: '2026-09-06' }));

    const c = await reverse(s.movement.id);
    expect(c.movement).toMatchObject({
      kind: 'CORRECTION',
      direction: 'IN',
      amount: 500_000,
      balanceAfter: 2_000_000,
      reversesId: s.movement.id,
    });
    expect(c.fund).toMatchObject({ balance: 2_000_000, totalIn: 2_500_000, totalOut: 500_000 });
    expect(await refusal(reverse(s.movement.id))).toMatchObject({ code: 'CONFLICT', messageKey: 'ALREADY_REVERSED' });
    expect(await refusal(reverse(c.movement.id))).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'CANNOT_REVERSE_CORRECTION' });
    // the original stays as recorded
    const [orig] = await rawQuery<{ amount: string; kind: string }[]>(fork(), 'select amount, kind from fund_movement where id = ?', [
      s.movement.id,
    ]);
    expect({ amount: Number(orig!.amount), kind: orig!.kind }).toEqual({ amount: 500_000, kind: 'SCHOLARSHIP' });

    await scholarship(fund.id, 1_500_000);
    const before = await state(fund.id);
    expect(await refusal(reverse(donation.movement.id, 'Nhà tài trợ rút lại'))).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'INSUFFICIENT_FUNDS',
    });
    expect(await state(fund.id)).toEqual(before);
    expect(await refusal(reverse(randomUUID()))).toMatchObject({ code: 'NOT_FOUND', messageKey: 'MOVEMENT_NOT_FOUND' });
  });

  it('refuses bad amounts and missing parties with BAD_USER_INPUT naming the field', async () => {
    const fundId = randomUUID();
    for (const amount of [0, -50_000, 1.5]) {
      expect(() => parseInput(donationInput, { fundId, donorName: 'Ông Lý Văn Hòa', amount })).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['input', 'amount'] }) }),
      );
    }
    expect(() => parseInput(donationInput, { fundId, amount: 100_000 })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ field: ['input', 'donorName'] }) }),
    );
    expect(() => parseInput(scholarshipInput, { fundId, programmeCode: 'HOC_KHONG_BAO_GIO_NGUNG', amount: 100_000 })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ field: ['input', 'recipientName'] }) }),
    );
    const fund = await open(await unit('COMMUNE', 'Xã Hòa Bình', province), 'Quỹ khuyến học xã Hòa Bình', '2026-01-01');
    expect(await refusal(donate(fund.id, 100_000, '2025-12-31'))).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'BEFORE_FUND_OPENED',
    });
    expect(await refusal(donate(fund.id, 100_000, '2099-01-01'))).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'DATE_IN_FUTURE' });
    expect(await refusal(scholarship(fund.id, 1, admin, { recipientPersonId: randomUUID() }))).toMatchObject({
      code: 'NOT_FOUND',
      messageKey: 'PERSON_NOT_FOUND',
    });
    expect(await refusal(open(chiLang, 'Quỹ thứ hai'))).toMatchObject({ code: 'CONFLICT', messageKey: 'FUND_EXISTS' });
    expect(await refusal(open(randomUUID(), 'Quỹ không có đơn vị'))).toMatchObject({ code: 'NOT_FOUND', messageKey: 'UNIT_NOT_FOUND' });
    expect((await state(fund.id)).movementCount).toBe(0);
  });

  it('keepers in scope record movements; others are refused; recipients are read by keepers only; partners read totals', async () => {
    const commune = await unit('COMMUNE', 'Xã Nhân Lý', province);
    const fund = await open(commune, 'Quỹ khuyến học xã Nhân Lý');
    const association = as('hoi-khuyen-hoc-nhan-ly', { role: 'ASSOCIATION_OFFICER', unitId: commune });
    const emulation = as('thi-dua-lang-son', { role: 'EMULATION_OFFICER', unitId: province });
    const otherCommune = as('hoi-khuyen-hoc-chi-lang', { role: 'ASSOCIATION_OFFICER', unitId: chiLang });
    const steering = as('ban-chi-dao-lang-son', { role: 'STEERING_COMMITTEE', unitId: province });
    const partner = as('doi-tac', { role: 'PARTNER' });
    const citizen = as('cong-dan', { role: 'CITIZEN', personId: randomUUID() });

    await donate(fund.id, 800_000, '2026-03-02', association);
    await scholarship(fund.id, 300_000, emulation);
    for (const who of [otherCommune, steering, partner, citizen]) {
      expect(await refusal(donate(fund.id, 1_000, '2026-03-02', who))).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    }
    expect((await state(fund.id)).movementCount).toBe(2);

    const scope = new ReplicaScope(fork());
    await expect(requireFundTotalsReader(partner, scope, [commune])).resolves.toBeUndefined();
    await expect(requireFundTotalsReader(steering, scope, [commune])).resolves.toBeUndefined();
    expect(await refusal(requireFundTotalsReader(otherCommune, scope, [commune]))).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'OUTSIDE_SCOPE',
    });
    expect(await refusal(requireFundTotalsReader(citizen, scope, [commune]))).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'OUTSIDE_SCOPE',
    });
    await expect(requireMovementReader(steering, scope, commune)).resolves.toBeUndefined();
    expect(await refusal(requireMovementReader(partner, scope, commune))).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    expect(await readsRecipients(association, scope, commune)).toBe(true);
    expect(await readsRecipients(emulation, scope, commune)).toBe(true);
    expect(await readsRecipients(steering, scope, commune)).toBe(false);
    expect(await readsRecipients(otherCommune, scope, commune)).toBe(false);
  });

  it('scholarship programmes: a province or commune defines its own; a fund pays the national ones and those of its unit or above', async () => {
    const officer = as('hoi-khuyen-hoc-lang-son', { role: 'ASSOCIATION_OFFICER', unitId: province });
    const define = (code: string, unitId: string, auth = officer) =>
      run(auth, (em, a, scope) =>
        defineProgramme(em, a, scope, { code, name: `Học bổng ${code}`, criteria: 'Học sinh nghèo vượt khó', unitId }),
      );
    const code = `HB_CHI_LANG_${Date.now()}`;
    expect(await define(code, chiLang)).toMatchObject({ code, unitId: chiLang });
    expect(await refusal(define(code, chiLang))).toMatchObject({ code: 'CONFLICT', messageKey: 'PROGRAMME_EXISTS' });
    expect(await refusal(define(`HB_THON_${Date.now()}`, village))).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'PROGRAMME_UNIT_KIND',
    });
    expect(await refusal(define(`HB_X_${Date.now()}`, province, as('x', { role: 'ASSOCIATION_OFFICER', unitId: huuLung })))).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'OUTSIDE_SCOPE',
    });

    const [chiLangFund] = await rawQuery<FundRow[]>(
      fork(),
      'select id from study_promotion_fund where unit_id = ? and organization_id is null',
      [chiLang],
    );
    const [huuLungFund] = await rawQuery<FundRow[]>(
      fork(),
      'select id from study_promotion_fund where unit_id = ? and organization_id is null',
      [huuLung],
    );
    await donate(huuLungFund!.id, 100_000);
    const paid = await scholarship(chiLangFund!.id, 100_000, admin, { programmeCode: code });
    expect(paid.movement.programmeCode).toBe(code);
    expect(await refusal(scholarship(huuLungFund!.id, 100_000, admin, { programmeCode: code }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'PROGRAMME_NOT_AVAILABLE',
    });
    expect(await refusal(scholarship(huuLungFund!.id, 100_000, admin, { programmeCode: 'KHONG_CO' }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('closes only an empty fund, and a closed fund takes no movement', async () => {
    const fund = await open(await unit('COMMUNE', 'Xã Quan Sơn', province), 'Quỹ khuyến học xã Quan Sơn');
    await donate(fund.id, 10_000);
    const close = () => run(admin, (em, auth, scope) => closeFund(em, auth, scope, { fundId: fund.id, closedOn: '2026-09-30' }));
    expect(await refusal(close())).toMatchObject({ code: 'CONFLICT', messageKey: 'FUND_NOT_EMPTY' });
    await scholarship(fund.id, 10_000);
    expect(await close()).toMatchObject({ status: 'CLOSED', closedOn: '2026-09-30' });
    expect(await refusal(donate(fund.id, 10_000))).toMatchObject({ code: 'CONFLICT', messageKey: 'FUND_CLOSED' });
  });

  it('pages of movements for many funds come from one statement per set of arguments, filtered by kind and days', async () => {
    const a = await open(await unit('COMMUNE', 'Xã Bắc Sơn', province), 'Quỹ khuyến học xã Bắc Sơn');
    const b = await open(await unit('COMMUNE', 'Xã Bình Gia', province), 'Quỹ khuyến học xã Bình Gia');
    for (const [day, amount] of [
      ['2025-05-01', 100_000],
      ['2026-02-01', 200_000],
      ['2026-06-01', 300_000],
    ] as const) {
      await donate(a.id, amount, day);
    }
    await scholarship(a.id, 50_000);
    await donate(b.id, 70_000, '2026-01-10');

    const em = fork();
    let statements = 0;
    const knex = em.getConnection().getKnex();
    const count = () => void statements++;
    knex.on('query', count);
    const pages = movementPageLoader(em);
    const key = (id: string, args: Record<string, unknown>) =>
      `${id}|${JSON.stringify({ first: 2, after: null, kind: null, from: null, to: null, ...args })}`;
    const [pa, pb] = await Promise.all([pages.load(key(a.id, {})), pages.load(key(b.id, {}))]);
    knex.off('query', count);
    expect(statements).toBe(1);
    expect(pa).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    expect(pa!.edges.map((e) => [e.node.sequence, e.node.kind])).toEqual([
      [4, 'SCHOLARSHIP'],
      [3, 'DONATION'],
    ]);
    expect(pb).toMatchObject({ totalCount: 1, pageInfo: { hasNextPage: false } });

    const next = await movementPageLoader(fork()).load(key(a.id, { after: pa!.pageInfo.endCursor }));
    expect(next.edges.map((e) => e.node.sequence)).toEqual([2, 1]);
    const in2026 = await movementPageLoader(fork()).load(key(a.id, { first: 10, kind: 'DONATION', from: '2026-01-01', to: '2026-12-31' }));
    expect(in2026.edges.map((e) => e.node.amount)).toEqual([300_000, 200_000]);
    expect(in2026.totalCount).toBe(2);
  });
});
