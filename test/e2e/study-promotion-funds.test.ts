import type { KafkaMessage } from 'kafkajs';
import { collectTopic, createProvince, createUnit, eventually, gql, sql, tokenFor, uniqueCode } from '../support/stack';
import { replicated } from '../support/recognition';

/**
 * Study-promotion funds (quỹ khuyến học) through the gateway: a commune's Association officer opens
 * the commune's fund and records donations; the province's emulation officer grants a "Học không
 * bao giờ ngừng" scholarship; an award payment the balance does not cover is refused with
 * INSUFFICIENT_FUNDS and changes nothing; a scholarship is reversed; the year's totals add up;
 * another commune's officer, a bad amount and a partner reading movements are refused; recipients'
 * names reach keepers only; each movement reaches xhht.awards.events without names.
 */

const TOPIC = 'xhht.awards.events';
const RECORDED = 'vn.xhht.awards.fund-movement.recorded.v1';

const FUND_FIELDS = `id name openedOn status statusName balance totalIn totalOut movementCount unit { id name } organizationId`;
const MOVEMENT_FIELDS = `id sequence kind kindName direction amount balanceAfter occurredOn donorName receiptNumber recipientPersonId
  recipientName programme { code name } decisionReference awardDecisionId reason recordedBy reverses { id } reversedBy { id }`;
const OPEN = `mutation O($input: OpenStudyPromotionFundInput!) { openStudyPromotionFund(input: $input) { fund { ${FUND_FIELDS} } } }`;
const DONATE = `mutation D($input: RecordFundDonationInput!) {
  recordFundDonation(input: $input) { movement { ${MOVEMENT_FIELDS} } fund { balance totalIn totalOut } }
}`;
const GRANT = `mutation G($input: GrantScholarshipInput!) {
  grantScholarship(input: $input) { movement { ${MOVEMENT_FIELDS} } fund { balance totalIn totalOut } }
}`;
const PAY = `mutation P($input: PayAwardInput!) { payAward(input: $input) { movement { ${MOVEMENT_FIELDS} } fund { balance } } }`;
const REVERSE = `mutation R($input: ReverseFundMovementInput!) {
  reverseFundMovement(input: $input) { movement { ${MOVEMENT_FIELDS} } fund { balance totalIn totalOut } }
}`;
const FUND = `query F($id: ID!, $year: Int!) {
  studyPromotionFund(id: $id) {
    ${FUND_FIELDS}
    yearTotals(year: $year) { year totalIn totalOut net byKind { kind kindName amountIn amountOut count } }
  }
}`;
const MOVEMENTS = `query M($id: ID!, $kind: FundMovementKind, $first: Int, $after: String, $from: Date, $to: Date) {
  studyPromotionFund(id: $id) {
    movements(kind: $kind, first: $first, after: $after, from: $from, to: $to) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { ${MOVEMENT_FIELDS} } }
    }
  }
}`;
const UNIT_FUND = `query U($id: ID!) { adminUnit(id: $id) { name studyPromotionFund { id name balance } } }`;
const FUNDS = `query L($unitIds: [ID!]!) { studyPromotionFunds(unitIds: $unitIds) { id name balance unit { name } } }`;
const PROGRAMMES = `query { scholarshipProgrammes { code name criteria unit { id } } }`;

interface MovementEvent {
  type: string;
  subject: string;
  data: {
    movementId: string;
    fundId: string;
    unitId: string;
    kind: string;
    direction: string;
    amount: number;
    balanceAfter: number;
    sequence: number;
  };
}

/** Every fund table's rows of the fund, to show a refusal wrote nothing. */
const snapshot = async (fundId: string) =>
  sql(
    'awards',
    `select (select row_to_json(f) from study_promotion_fund f where f.id = $1) as fund,
       (select count(*)::int from fund_movement where fund_id = $1) as movements,
       (select count(*)::int from outbox where message_key = $1::text) as events`,
    [fundId],
  );

const ok = async (query: string, input: Record<string, unknown>, token: string) => {
  const res = await gql(query, { input }, { token });
  expect(res.errors).toBeUndefined();
  return Object.values(res.data!)[0] as Record<string, any>;
};
const refused = async (query: string, variables: Record<string, unknown>, token: string) => {
  const res = await gql(query, variables, { token });
  expect(res.errors).toBeDefined();
  return res.errors![0]!;
};

let events: { messages: KafkaMessage[]; stop: () => Promise<void> };

beforeAll(async () => {
  events = await collectTopic(TOPIC);
});
afterAll(async () => {
  await events?.stop();
});

describe('study-promotion funds, through the gateway', () => {
  it('a commune fund: donations, a scholarship, an overdraw refused, a reversal, totals per year, refusals, events', async () => {
    const { province } = await createProvince('Việt Nam (quỹ khuyến học)', 'Tỉnh Lạng Sơn');
    const commune = (name: string) =>
      createUnit({ code: uniqueCode(), name, kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
    const chiLang = await commune('Xã Chi Lăng');
    const huuLung = await commune('Xã Hữu Lũng');
    await replicated('admin_unit_version_replica', [province.id, chiLang.id, huuLung.id], 'awards');

    const association = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: chiLang.id }], 'hoi-khuyen-hoc-chi-lang');
    const emulation = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: province.id }], 'thi-dua-lang-son');
    const otherCommune = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: huuLung.id }], 'hoi-khuyen-hoc-huu-lung');
    const steering = await tokenFor([{ role: 'STEERING_COMMITTEE', unitId: province.id }], 'ban-chi-dao-lang-son');
    const partner = await tokenFor([{ role: 'PARTNER' }], 'hoi-khuyen-hoc-viet-nam');

    // the national programme is shipped
    const programmes = await gql(PROGRAMMES, {}, { token: association });
    expect(programmes.data!.scholarshipProgrammes).toContainEqual({
      code: 'HOC_KHONG_BAO_GIO_NGUNG',
      name: 'Học không bao giờ ngừng',
      criteria: expect.any(String),
      unit: null,
    });

    const fund = (await ok(OPEN, { unitId: chiLang.id, name: 'Quỹ khuyến học xã Chi Lăng', openedOn: '2025-01-01' }, association)).fund;
    expect(fund).toMatchObject({
      name: 'Quỹ khuyến học xã Chi Lăng',
      openedOn: '2025-01-01',
      status: 'OPEN',
      statusName: 'Đang hoạt động',
      balance: 0,
      totalIn: 0,
      totalOut: 0,
      movementCount: 0,
      unit: { id: chiLang.id, name: 'Xã Chi Lăng' },
      organizationId: null,
    });
    const again = await refused(OPEN, { input: { unitId: chiLang.id, name: 'Quỹ thứ hai' } }, association);
    expect(again.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'FUND_EXISTS' });

    // donations: one last year, one larger than GraphQL's Int
    const d1 = (
      await ok(
        DONATE,
        { fundId: fund.id, donorName: 'Ông Hoàng Văn Lâm', amount: 5_000_000, receivedOn: '2025-10-02', receiptNumber: 'BL-2025/01' },
        association,
      )
    ).movement;
    expect(d1).toMatchObject({
      sequence: 1,
      kind: 'DONATION',
      kindName: 'Tiền ủng hộ quỹ',
      direction: 'IN',
      amount: 5_000_000,
      balanceAfter: 5_000_000,
    });
    const d2 = await ok(
      DONATE,
      {
        fundId: fund.id,
        donorName: 'Công ty Cổ phần Xi măng Đồng Bành',
        amount: 3_000_000_000,
        receivedOn: '2026-03-02',
        receiptNumber: 'BL-2026/07',
      },
      association,
    );
    expect(d2.movement).toMatchObject({ sequence: 2, balanceAfter: 3_005_000_000, recordedBy: 'hoi-khuyen-hoc-chi-lang' });
    expect(d2.fund).toEqual({ balance: 3_005_000_000, totalIn: 3_005_000_000, totalOut: 0 });

    // the province's emulation officer grants the Association's scholarship
    const s = await ok(
      GRANT,
      {
        fundId: fund.id,
        recipientName: 'Lăng Thị Hoa',
        programmeCode: 'HOC_KHONG_BAO_GIO_NGUNG',
        amount: 2_000_000,
        grantedOn: '2026-09-05',
        decisionReference: '15/QĐ-HKH',
      },
      emulation,
    );
    expect(s.movement).toMatchObject({
      sequence: 3,
      kind: 'SCHOLARSHIP',
      direction: 'OUT',
      amount: 2_000_000,
      balanceAfter: 3_003_000_000,
      recipientName: 'Lăng Thị Hoa',
      programme: { code: 'HOC_KHONG_BAO_GIO_NGUNG', name: 'Học không bao giờ ngừng' },
      decisionReference: '15/QĐ-HKH',
    });

    // an award payment the balance does not cover: refused, nothing written
    let before = await snapshot(fund.id);
    const overdraw = await refused(
      PAY,
      {
        input: {
          fundId: fund.id,
          recipientName: 'Dòng họ Hoàng',
          amount: 3_003_000_001,
          awardDecisionId: '7d3b1c1e-58a6-4b0e-9a55-1c2d3e4f5a6b',
        },
      },
      emulation,
    );
    expect(overdraw.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'INSUFFICIENT_FUNDS', field: ['input', 'amount'] });
    expect(overdraw.message).toMatch(/Số dư quỹ không đủ/);
    expect(await snapshot(fund.id)).toEqual(before);
    expect((await gql(FUND, { id: fund.id, year: 2026 }, { token: association })).data!.studyPromotionFund.balance).toBe(3_003_000_000);

    // an award the balance covers
    const award = (
      await ok(
        PAY,
        {
          fundId: fund.id,
          recipientName: 'Dòng họ Hoàng',
          amount: 1_500_000,
          awardDecisionId: '7d3b1c1e-58a6-4b0e-9a55-1c2d3e4f5a6b',
          paidOn: '2026-10-02',
        },
        emulation,
      )
    ).movement;
    expect(award).toMatchObject({ kind: 'AWARD', balanceAfter: 3_001_500_000, awardDecisionId: '7d3b1c1e-58a6-4b0e-9a55-1c2d3e4f5a6b' });

    // the scholarship went to the wrong person: reversed, never edited
    const c = await ok(REVERSE, { movementId: s.movement.id, reason: 'Ghi nhầm người nhận', reversedOn: '2026-09-10' }, association);
    expect(c.movement).toMatchObject({
      sequence: 5,
      kind: 'CORRECTION',
      kindName: 'Bút toán điều chỉnh',
      direction: 'IN',
      amount: 2_000_000,
      balanceAfter: 3_003_500_000,
      reason: 'Ghi nhầm người nhận',
      reverses: { id: s.movement.id },
    });
    expect(c.fund).toEqual({ balance: 3_003_500_000, totalIn: 3_007_000_000, totalOut: 3_500_000 });
    const twice = await refused(REVERSE, { input: { movementId: s.movement.id, reason: 'Lần nữa' } }, association);
    expect(twice.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'ALREADY_REVERSED' });

    // totals per year, per kind
    const y2026 = (await gql(FUND, { id: fund.id, year: 2026 }, { token: steering })).data!.studyPromotionFund;
    expect(y2026).toMatchObject({ balance: 3_003_500_000, totalIn: 3_007_000_000, totalOut: 3_500_000, movementCount: 5 });
    expect(y2026.yearTotals).toEqual({
      year: 2026,
      totalIn: 3_002_000_000,
      totalOut: 3_500_000,
      net: 2_998_500_000,
      byKind: [
        { kind: 'DONATION', kindName: 'Tiền ủng hộ quỹ', amountIn: 3_000_000_000, amountOut: 0, count: 1 },
        { kind: 'SCHOLARSHIP', kindName: 'Chi học bổng', amountIn: 0, amountOut: 2_000_000, count: 1 },
        { kind: 'AWARD', kindName: 'Chi khen thưởng', amountIn: 0, amountOut: 1_500_000, count: 1 },
        { kind: 'CORRECTION', kindName: 'Bút toán điều chỉnh', amountIn: 2_000_000, amountOut: 0, count: 1 },
      ],
    });
    const y2025 = (await gql(FUND, { id: fund.id, year: 2025 }, { token: partner })).data!.studyPromotionFund.yearTotals;
    expect(y2025).toMatchObject({ year: 2025, totalIn: 5_000_000, totalOut: 0, net: 5_000_000 });

    // movements, latest first; recipients' names for keepers only
    const page = (await gql(MOVEMENTS, { id: fund.id, first: 2 }, { token: association })).data!.studyPromotionFund.movements;
    expect(page.totalCount).toBe(5);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.edges.map((e: { node: { sequence: number } }) => e.node.sequence)).toEqual([5, 4]);
    const rest = (await gql(MOVEMENTS, { id: fund.id, first: 10, after: page.pageInfo.endCursor }, { token: association })).data!
      .studyPromotionFund.movements;
    expect(rest.edges.map((e: { node: { sequence: number } }) => e.node.sequence)).toEqual([3, 2, 1]);
    expect(rest.edges[0].node).toMatchObject({ recipientName: 'Lăng Thị Hoa', reversedBy: { id: c.movement.id } });
    const scholarships = (await gql(MOVEMENTS, { id: fund.id, kind: 'SCHOLARSHIP' }, { token: steering })).data!.studyPromotionFund
      .movements;
    expect(scholarships.totalCount).toBe(1);
    expect(scholarships.edges[0].node).toMatchObject({ id: s.movement.id, recipientName: null, amount: 2_000_000 });
    const in2025 = (await gql(MOVEMENTS, { id: fund.id, from: '2025-01-01', to: '2025-12-31' }, { token: association })).data!
      .studyPromotionFund.movements;
    expect(in2025.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([d1.id]);
    const partnerMovements = await gql(MOVEMENTS, { id: fund.id }, { token: partner });
    expect(partnerMovements.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });

    // the unit's fund, on the unit; the funds of several units
    const onUnit = await gql(UNIT_FUND, { id: chiLang.id }, { token: emulation });
    expect(onUnit.errors).toBeUndefined();
    expect(onUnit.data!.adminUnit).toEqual({
      name: 'Xã Chi Lăng',
      studyPromotionFund: { id: fund.id, name: 'Quỹ khuyến học xã Chi Lăng', balance: 3_003_500_000 },
    });
    const huuLungFund = (await ok(OPEN, { unitId: huuLung.id, name: 'Quỹ khuyến học xã Hữu Lũng' }, otherCommune)).fund;
    const list = await gql(FUNDS, { unitIds: [chiLang.id, huuLung.id] }, { token: steering });
    expect(list.errors).toBeUndefined();
    expect(list.data!.studyPromotionFunds).toHaveLength(2);
    expect(list.data!.studyPromotionFunds.map((f: { id: string }) => f.id).sort()).toEqual([fund.id, huuLungFund.id].sort());

    // another commune's officer: refused writing and reading, nothing written
    before = await snapshot(fund.id);
    const outside = await refused(DONATE, { input: { fundId: fund.id, donorName: 'Bà Triệu Thị Lan', amount: 100_000 } }, otherCommune);
    expect(outside.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    const outsideRead = await refused(FUND, { id: fund.id, year: 2026 }, otherCommune);
    expect(outsideRead.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    const outsideList = await refused(FUNDS, { unitIds: [chiLang.id, huuLung.id] }, otherCommune);
    expect(outsideList.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    // the steering committee reads but does not record
    const steeringWrite = await refused(DONATE, { input: { fundId: fund.id, donorName: 'Ông Nông Văn Dũng', amount: 100_000 } }, steering);
    expect(steeringWrite.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });

    // bad amounts: refused naming the field, nothing written
    for (const amount of [0, -500_000, 1.5]) {
      const bad = await refused(DONATE, { input: { fundId: fund.id, donorName: 'Ông Hoàng Văn Lâm', amount } }, association);
      expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'amount'] });
    }
    const notNumber = await refused(
      GRANT,
      { input: { fundId: fund.id, recipientName: 'Lăng Thị Hoa', programmeCode: 'HOC_KHONG_BAO_GIO_NGUNG', amount: 'một triệu' } },
      association,
    );
    expect(notNumber.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await snapshot(fund.id)).toEqual(before);

    // every movement reached the awards topic, keyed by the fund, in order, without names
    const ours = () =>
      events.messages.filter((m) => m.key?.toString() === fund.id).map((m) => ({ m, e: JSON.parse(m.value!.toString()) as MovementEvent }));
    const got = await eventually(async () => (ours().length >= 5 ? ours() : undefined), 60000, 'fund movement events');
    expect(got).toHaveLength(5);
    for (const { m, e } of got) {
      expect(m.headers?.ce_type?.toString()).toBe(RECORDED);
      expect(e).toMatchObject({ type: RECORDED, subject: fund.id, data: { fundId: fund.id, unitId: chiLang.id } });
    }
    expect(got.map(({ e }) => [e.data.sequence, e.data.kind, e.data.direction, e.data.amount, e.data.balanceAfter])).toEqual([
      [1, 'DONATION', 'IN', 5_000_000, 5_000_000],
      [2, 'DONATION', 'IN', 3_000_000_000, 3_005_000_000],
      [3, 'SCHOLARSHIP', 'OUT', 2_000_000, 3_003_000_000],
      [4, 'AWARD', 'OUT', 1_500_000, 3_001_500_000],
      [5, 'CORRECTION', 'IN', 2_000_000, 3_003_500_000],
    ]);
    const text = got.map(({ m }) => m.value!.toString()).join('\n');
    expect(text).not.toMatch(/Lăng Thị Hoa|Dòng họ Hoàng|Hoàng Văn Lâm|Đồng Bành|BL-20/);
  });
});
