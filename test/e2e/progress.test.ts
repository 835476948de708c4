import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { recogniseHouseholds, replicated } from '../support/recognition';
import { collectTopic, createUnit, eventually, gql, kafka, sql, tokenFor, uniqueCode } from '../support/stack';

/**
 * Progress through the gateway, from real recognitions: a province with Lạng Sơn's 2025 and 2030
 * targets, two communes that merge on 2025-07-01, households recognised as Learning Families for 2024
 * by the old communes and for 2025 by the new one. Figures roll up (sums, never averages), merges are
 * honoured both ways, a redelivered event counts once, and callers outside the province are refused.
 */

const TOPIC = 'xhht.recognition.events';
const GRANTED = 'vn.xhht.recognition.recognition.granted.v1';
const REGISTER_HOUSEHOLD = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id } } }`;
const REVOKE = `mutation Revoke($input: RevokeRecognitionInput!) { revokeRecognition(input: $input) { recognition { id status } } }`;
const MERGE = `mutation Merge($input: MergeAdminUnitsInput!) { mergeAdminUnits(input: $input) { units { id } } }`;
const CREATE_PLAN = `mutation C($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }`;
const SET_TARGET = `mutation S($input: SetTargetInput!) { setTarget(input: $input) { target { id } } }`;
const PROGRESS = `query P($unitIds: [ID!]!, $year: Int!, $asOf: Date) {
  progress(unitIds: $unitIds, year: $year, asOf: $asOf) {
    unit { id name } year asOf
    indicators {
      indicator name numerator denominator rate target targetYear expected status statusName
      targetSource { plan { number } scopeUnit { id } }
      series { year numerator denominator rate target status }
    }
    occupationalGroups { occupationalGroup name numerator denominator rate }
    communeCommunity { communes recognised rate levels { level name communes } }
  }
}`;

interface Indicator {
  indicator: string;
  numerator: number;
  denominator: number;
  rate: number | null;
  target: number | null;
  targetYear: number | null;
  expected: number | null;
  status: string;
  statusName: string;
  targetSource: { plan: { number: string }; scopeUnit: { id: string } } | null;
  series: { year: number; numerator: number; denominator: number; rate: number | null; target: number | null; status: string }[];
}
interface Progress {
  unit: { id: string; name: string };
  year: number;
  asOf: string;
  indicators: Indicator[];
  communeCommunity: { communes: number; recognised: number };
}

let officer: string;
let province: { id: string };
let communeA: { id: string };
let communeB: { id: string };
let communeC: { id: string };
let households: string[];
let events: { messages: KafkaMessage[]; stop: () => Promise<void> };

async function household(unitId: string): Promise<string> {
  const res = await gql(REGISTER_HOUSEHOLD, { input: { unitId, code: uniqueCode(), headName: 'Hoàng Văn Lâm' } });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.registerHousehold.household.id as string;
}

/** Learning Families for `year`, decided by `unitId` on `date`. */
const recognise = (year: number, unitId: string, date: string, households: { id: string; unitId: string }[]) =>
  recogniseHouseholds({ year, decidingUnitId: unitId, date, number: `${year % 100}/QĐ-UBND`, households });

async function progress(unitIds: string[], year: number, asOf?: string, token = officer): Promise<Progress[]> {
  const res = await gql<{ progress: Progress[] }>(PROGRESS, { unitIds, year, asOf }, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.progress;
}
const family = (p: Progress) => p.indicators.find((i) => i.indicator === 'LEARNING_FAMILY_RATE')!;
const familyCounts = async (unitIds: string[], year: number, asOf?: string) =>
  (await progress(unitIds, year, asOf)).map((p) => [family(p).numerator, family(p).denominator]);

/** Recognitions reporting has recorded for these subjects and year. */
const factCount = async (subjects: string[], year: number) =>
  (
    await sql<{ n: number }>(
      'reporting',
      `select count(*)::int as n from recognition_fact where subject_id = any($1::uuid[]) and year = $2 and status = 'ACTIVE'`,
      [subjects, year],
    )
  )[0]!.n;

beforeAll(async () => {
  events = await collectTopic(TOPIC);
  const nation = await createUnit({ code: uniqueCode(), name: 'Việt Nam (tiến độ)', kind: 'NATION', validFrom: '2020-01-01' });
  province = await createUnit({
    code: uniqueCode(),
    name: 'Tỉnh Lạng Sơn',
    kind: 'PROVINCE',
    parentId: nation.id,
    validFrom: '2020-01-01',
  });
  const commune = (name: string) =>
    createUnit({ code: uniqueCode(), name, kind: 'COMMUNE', parentId: province.id, validFrom: '2020-01-01' });
  communeA = await commune('Xã Hoàng Đồng');
  communeB = await commune('Xã Mai Pha');
  households = [await household(communeA.id), await household(communeA.id), await household(communeB.id), await household(communeB.id)];
  await replicated('participant_replica', households);
  officer = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: province.id }]);

  // the province plan with Lạng Sơn's targets for 2025 and 2030
  const plan = await gql(
    CREATE_PLAN,
    { input: { number: '110/KH-UBND', issuedOn: '2023-03-15', issuingUnitId: province.id } },
    { token: officer },
  );
  if (plan.errors) throw new Error(JSON.stringify(plan.errors));
  const planId = plan.data!.createPlan.plan.id as string;
  const targets: [string, number, number][] = [
    ['LEARNING_FAMILY_RATE', 70, 80],
    ['LEARNING_CLAN_RATE', 65, 75],
    ['LEARNING_COMMUNITY_RATE', 65, 75],
    ['LEARNING_UNIT_RATE', 80, 90],
  ];
  for (const [indicator, y2025, y2030] of targets) {
    for (const [year, percentage] of [
      [2025, y2025],
      [2030, y2030],
    ] as const) {
      const res = await gql(SET_TARGET, { input: { planId, indicator, unitId: province.id, year, percentage } }, { token: officer });
      if (res.errors) throw new Error(JSON.stringify(res.errors));
    }
  }

  // 2024: one household of each old commune, decided by the old communes in January 2025
  await recognise(2024, communeA.id, '2025-01-10', [{ id: households[0]!, unitId: communeA.id }]);
  await recognise(2024, communeB.id, '2025-01-12', [{ id: households[2]!, unitId: communeB.id }]);
  // the reform: A and B merge into C on 2025-07-01
  const merged = await gql(MERGE, {
    input: {
      unitIds: [communeA.id, communeB.id],
      newUnit: { code: uniqueCode(), name: 'Xã Hoàng Văn Thụ' },
      basis: { effectiveDate: '2025-07-01', legalBasis: 'Nghị quyết 202/2025/QH15' },
    },
  });
  if (merged.errors) throw new Error(JSON.stringify(merged.errors));
  communeC = merged.data!.mergeAdminUnits.units[0];
  await replicated('admin_unit_version_replica', [communeC.id]);
  // 2025: three of the four households, decided by the new commune
  await recognise(2025, communeC.id, '2026-01-10', [
    { id: households[0]!, unitId: communeA.id },
    { id: households[1]!, unitId: communeA.id },
    { id: households[2]!, unitId: communeB.id },
  ]);
  await eventually(
    async () => ((await factCount(households, 2025)) === 3 && (await factCount(households, 2024)) === 2 ? true : undefined),
    60000,
    'the recognitions in reporting',
  );
}, 240000);

afterAll(async () => {
  await events?.stop();
});

describe('progress through the gateway', () => {
  it("judges a province's Learning Family rate against Lạng Sơn's targets, with its series", async () => {
    const [p] = await progress([province.id], 2025);
    expect(p!.unit).toEqual({ id: province.id, name: 'Tỉnh Lạng Sơn' });
    const f = family(p!);
    expect(f).toMatchObject({
      numerator: 3,
      denominator: 4,
      rate: 75,
      target: 70,
      targetYear: 2025,
      status: 'ACHIEVED',
      statusName: 'Đạt chỉ tiêu',
      targetSource: { plan: { number: '110/KH-UBND' }, scopeUnit: { id: province.id } },
    });
    expect(f.series).toEqual([
      // 2023: nothing yet, under the line from 0 (2022) to 70 (2025)
      { year: 2023, numerator: 0, denominator: 4, rate: 0, target: 70, status: 'BEHIND' },
      // 2024: 50% is above that line's 46.67
      { year: 2024, numerator: 2, denominator: 4, rate: 50, target: 70, status: 'ON_TRACK' },
      { year: 2025, numerator: 3, denominator: 4, rate: 75, target: 70, status: 'ACHIEVED' },
    ]);
    // each indicator carries its target, with nothing to count for clans, villages and organizations here
    const byCode = Object.fromEntries(p!.indicators.map((i) => [i.indicator, [i.target, i.status]]));
    expect(byCode).toMatchObject({
      LEARNING_CLAN_RATE: [65, 'NO_DATA'],
      LEARNING_COMMUNITY_RATE: [65, 'NO_DATA'],
      LEARNING_UNIT_RATE: [80, 'NO_DATA'],
      LEARNING_CITIZEN_RATE_ADULTS: [null, 'NO_TARGET'],
    });
    expect(p!.communeCommunity).toMatchObject({ communes: 1, recognised: 0 });
    // 2027 has no target of its own: judged on the line from 70 (2025) to 80 (2030)
    const f2027 = family((await progress([province.id], 2027))[0]!);
    expect(f2027).toMatchObject({ numerator: 0, denominator: 4, target: 80, targetYear: 2030, expected: 74, status: 'BEHIND' });
  });

  it('honours the merge both ways: the new commune sums its predecessors, the old tree keeps its own figures', async () => {
    // today: C holds what A and B held in 2024
    expect(await familyCounts([communeC.id, province.id], 2024)).toEqual([
      [2, 4],
      [2, 4],
    ]);
    // as of March 2025 the old communes stand with their own figures, the province is their sum, C does not exist yet
    expect(await familyCounts([communeA.id, communeB.id, province.id, communeC.id], 2024, '2025-03-01')).toEqual([
      [1, 2],
      [1, 2],
      [2, 4],
      [0, 0],
    ]);
    // before the decisions nothing counted
    expect(await familyCounts([province.id], 2024, '2025-01-05')).toEqual([[0, 4]]);
  });

  it('counts a redelivered granted event once, and stops counting a revoked title', async () => {
    const subject = households[2]!;
    const granted = await eventually(
      async () =>
        events.messages.find((m) => {
          const e = JSON.parse(m.value!.toString());
          return e.type === GRANTED && e.subject === subject && e.data.year === 2025;
        }),
      30000,
      'the granted event',
    );
    const producer = kafka().producer();
    await producer.connect();
    try {
      // the same message again and the same event under a new id, keyed like the original (same partition, in order)
      const copyId = randomUUID();
      await producer.send({
        topic: TOPIC,
        messages: [
          { key: granted.key, value: granted.value, headers: granted.headers },
          { key: granted.key, value: JSON.stringify({ ...JSON.parse(granted.value!.toString()), id: copyId }), headers: granted.headers },
        ],
      });
      await eventually(
        async () =>
          (await sql('reporting', `select 1 from inbox where consumer_group = 'xhht.reporting.recognitions' and event_id = $1`, [copyId]))
            .length
            ? true
            : undefined,
        30000,
        'the copy consumed',
      );
    } finally {
      await producer.disconnect();
    }
    expect(await familyCounts([province.id, communeC.id], 2025)).toEqual([
      [3, 4],
      [3, 4],
    ]);

    const [rec] = await sql<{ id: string }>('recognition', 'select id from recognition where subject_id = $1 and year = 2025', [subject]);
    const revoker = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: communeC.id }]);
    const res = await gql(REVOKE, { input: { id: rec!.id, reason: 'Hồ sơ không trung thực' } }, { token: revoker });
    expect(res.errors).toBeUndefined();
    await eventually(
      async () => (JSON.stringify(await familyCounts([province.id], 2025)) === '[[2,4]]' ? true : undefined),
      30000,
      'the revocation in progress',
    );
    const [p] = await progress([province.id], 2025);
    expect(family(p!)).toMatchObject({ numerator: 2, denominator: 4, rate: 50, status: 'BEHIND' });
  });

  it('refuses callers outside the province and bad input, through both fields', async () => {
    const nation = await createUnit({ code: uniqueCode(), name: 'Việt Nam (tiến độ, tỉnh khác)', kind: 'NATION', validFrom: '2020-01-01' });
    const other = await createUnit({
      code: uniqueCode(),
      name: 'Tỉnh Cao Bằng',
      kind: 'PROVINCE',
      parentId: nation.id,
      validFrom: '2020-01-01',
    });
    const outsider = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: other.id }]);
    const citizen = await tokenFor([{ role: 'CITIZEN', personId: randomUUID() }]);
    for (const token of [outsider, citizen]) {
      const res = await gql(PROGRESS, { unitIds: [province.id], year: 2025 }, { token });
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(res.data).toBeNull();
    }
    const viaUnit = await gql(
      `query($id: ID!) { adminUnit(id: $id) { name progress(year: 2025) { indicators { numerator } } } }`,
      { id: province.id },
      { token: outsider },
    );
    expect(viaUnit.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // the province's own officer reads it through org's unit too
    const own = await gql(
      `query($id: ID!) { adminUnit(id: $id) { name progress(year: 2025) { indicators { indicator numerator denominator } } } }`,
      { id: province.id },
      { token: officer },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.adminUnit.progress.indicators[0]).toEqual({ indicator: 'LEARNING_FAMILY_RATE', numerator: 2, denominator: 4 });

    const badYear = await gql(PROGRESS, { unitIds: [province.id], year: 1975 }, { token: officer });
    expect(badYear.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badId = await gql(PROGRESS, { unitIds: ['not-a-unit'], year: 2025 }, { token: officer });
    expect(badId.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badDate = await gql(PROGRESS, { unitIds: [province.id], year: 2025, asOf: '2025-02-30' }, { token: officer });
    expect(badDate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
