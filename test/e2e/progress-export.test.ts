import { Workbook, type Worksheet } from 'exceljs';
import { recogniseHouseholds, replicated } from '../support/recognition';
import { createProvince, createUnit, eventually, gql, sql, stack, tokenFor, uniqueCode } from '../support/stack';

/**
 * The progress export through the gateway's host: a province with two communes and their
 * households, two households recognised by a real decision, a 2025 target for the Learning Family
 * rate; the province's education officer downloads the .xlsx, whose figures are those of the
 * GraphQL `progress` answer and of the recognitions made. Other officers, callers without a token
 * and bad input are refused.
 *
 * The assessments are written straight into recognition's `assessment` table (APPROVED, as the
 * assessment workflow leaves them), as in reporting-read-models.test.ts.
 */

const REGISTER_HOUSEHOLD = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id } } }`;
const CREATE_PLAN = `mutation C($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }`;
const SET_TARGET = `mutation S($input: SetTargetInput!) { setTarget(input: $input) { target { id } } }`;
const PROGRESS = `query P($unitIds: [ID!]!, $year: Int!) {
  progress(unitIds: $unitIds, year: $year) {
    asOf
    indicators { indicator name numerator denominator rate target targetYear statusName series { year numerator denominator rate } }
    occupationalGroups { name numerator denominator rate }
    communeCommunity { communes recognised rate }
  }
}`;

let province: { id: string; name: string };
let communeA: { id: string; code: string; name: string };
let communeB: { id: string; code: string; name: string };
let provinceOfficer: string;

const exportUrl = (query: string) => new URL(`/exports/progress${query}`, stack().gatewayUrl).toString();

async function download(query: string, token: string | null) {
  const res = await fetch(exportUrl(query), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
const refusal = (bytes: Buffer) => JSON.parse(bytes.toString('utf8')) as { errors: { message: string; extensions: { code: string } }[] };

async function household(unitId: string): Promise<string> {
  const res = await gql(REGISTER_HOUSEHOLD, { input: { unitId, code: uniqueCode(), headName: 'Lý Văn Hùng' } });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.registerHousehold.household.id as string;
}

/** `count` cells of a row from column A; an empty cell is null, as a null rate or target is in the GraphQL answer. */
const cells = (sheet: Worksheet, row: number, count: number) =>
  Array.from({ length: count }, (_, i) => sheet.getRow(row).getCell(i + 1).value ?? null);

beforeAll(async () => {
  const created = await createProvince('Việt Nam (xuất tiến độ)', 'Tỉnh Bắc Kạn');
  province = created.province;
  const commune = (name: string) =>
    createUnit({ code: uniqueCode(), name, kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
  communeA = await commune('Xã Chợ Đồn');
  communeB = await commune('Phường Bắc Kạn');
  const village = (parentId: string) =>
    createUnit({ code: uniqueCode(), name: 'Thôn Nà Pài', kind: 'VILLAGE', parentId, validFrom: '2025-07-01' });
  const villageA = await village(communeA.id);
  const villageB = await village(communeB.id);
  const householdsA = [await household(villageA.id), await household(villageA.id), await household(villageA.id)];
  const householdsB = [await household(villageB.id), await household(villageB.id)];
  const households = [...householdsA, ...householdsB];
  await replicated('participant_replica', households);
  await eventually(
    async () => {
      const [r] = await sql<{ n: number }>('reporting', 'select count(*)::int as n from participant_replica where id = any($1::uuid[])', [
        households,
      ]);
      return r!.n === households.length ? true : undefined;
    },
    60000,
    'households in the reporting replica',
  );

  // two of commune A's three households recognised as Learning Families for 2025
  await recogniseHouseholds({
    year: 2025,
    decidingUnitId: communeA.id,
    date: '2025-12-20',
    number: '12/QĐ-UBND',
    households: householdsA.slice(0, 2).map((id) => ({ id, unitId: villageA.id })),
    officerSubject: 'hkh-cho-don',
  });

  // the province's plan: 70% Learning Families in 2025
  provinceOfficer = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: province.id }], 'so-gd-bac-kan');
  const plan = await gql(
    CREATE_PLAN,
    { input: { number: '45/KH-UBND', issuedOn: '2023-04-10', issuingUnitId: province.id, title: 'Xây dựng xã hội học tập tỉnh Bắc Kạn' } },
    { token: provinceOfficer },
  );
  if (plan.errors) throw new Error(JSON.stringify(plan.errors));
  const target = await gql(
    SET_TARGET,
    {
      input: { planId: plan.data!.createPlan.plan.id, indicator: 'LEARNING_FAMILY_RATE', unitId: province.id, year: 2025, percentage: 70 },
    },
    { token: provinceOfficer },
  );
  if (target.errors) throw new Error(JSON.stringify(target.errors));
  await eventually(
    async () => {
      const res = await gql(PROGRESS, { unitIds: [province.id], year: 2025 }, { token: provinceOfficer });
      const family = res.data?.progress[0].indicators.find((i: { indicator: string }) => i.indicator === 'LEARNING_FAMILY_RATE');
      return family?.numerator === 2 && family.denominator === 5 ? true : undefined;
    },
    60000,
    'the recognitions counted by reporting',
  );
}, 240000);

describe('progress export through the gateway', () => {
  it('downloads the province progress as .xlsx holding the figures of the progress query and the recognitions', async () => {
    const got = await download(`?unitId=${province.id}&year=2025`, provinceOfficer);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(got.headers.get('content-disposition')).toBe(
      `attachment; filename="tien-do-tinh-bac-kan-2025.xlsx"; filename*=UTF-8''${encodeURIComponent('Tiến độ Tỉnh Bắc Kạn 2025.xlsx')}`,
    );
    const workbook = new Workbook();
    await workbook.xlsx.load(got.bytes as unknown as ArrayBuffer);

    const answer = await gql(PROGRESS, { unitIds: [province.id, communeA.id, communeB.id], year: 2025 }, { token: provinceOfficer });
    expect(answer.errors).toBeUndefined();
    const [ofProvince, ofA, ofB] = answer.data!.progress as {
      asOf: string;
      indicators: {
        indicator: string;
        name: string;
        numerator: number;
        denominator: number;
        rate: number | null;
        target: number | null;
        targetYear: number | null;
        statusName: string;
        series: { year: number; numerator: number; denominator: number; rate: number | null }[];
      }[];
      occupationalGroups: { name: string; numerator: number; denominator: number; rate: number | null }[];
      communeCommunity: { communes: number; recognised: number; rate: number | null };
    }[];

    const summary = workbook.getWorksheet('Tiến độ')!;
    const [y, m, d] = ofProvince!.asOf.split('-');
    expect(summary.getCell('A2').value).toBe(`Số liệu đến ngày ${d}/${m}/${y}`);
    ofProvince!.indicators.forEach((p, i) => {
      expect(cells(summary, 5 + i, 7)).toEqual([p.name, p.numerator, p.denominator, p.rate, p.target, p.targetYear, p.statusName]);
    });
    // the recognitions made: two of five households, against the 70% set for 2025
    expect(cells(summary, 5, 7)).toEqual(['Tỷ lệ hộ gia đình đạt danh hiệu Gia đình học tập', 2, 5, 40, 70, 2025, 'Chậm tiến độ']);
    expect(summary.getRow(5).getCell(4).numFmt).toBe('0.00');
    expect(summary.getRow(5).getCell(2).numFmt).toBe('#,##0');

    const byUnit = workbook.getWorksheet('Theo đơn vị')!;
    const row = (p: typeof ofProvince) => p!.indicators.flatMap((i) => [i.numerator, i.denominator, i.rate]);
    const width = 2 + 3 * ofProvince!.indicators.length;
    // the communes in Vietnamese order, then the province as the total
    expect(cells(byUnit, 4, width)).toEqual([communeB.code, 'Phường Bắc Kạn', ...row(ofB)]);
    expect(cells(byUnit, 5, width)).toEqual([communeA.code, 'Xã Chợ Đồn', ...row(ofA)]);
    expect(cells(byUnit, 6, width)).toEqual([expect.any(String), 'Tổng cộng: Tỉnh Bắc Kạn', ...row(ofProvince)]);
    expect(cells(byUnit, 5, 5).slice(2)).toEqual([2, 3, 66.67]);
    expect(cells(byUnit, 4, 5).slice(2)).toEqual([0, 2, 0]);
    expect(byUnit.rowCount).toBe(6);

    const series = workbook.getWorksheet('Diễn biến')!;
    const points = ofProvince!.indicators.flatMap((p) => p.series.map((s) => [p.name, s.year, s.numerator, s.denominator, s.rate]));
    expect(points.map((_, i) => cells(series, 3 + i, 5))).toEqual(points);

    const groups = workbook.getWorksheet('Nhóm đối tượng')!;
    ofProvince!.occupationalGroups.forEach((g, i) => {
      expect(cells(groups, 3 + i, 4)).toEqual([g.name, g.numerator, g.denominator, g.rate]);
    });
    expect(ofProvince!.communeCommunity.communes).toBe(2);
    const community = ofProvince!.communeCommunity;
    const communeRows = Array.from({ length: groups.rowCount }, (_, i) => cells(groups, i + 1, 3));
    expect(communeRows).toContainEqual(['Tổng số xã, phường', community.communes, null]);
    expect(communeRows).toContainEqual(['Số xã, phường đạt danh hiệu', community.recognised, community.rate]);
  });

  it('refuses an officer whose scope does not cover the unit, writing nothing', async () => {
    const communeOfficer = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: communeB.id }], 'phong-gd-bac-kan');
    const got = await download(`?unitId=${province.id}&year=2025`, communeOfficer);
    expect(got.status).toBe(403);
    expect(got.headers.get('content-type')).toMatch(/^application\/json/);
    expect(got.headers.get('content-disposition')).toBeNull();
    expect(refusal(got.bytes).errors[0]!.extensions.code).toBe('FORBIDDEN');
    // a commune in its own scope is fine
    expect((await download(`?unitId=${communeB.id}&year=2025`, communeOfficer)).status).toBe(200);
  });

  it('refuses a caller without a token', async () => {
    const got = await download(`?unitId=${province.id}&year=2025`, null);
    expect(got.status).toBe(401);
    expect(refusal(got.bytes).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses bad input with a Vietnamese message', async () => {
    const badYear = await download(`?unitId=${province.id}&year=20x5`, provinceOfficer);
    expect(badYear.status).toBe(400);
    expect(refusal(badYear.bytes).errors[0]).toMatchObject({
      message: 'Năm 20x5 không hợp lệ (2000–2100)',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const noUnit = await download('?year=2025', provinceOfficer);
    expect(noUnit.status).toBe(400);
    expect(refusal(noUnit.bytes).errors[0]!.message).toBe('Thiếu mã đơn vị (unitId)');
    const badUnit = await download('?unitId=abc&year=2025', provinceOfficer);
    expect(badUnit.status).toBe(400);
    expect(refusal(badUnit.bytes).errors[0]!.message).toBe('Mã đơn vị không hợp lệ: abc');
    const post = await fetch(exportUrl(`?unitId=${province.id}&year=2025`), {
      method: 'POST',
      headers: { authorization: `Bearer ${provinceOfficer}` },
    });
    expect(post.status).toBe(405);
  });
});
