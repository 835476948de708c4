import type { KafkaMessage } from 'kafkajs';
import { collectTopic, createProvince, createUnit, eventually, gql, sql, tokenFor, uniqueCode } from '../support/stack';

const PLAN_FIELDS = `id number issuedOn title startYear endYear issuingUnit { id name } parentPlan { id number }
  phases { number startYear endYear reviewYear reviewKind reviewName }`;
const CREATE_PLAN = `mutation C($input: CreatePlanInput!) { createPlan(input: $input) { plan { ${PLAN_FIELDS} } } }`;
const SET_TARGET = `mutation S($input: SetTargetInput!) {
  setTarget(input: $input) { target { id indicator indicatorName year percentage unit { id } plan { id } } }
}`;
const EFFECTIVE = `query E($unitId: ID!, $year: Int!) {
  effectiveTargets(unitId: $unitId, year: $year) {
    indicator indicatorName year percentage fromParentPlan fromAncestorUnit plan { id number } scopeUnit { id }
  }
}`;

interface Event {
  type: string;
  subject: string;
  data: { planId: string; indicator: string; unitId: string; year: number; percentage: number; previousPercentage: number | null };
}
const parsed = (m: KafkaMessage) => JSON.parse(m.value!.toString()) as Event;

const counts = async () =>
  (
    await sql<{ plans: number; targets: number }>(
      'reporting',
      'select (select count(*)::int from reporting_plan) as plans, (select count(*)::int from reporting_plan_target) as targets',
    )
  )[0]!;

const inReplica = (unitId: string) =>
  eventually(
    async () =>
      (await sql('reporting', 'select 1 from admin_unit_version_replica where unit_id = $1', [unitId])).length ? true : undefined,
    30000,
    `unit ${unitId} in reporting's replica`,
  );

describe('plans and targets, through the gateway', () => {
  it('a province plan with the Lạng Sơn targets, a commune plan overriding one, events, refusals', async () => {
    const events = await collectTopic('xhht.reporting.events');
    try {
      const { province } = await createProvince('Việt Nam (kế hoạch)');
      const commune = await createUnit({
        code: uniqueCode(),
        name: 'Xã Hữu Lũng',
        kind: 'COMMUNE',
        parentId: province.id,
        validFrom: '2025-07-01',
      });
      const { province: other } = await createProvince('Việt Nam (kế hoạch, tỉnh khác)', 'Tỉnh Cao Bằng');
      for (const u of [province.id, commune.id, other.id]) await inReplica(u);

      const provinceOfficer = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: province.id }]);
      const communeOfficer = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: commune.id }]);
      const otherOfficer = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: other.id }]);

      // the province plan, with the movement's default period and phases
      const created = await gql(
        CREATE_PLAN,
        {
          input: {
            number: '110/KH-UBND',
            issuedOn: '2023-03-15',
            issuingUnitId: province.id,
            title: 'Xây dựng xã hội học tập tỉnh Lạng Sơn',
          },
        },
        { token: provinceOfficer },
      );
      expect(created.errors).toBeUndefined();
      const plan = created.data!.createPlan.plan;
      expect(plan).toMatchObject({
        number: '110/KH-UBND',
        issuedOn: '2023-03-15',
        startYear: 2023,
        endYear: 2030,
        issuingUnit: { id: province.id, name: 'Tỉnh Lạng Sơn' },
        parentPlan: null,
        phases: [
          { number: 1, startYear: 2023, endYear: 2025, reviewYear: 2025, reviewKind: 'INTERIM', reviewName: 'Sơ kết' },
          { number: 2, startYear: 2026, endYear: 2030, reviewYear: 2030, reviewKind: 'FINAL', reviewName: 'Tổng kết' },
        ],
      });

      const set = async (planId: string, indicator: string, unitId: string, year: number, percentage: number, token = provinceOfficer) => {
        const res = await gql(SET_TARGET, { input: { planId, indicator, unitId, year, percentage } }, { token });
        expect(res.errors).toBeUndefined();
        return res.data!.setTarget.target;
      };
      const lạngSơn: [string, number, number][] = [
        ['LEARNING_FAMILY_RATE', 70, 80],
        ['LEARNING_CLAN_RATE', 65, 75],
        ['LEARNING_COMMUNITY_RATE', 65, 75],
        ['LEARNING_UNIT_RATE', 80, 90],
      ];
      for (const [indicator, y2025, y2030] of lạngSơn) {
        await set(plan.id, indicator, province.id, 2025, y2025);
        await set(plan.id, indicator, province.id, 2030, y2030);
      }
      // setting again replaces, it does not add
      const again = await set(plan.id, 'LEARNING_UNIT_RATE', province.id, 2030, 90);
      expect(again).toMatchObject({ indicator: 'LEARNING_UNIT_RATE', year: 2030, percentage: 90, unit: { id: province.id } });
      expect((await sql('reporting', 'select 1 from reporting_plan_target where plan_id = $1', [plan.id])).length).toBe(8);

      // the commune plan under it overrides the family rate for 2025 and inherits the rest
      const communePlanRes = await gql(
        CREATE_PLAN,
        { input: { number: '25/KH-UBND', issuedOn: '2023-05-10', issuingUnitId: commune.id, parentPlanId: plan.id } },
        { token: communeOfficer },
      );
      expect(communePlanRes.errors).toBeUndefined();
      const communePlan = communePlanRes.data!.createPlan.plan;
      expect(communePlan.parentPlan).toEqual({ id: plan.id, number: '110/KH-UBND' });
      const own = await set(communePlan.id, 'LEARNING_FAMILY_RATE', commune.id, 2025, 62.5, communeOfficer);
      expect(own.indicatorName).toBe('Tỷ lệ hộ gia đình đạt danh hiệu Gia đình học tập');

      const effective = async (unitId: string, year: number) => {
        const res = await gql(EFFECTIVE, { unitId, year }, { token: communeOfficer });
        expect(res.errors).toBeUndefined();
        return res.data!.effectiveTargets as {
          indicator: string;
          percentage: number;
          fromParentPlan: boolean;
          fromAncestorUnit: boolean;
          plan: { id: string };
          scopeUnit: { id: string };
        }[];
      };
      const c2025 = await effective(commune.id, 2025);
      expect(c2025.map((t) => [t.indicator, t.percentage, t.plan.id, t.scopeUnit.id, t.fromParentPlan, t.fromAncestorUnit])).toEqual([
        ['LEARNING_FAMILY_RATE', 62.5, communePlan.id, commune.id, false, false],
        ['LEARNING_CLAN_RATE', 65, plan.id, province.id, true, true],
        ['LEARNING_COMMUNITY_RATE', 65, plan.id, province.id, true, true],
        ['LEARNING_UNIT_RATE', 80, plan.id, province.id, true, true],
      ]);
      expect((await effective(commune.id, 2030)).map((t) => [t.indicator, t.percentage, t.fromParentPlan])).toEqual([
        ['LEARNING_FAMILY_RATE', 80, true],
        ['LEARNING_CLAN_RATE', 75, true],
        ['LEARNING_COMMUNITY_RATE', 75, true],
        ['LEARNING_UNIT_RATE', 90, true],
      ]);
      expect((await effective(province.id, 2025)).map((t) => [t.indicator, t.percentage, t.fromParentPlan, t.fromAncestorUnit])).toEqual([
        ['LEARNING_FAMILY_RATE', 70, false, false],
        ['LEARNING_CLAN_RATE', 65, false, false],
        ['LEARNING_COMMUNITY_RATE', 65, false, false],
        ['LEARNING_UNIT_RATE', 80, false, false],
      ]);
      expect(await effective(other.id, 2025)).toEqual([]);

      const list = await gql(
        `query P($u: ID) { plans(unitId: $u, first: 10) { totalCount edges { node { id number } } } }`,
        { u: province.id },
        { token: otherOfficer },
      );
      expect(list.errors).toBeUndefined();
      expect(list.data!.plans).toEqual({ totalCount: 1, edges: [{ node: { id: plan.id, number: '110/KH-UBND' } }] });
      const one = await gql(
        `query P($id: ID!) { plan(id: $id) { number targets(year: 2030) { indicator percentage } } }`,
        { id: plan.id },
        { token: otherOfficer },
      );
      expect(one.data!.plan.targets).toHaveLength(4);

      // target.set events on the reporting topic, one per write
      const planIds = new Set([plan.id, communePlan.id]);
      const ours = await eventually(
        async () => {
          const got = events.messages.map(parsed).filter((e) => e.type === 'vn.xhht.reporting.target.set.v1' && planIds.has(e.data.planId));
          return got.length >= 10 ? got : undefined;
        },
        30000,
        'target.set events',
      );
      expect(ours).toHaveLength(10);
      expect(ours.find((e) => e.data.planId === communePlan.id)?.data).toMatchObject({
        indicator: 'LEARNING_FAMILY_RATE',
        unitId: commune.id,
        year: 2025,
        percentage: 62.5,
        previousPercentage: null,
      });
      expect(
        ours.filter((e) => e.data.indicator === 'LEARNING_UNIT_RATE' && e.data.year === 2030).map((e) => e.data.previousPercentage),
      ).toEqual([null, 90]);

      // refusals write nothing
      const before = await counts();
      const refused = async (query: string, input: Record<string, unknown>, token: string) => {
        const res = await gql(query, { input }, { token });
        expect(res.data).toBeNull();
        return res.errors![0]!;
      };
      expect(
        (
          await refused(
            SET_TARGET,
            { planId: plan.id, indicator: 'LEARNING_CLAN_RATE', unitId: province.id, year: 2025, percentage: 120 },
            provinceOfficer,
          )
        ).extensions,
      ).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: ['input', 'percentage'],
      });
      const yearOut = await refused(
        SET_TARGET,
        { planId: plan.id, indicator: 'LEARNING_CLAN_RATE', unitId: province.id, year: 2031, percentage: 50 },
        provinceOfficer,
      );
      expect(yearOut.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'year'] });
      expect(yearOut.message).toMatch(/ngoài thời kỳ/);
      expect(
        (
          await refused(
            SET_TARGET,
            { planId: plan.id, indicator: 'LEARNING_CLAN_RATE', unitId: other.id, year: 2025, percentage: 50 },
            provinceOfficer,
          )
        ).extensions,
      ).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: ['input', 'unitId'],
      });
      const dup = await refused(
        CREATE_PLAN,
        { number: '110/KH-UBND', issuedOn: '2024-01-01', issuingUnitId: province.id },
        provinceOfficer,
      );
      expect(dup.extensions).toMatchObject({ code: 'CONFLICT', field: ['input', 'number'] });
      expect(dup.message).toMatch(/110\/KH-UBND/);
      expect(
        (
          await refused(
            CREATE_PLAN,
            { number: '1/KH', issuedOn: '2024-01-01', issuingUnitId: other.id, parentPlanId: plan.id },
            otherOfficer,
          )
        ).extensions,
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'parentPlanId'], messageKey: 'PARENT_PLAN_UNIT' });
      expect(
        (
          await refused(
            CREATE_PLAN,
            { number: '2/KH', issuedOn: '2024-01-01', issuingUnitId: commune.id, parentPlanId: plan.id, startYear: 2023, endYear: 2031 },
            communeOfficer,
          )
        ).extensions,
      ).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'PARENT_PLAN_PERIOD' });
      expect(
        (
          await refused(
            CREATE_PLAN,
            { number: '3/KH', issuedOn: '2024-01-01', issuingUnitId: commune.id, phases: [{ startYear: 2023, endYear: 2026 }] },
            communeOfficer,
          )
        ).extensions,
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'phases', '0', 'endYear'] });
      // out of scope: a commune officer on the province plan, another province's officer on this one
      expect(
        (
          await refused(
            SET_TARGET,
            { planId: plan.id, indicator: 'LEARNING_CLAN_RATE', unitId: commune.id, year: 2025, percentage: 50 },
            communeOfficer,
          )
        ).extensions,
      ).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(
        (await refused(CREATE_PLAN, { number: '4/KH', issuedOn: '2024-01-01', issuingUnitId: province.id }, otherOfficer)).extensions,
      ).toMatchObject({ code: 'FORBIDDEN' });
      const association = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: province.id }]);
      expect(
        (await refused(CREATE_PLAN, { number: '5/KH', issuedOn: '2024-01-01', issuingUnitId: province.id }, association)).extensions,
      ).toMatchObject({ code: 'FORBIDDEN' });
      expect(await counts()).toEqual(before);
      expect(
        events.messages.map(parsed).filter((e) => e.type === 'vn.xhht.reporting.target.set.v1' && planIds.has(e.data.planId)),
      ).toHaveLength(10);
    } finally {
      await events.stop();
    }
  });
});
