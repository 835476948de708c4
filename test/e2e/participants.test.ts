import { randomUUID } from 'node:crypto';
import { citizenTokenFor, collectTopic, createUnit, eventually, gql, sql, tokenFor, uniqueCode, createProvince } from '../support/stack';

const TOPIC = 'xhht.org.events';
type Msg = { type: string; subject: string; data: Record<string, any> };

let events: { messages: { value: Buffer | null }[]; stop: () => Promise<void> };
// the topic is shared: another suite puts a deliberately unparseable message on it
const published = () =>
  events.messages.flatMap((m) => {
    try {
      return [JSON.parse(m.value!.toString()) as Msg];
    } catch {
      return [];
    }
  });
const eventFor = (type: string, subject: string) =>
  eventually(async () => published().find((e) => e.type === type && e.subject === subject), 30000, `${type} for ${subject}`);

const REGISTER_HOUSEHOLD = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id code headName unit { id } } } }`;
const REGISTER_PERSON = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { person { id fullName occupationalGroupName household { id } workplace { id name } } } }`;
const REGISTER_ORG = `mutation($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { organization { id name typeName parent { id } unit { id name } } } }`;

let province: { id: string };
let communeA: { id: string };
let communeB: { id: string };
let villageA: { id: string };
let villageB: { id: string };

async function household(unitId: string, headName: string, token?: string) {
  const res = await gql(REGISTER_HOUSEHOLD, { input: { unitId, code: uniqueCode(), headName } }, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.registerHousehold.household as { id: string; code: string };
}

beforeAll(async () => {
  events = await collectTopic(TOPIC);
  ({ province } = await createProvince('Việt Nam (người tham gia)'));
  communeA = await createUnit({ code: uniqueCode(), name: 'Xã Hữu Lũng', kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
  communeB = await createUnit({ code: uniqueCode(), name: 'Xã Yên Bình', kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
  villageA = await createUnit({
    code: uniqueCode(),
    name: 'Thôn Đồng Tâm',
    kind: 'VILLAGE',
    parentId: communeA.id,
    validFrom: '2025-07-01',
  });
  villageB = await createUnit({
    code: uniqueCode(),
    name: 'Thôn Làng Chùa',
    kind: 'VILLAGE',
    parentId: communeB.id,
    validFrom: '2025-07-01',
  });
});
afterAll(() => events.stop());

describe('registering participants through the gateway', () => {
  it('registers an organization, a household and a person, publishing events without personal names', async () => {
    const officer = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeA.id }]);
    const parentRes = await gql(
      REGISTER_ORG,
      { input: { unitId: communeA.id, code: uniqueCode(), name: 'UBND xã Hữu Lũng', type: 'STATE_AGENCY' } },
      { token: officer },
    );
    expect(parentRes.errors).toBeUndefined();
    const parent = parentRes.data!.registerOrganization.organization;
    const schoolRes = await gql(
      REGISTER_ORG,
      {
        input: { unitId: villageA.id, code: uniqueCode(), name: 'Trường Tiểu học Đồng Tâm', type: 'SCHOOL', parentId: parent.id },
      },
      { token: officer },
    );
    expect(schoolRes.errors).toBeUndefined();
    const school = schoolRes.data!.registerOrganization.organization;
    expect(school).toMatchObject({ typeName: 'Trường học', parent: { id: parent.id }, unit: { id: villageA.id, name: 'Thôn Đồng Tâm' } });
    const children = await gql(`query($id: ID!) { organization(id: $id) { children { id } } }`, { id: parent.id });
    expect(children.data!.organization.children).toEqual([{ id: school.id }]);

    const h = await household(villageA.id, 'Nguyễn Văn Hùng', officer);
    const personRes = await gql(
      REGISTER_PERSON,
      {
        input: {
          unitId: villageA.id,
          code: uniqueCode(),
          fullName: 'Trần Thị Mai',
          birthYear: 1985,
          sex: 'FEMALE',
          occupationalGroup: 'TEACHER',
          householdId: h.id,
          workplaceId: school.id,
        },
      },
      { token: officer },
    );
    expect(personRes.errors).toBeUndefined();
    const person = personRes.data!.registerPerson.person;
    expect(person).toMatchObject({
      fullName: 'Trần Thị Mai',
      occupationalGroupName: 'Giáo viên',
      household: { id: h.id },
      workplace: { id: school.id },
    });

    const hr = await eventFor('vn.xhht.org.household.registered.v1', h.id);
    expect(hr.data).toEqual({ id: h.id, unitId: villageA.id, code: h.code });
    const pr = await eventFor('vn.xhht.org.person.registered.v1', person.id);
    expect(pr.data).toMatchObject({
      unitId: villageA.id,
      birthYear: 1985,
      sex: 'FEMALE',
      occupationalGroup: 'TEACHER',
      householdId: h.id,
      workplaceId: school.id,
    });
    expect(JSON.stringify(pr.data)).not.toContain('Mai');
    const or = await eventFor('vn.xhht.org.organization.registered.v1', school.id);
    expect(or.data).toMatchObject({ name: 'Trường Tiểu học Đồng Tâm', type: 'SCHOOL', parentId: parent.id, validTo: null });

    const audit = await sql<{ created_by: string }>('org', 'select created_by from person where id = $1', [person.id]);
    expect(audit[0]!.created_by).toMatch(/^test-/);

    // household members, read in scope
    const members = await gql(
      `query($id: ID!) { household(id: $id) { headName members { id fullName } } }`,
      { id: h.id },
      { token: officer },
    );
    expect(members.data!.household).toEqual({ headName: 'Nguyễn Văn Hùng', members: [{ id: person.id, fullName: 'Trần Thị Mai' }] });

    // the organization officer of the school sees its staff and may edit them
    const orgOfficer = await tokenFor([{ role: 'ORGANIZATION_OFFICER', organizationId: school.id }]);
    const upd = await gql(
      `mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { occupationalGroup } } }`,
      { input: { id: person.id, occupationalGroup: 'OFFICIAL' } },
      { token: orgOfficer },
    );
    expect(upd.errors).toBeUndefined();
    expect(upd.data!.updatePerson.person.occupationalGroup).toBe('OFFICIAL');
    await eventFor('vn.xhht.org.person.updated.v1', person.id);
  });

  it('registers a clan spanning two communes and updates its members and branches', async () => {
    const h1 = await household(villageA.id, 'Hoàng Văn Một');
    const h2 = await household(villageB.id, 'Hoàng Văn Hai');
    const h3 = await household(villageB.id, 'Hoàng Văn Ba');
    const res = await gql(
      `mutation($input: RegisterClanInput!) { registerClan(input: $input) { clan { id name householdCount branches { id name unit { id } } households { household { id } branch { name } } } } }`,
      {
        input: {
          unitId: communeA.id,
          code: uniqueCode(),
          name: 'Dòng họ Hoàng',
          branches: [
            { name: 'Chi trưởng', unitId: communeA.id },
            { name: 'Chi thứ', unitId: communeB.id },
          ],
          households: [
            { householdId: h1.id, branchName: 'Chi trưởng' },
            { householdId: h2.id, branchName: 'Chi thứ' },
          ],
        },
      },
    );
    expect(res.errors).toBeUndefined();
    const clan = res.data!.registerClan.clan;
    expect(clan.householdCount).toBe(2);
    expect(clan.households).toEqual(expect.arrayContaining([{ household: { id: h2.id }, branch: { name: 'Chi thứ' } }]));
    const ev = await eventFor('vn.xhht.org.clan.registered.v1', clan.id);
    expect(ev.data.households).toHaveLength(2);
    expect(ev.data.branches.map((b: any) => b.name).sort()).toEqual(['Chi thứ', 'Chi trưởng']);

    // a commune officer of A sees the clan (public) but only A's households
    const officerA = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeA.id }]);
    const seen = await gql(
      `query($id: ID!) { clan(id: $id) { householdCount households { household { id } } } }`,
      { id: clan.id },
      { token: officerA },
    );
    expect(seen.data!.clan).toEqual({ householdCount: 2, households: [{ household: { id: h1.id } }] });

    const chiThu = clan.branches.find((b: any) => b.name === 'Chi thứ').id;
    const upd = await gql(
      `mutation($input: UpdateClanInput!) { updateClan(input: $input) { clan { householdCount branches { name } } } }`,
      {
        input: {
          id: clan.id,
          addHouseholds: [{ householdId: h3.id }],
          removeHouseholdIds: [h1.id],
          removeBranchIds: [chiThu],
          addBranches: [{ name: 'Chi út' }],
        },
      },
    );
    expect(upd.errors).toBeUndefined();
    expect(upd.data!.updateClan.clan.householdCount).toBe(2);
    expect(upd.data!.updateClan.clan.branches.map((b: any) => b.name).sort()).toEqual(['Chi trưởng', 'Chi út']);
    const ue = await eventFor('vn.xhht.org.clan.updated.v1', clan.id);
    expect(ue.data.households).toEqual(
      expect.arrayContaining([
        { householdId: h2.id, branchId: null },
        { householdId: h3.id, branchId: null },
      ]),
    );
  });

  it('moves a household with its members and publishes moved with the previous unit', async () => {
    const village2 = await createUnit({
      code: uniqueCode(),
      name: 'Thôn Tân Tiến',
      kind: 'VILLAGE',
      parentId: communeA.id,
      validFrom: '2025-07-01',
    });
    const h = await household(villageA.id, 'Lý Văn Chuyển');
    const p = await gql(REGISTER_PERSON, {
      input: {
        unitId: villageA.id,
        code: uniqueCode(),
        fullName: 'Lý Thị Theo',
        birthYear: 2001,
        sex: 'FEMALE',
        occupationalGroup: 'STUDENT',
        householdId: h.id,
      },
    });
    const personId = p.data!.registerPerson.person.id;
    const officer = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeA.id }]);
    const res = await gql(
      `mutation($input: MoveHouseholdInput!) { moveHousehold(input: $input) { household { unit { id } } previousUnit { id } } }`,
      { input: { id: h.id, unitId: village2.id } },
      { token: officer },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.moveHousehold).toEqual({ household: { unit: { id: village2.id } }, previousUnit: { id: villageA.id } });
    const moved = await eventFor('vn.xhht.org.household.moved.v1', h.id);
    expect(moved.data).toEqual({ id: h.id, unitId: village2.id, code: h.code, previousUnitId: villageA.id });
    const pm = await eventFor('vn.xhht.org.person.moved.v1', personId);
    expect(pm.data).toMatchObject({ unitId: village2.id, previousUnitId: villageA.id });

    // recognition keeps its own copy from the events alone: both follow the move, with no personal names
    const replica = await eventually(
      async () => {
        const rows = await sql<{ id: string; kind: string; unit_id: string; name: string | null; household_id: string | null }>(
          'recognition',
          'select id, kind, unit_id, name, household_id from participant_replica where id = any($1) order by kind',
          [[h.id, personId]],
        );
        return rows.length === 2 && rows.every((r) => r.unit_id === village2.id) ? rows : undefined;
      },
      30000,
      "the move in recognition's replica",
    );
    expect(replica).toEqual([
      { id: h.id, kind: 'HOUSEHOLD', unit_id: village2.id, name: null, household_id: null },
      { id: personId, kind: 'PERSON', unit_id: village2.id, name: null, household_id: h.id },
    ]);

    // moving into another commune needs a scope covering both
    const away = await gql(
      `mutation($input: MoveHouseholdInput!) { moveHousehold(input: $input) { household { id } } }`,
      { input: { id: h.id, unitId: villageB.id } },
      { token: officer },
    );
    expect(away.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});

describe('refusals', () => {
  it('refuses bad input with a field path, writes nothing and publishes nothing', async () => {
    const code = uniqueCode();
    const before = published().length;
    const cases: [string, Record<string, unknown>, string, string[]][] = [
      [
        REGISTER_PERSON,
        { unitId: villageA.id, code, fullName: 'Người Tương Lai', birthYear: 2999, sex: 'MALE', occupationalGroup: 'FARMER' },
        'BAD_USER_INPUT',
        ['input', 'birthYear'],
      ],
      [
        REGISTER_PERSON,
        {
          unitId: villageA.id,
          code,
          fullName: 'Không Hộ',
          birthYear: 1990,
          sex: 'MALE',
          occupationalGroup: 'FARMER',
          householdId: randomUUID(),
        },
        'BAD_USER_INPUT',
        ['input', 'householdId'],
      ],
      [REGISTER_HOUSEHOLD, { unitId: communeA.id, code, headName: 'Hộ Ở Xã' }, 'BAD_USER_INPUT', ['input', 'unitId']],
      [REGISTER_HOUSEHOLD, { unitId: province.id, code, headName: 'Hộ Ở Tỉnh' }, 'BAD_USER_INPUT', ['input', 'unitId']],
      [REGISTER_HOUSEHOLD, { unitId: villageA.id, code: 'có dấu cách', headName: 'Hộ Sai Mã' }, 'BAD_USER_INPUT', ['input', 'code']],
    ];
    for (const [q, input, errCode, field] of cases) {
      const res = await gql(q, { input });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: errCode, field });
    }
    expect(await sql('org', 'select 1 from person where code = $1 union all select 1 from household where code = $1', [code])).toHaveLength(
      0,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(published().length).toBe(before);
  });

  it('refuses a duplicate code in the unit with CONFLICT', async () => {
    const h = await household(villageA.id, 'Bản Gốc');
    const res = await gql(REGISTER_HOUSEHOLD, { input: { unitId: villageA.id, code: h.code, headName: 'Bản Sao' } });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: ['input', 'code'] });
    expect(await sql('org', 'select 1 from household where unit_id = $1 and code = $2', [villageA.id, h.code])).toHaveLength(1);
  });

  it('keeps a commune officer to its own commune for writes and personal data', async () => {
    const h = await household(villageA.id, 'Phạm Văn Riêng');
    const p = await gql(REGISTER_PERSON, {
      input: {
        unitId: villageA.id,
        code: uniqueCode(),
        fullName: 'Phạm Thị Riêng',
        birthYear: 1970,
        sex: 'FEMALE',
        occupationalGroup: 'FARMER',
        householdId: h.id,
      },
    });
    const personId = p.data!.registerPerson.person.id;
    const other = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeB.id }]);
    const write = await gql(
      REGISTER_HOUSEHOLD,
      { input: { unitId: villageA.id, code: uniqueCode(), headName: 'Xâm Phạm' } },
      { token: other },
    );
    expect(write.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const edit = await gql(
      `mutation($input: UpdateHouseholdInput!) { updateHousehold(input: $input) { household { id } } }`,
      { input: { id: h.id, headName: 'Đổi Tên' } },
      { token: other },
    );
    expect(edit.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const read = await gql(`query($id: ID!) { person(id: $id) { fullName } }`, { id: personId }, { token: other });
    expect(read.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(read.data?.person ?? null).toBeNull();
    const list = await gql(`query($u: ID!) { persons(unitId: $u) { totalCount } }`, { u: villageA.id }, { token: other });
    expect(list.data!.persons.totalCount).toBe(0);

    // in scope: the province steering committee and the commune's own association officer read it
    for (const grant of [
      { role: 'STEERING_COMMITTEE' as const, unitId: province.id },
      { role: 'ASSOCIATION_OFFICER' as const, unitId: communeA.id },
    ]) {
      const ok = await gql(
        `query($id: ID!) { person(id: $id) { fullName birthYear } }`,
        { id: personId },
        { token: await tokenFor([grant]) },
      );
      expect(ok.data!.person).toEqual({ fullName: 'Phạm Thị Riêng', birthYear: 1970 });
    }
    // a citizen reads their own person, and no one else's
    const self = await gql(
      `query($id: ID!) { person(id: $id) { fullName } }`,
      { id: personId },
      { token: await citizenTokenFor(personId) },
    );
    expect(self.errors).toBeUndefined();
    expect(self.data!.person).toEqual({ fullName: 'Phạm Thị Riêng' });
    const otherCitizen = await gql(
      `query($id: ID!) { person(id: $id) { fullName } }`,
      { id: personId },
      { token: await citizenTokenFor(randomUUID()) },
    );
    expect(otherCitizen.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(await sql('org', `select 1 from household where head_name in ('Xâm Phạm', 'Đổi Tên')`)).toHaveLength(0);
  });
});

describe('lists', () => {
  it('filters by unit, searches without diacritics and sorts in Vietnamese order', async () => {
    const village = await createUnit({
      code: uniqueCode(),
      name: 'Thôn Sắp Xếp',
      kind: 'VILLAGE',
      parentId: communeB.id,
      validFrom: '2025-07-01',
    });
    for (const name of ['Đạt', 'Dũng', 'Bình', 'Anh', 'Ánh']) {
      await gql(REGISTER_PERSON, {
        input: { unitId: village.id, code: uniqueCode(), fullName: name, birthYear: 1990, sex: 'MALE', occupationalGroup: 'WORKER' },
      });
    }
    const q = `query($u: ID, $s: String, $after: String) { persons(unitId: $u, search: $s, first: 3, after: $after) { totalCount edges { cursor node { fullName } } pageInfo { hasNextPage endCursor } } }`;
    const page1 = await gql(q, { u: communeB.id });
    expect(page1.data!.persons.totalCount).toBe(5);
    expect(page1.data!.persons.edges.map((e: any) => e.node.fullName)).toEqual(['Anh', 'Ánh', 'Bình']);
    expect(page1.data!.persons.pageInfo.hasNextPage).toBe(true);
    const page2 = await gql(q, { u: communeB.id, after: page1.data!.persons.pageInfo.endCursor });
    expect(page2.data!.persons.edges.map((e: any) => e.node.fullName)).toEqual(['Dũng', 'Đạt']);
    expect(page2.data!.persons.pageInfo.hasNextPage).toBe(false);
    const search = await gql(q, { u: communeB.id, s: 'anh' });
    expect(search.data!.persons.edges.map((e: any) => e.node.fullName)).toEqual(['Anh', 'Ánh']);
    const search2 = await gql(q, { u: province.id, s: 'DAT' });
    expect(search2.data!.persons.edges.map((e: any) => e.node.fullName)).toEqual(['Đạt']);
  });

  it('finds a participant registered in a commune that was merged under the successor', async () => {
    const old = await createUnit({
      code: uniqueCode(),
      name: 'Xã Cũ Sáp Nhập',
      kind: 'COMMUNE',
      parentId: province.id,
      validFrom: '2025-07-01',
    });
    const h = await household(old.id, 'Vũ Văn Còn');
    const other = await createUnit({
      code: uniqueCode(),
      name: 'Xã Bên Cạnh',
      kind: 'COMMUNE',
      parentId: province.id,
      validFrom: '2025-07-01',
    });
    const merged = await gql(`mutation($input: MergeAdminUnitsInput!) { mergeAdminUnits(input: $input) { units { id } } }`, {
      input: {
        unitIds: [old.id, other.id],
        newUnit: { code: uniqueCode(), name: 'Xã Hợp Nhất' },
        basis: { effectiveDate: '2026-01-01', legalBasis: 'Nghị quyết kiểm thử' },
      },
    });
    expect(merged.errors).toBeUndefined();
    const successorId: string = merged.data!.mergeAdminUnits.units[0].id;

    const list = await gql(`query($u: ID!) { households(unitId: $u) { totalCount edges { node { id headName } } } }`, { u: successorId });
    expect(list.data!.households.edges.map((e: any) => e.node.id)).toEqual([h.id]);
    // the successor's officer may read and edit it
    const officer = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: successorId }]);
    const read = await gql(`query($id: ID!) { household(id: $id) { headName } }`, { id: h.id }, { token: officer });
    expect(read.data!.household).toEqual({ headName: 'Vũ Văn Còn' });
    const edit = await gql(
      `mutation($input: UpdateHouseholdInput!) { updateHousehold(input: $input) { household { address } } }`,
      { input: { id: h.id, address: 'Số 1' } },
      { token: officer },
    );
    expect(edit.errors).toBeUndefined();
  });

  it('lists 50 households with units and members in a bounded number of statements', async () => {
    const village = await createUnit({
      code: uniqueCode(),
      name: 'Thôn Năm Mươi',
      kind: 'VILLAGE',
      parentId: communeA.id,
      validFrom: '2025-07-01',
    });
    const small = await createUnit({
      code: uniqueCode(),
      name: 'Thôn Năm',
      kind: 'VILLAGE',
      parentId: communeA.id,
      validFrom: '2025-07-01',
    });
    for (const [unit, n] of [
      [village, 50],
      [small, 5],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const h = await household(unit.id, `Hộ ${i}`);
        await gql(REGISTER_PERSON, {
          input: {
            unitId: unit.id,
            code: uniqueCode(),
            fullName: `Thành viên ${i}`,
            birthYear: 1980,
            sex: 'MALE',
            occupationalGroup: 'FARMER',
            householdId: h.id,
          },
        });
      }
    }
    const officer = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeA.id }]);
    const q = `query($u: ID!) { households(unitId: $u, first: 50) { totalCount edges { node { headName unit { name } members { fullName unit { name } } } } } }`;
    // statements this request sends to the org database, counted by PostgreSQL itself (pg_stat_statements)
    await sql('org', 'create extension if not exists pg_stat_statements');
    const statements = async (unitId: string) => {
      await sql('org', 'select pg_stat_statements_reset()');
      const res = await gql(q, { u: unitId }, { token: officer });
      expect(res.errors).toBeUndefined();
      // the outbox relay polls in the background; its statements are not this request's
      const rows = await sql<{ n: string }>(
        'org',
        `select coalesce(sum(calls), 0)::text as n from pg_stat_statements
         where dbid = (select oid from pg_database where datname = current_database())
           and query not ilike '%outbox%' and query not ilike '%pg_stat_statements%' and query not ilike '%advisory%'
           and lower(query) not in ('begin', 'commit', 'rollback')`,
      );
      return { statements: Number(rows[0]!.n), rows: res.data!.households.edges.length };
    };
    const five = await statements(small.id);
    const fifty = await statements(village.id);
    expect(five.rows).toBe(5);
    expect(fifty.rows).toBe(50);
    // batched loading sends the same statements for 5 rows as for 50; per-row loading would add ≥ 90
    expect(fifty.statements).toBeLessThanOrEqual(five.statements + 2);
    expect(fifty.statements).toBeLessThan(25);
  });
});

describe('bodies', () => {
  it('establishes a steering committee with members, adds and ends memberships', async () => {
    const officer = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeB.id }]);
    const res = await gql(
      `mutation($input: EstablishBodyInput!) { establishBody(input: $input) { body { id kindName unit { id } members { id fullName roleName } } } }`,
      {
        input: {
          unitId: communeB.id,
          kind: 'STEERING_COMMITTEE',
          name: 'Ban Chỉ đạo xây dựng xã hội học tập xã Yên Bình',
          decisionNumber: '12/QĐ-UBND',
          establishedOn: '2025-07-01',
          members: [{ fullName: 'Lò Văn Chủ', position: 'Chủ tịch UBND xã', role: 'CHAIR' }],
        },
      },
      { token: officer },
    );
    expect(res.errors).toBeUndefined();
    const body = res.data!.establishBody.body;
    expect(body).toMatchObject({ kindName: 'Ban Chỉ đạo', unit: { id: communeB.id }, members: [{ fullName: 'Lò Văn Chủ' }] });
    const est = await eventFor('vn.xhht.org.body.established.v1', body.id);
    expect(est.data.members[0]).toMatchObject({ fullName: 'Lò Văn Chủ', role: 'CHAIR' });

    const again = await gql(
      `mutation($input: EstablishBodyInput!) { establishBody(input: $input) { body { id } } }`,
      { input: { unitId: communeB.id, kind: 'STEERING_COMMITTEE', name: 'Trùng' } },
      { token: officer },
    );
    expect(again.errors![0]!.extensions!.code).toBe('CONFLICT');
    const outsider = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeA.id }]);
    const refused = await gql(
      `mutation($input: AddBodyMemberInput!) { addBodyMember(input: $input) { member { id } } }`,
      { input: { bodyId: body.id, fullName: 'X', position: 'Y', role: 'MEMBER' } },
      { token: outsider },
    );
    expect(refused.errors![0]!.extensions!.code).toBe('FORBIDDEN');

    const added = await gql(
      `mutation($input: AddBodyMemberInput!) { addBodyMember(input: $input) { member { id roleName body { id } } } }`,
      { input: { bodyId: body.id, fullName: 'Hà Thị Thư', position: 'Cán bộ văn hóa', role: 'SECRETARY', validFrom: '2025-07-01' } },
      { token: officer },
    );
    expect(added.errors).toBeUndefined();
    const memberId = added.data!.addBodyMember.member.id;
    await eventFor('vn.xhht.org.body.member-added.v1', memberId);
    const ended = await gql(
      `mutation($input: EndBodyMembershipInput!) { endBodyMembership(input: $input) { member { validTo } } }`,
      { input: { memberId, validTo: '2025-07-02' } },
      { token: officer },
    );
    expect(ended.data!.endBodyMembership.member.validTo).toBe('2025-07-02');
    const me = await eventFor('vn.xhht.org.body.member-ended.v1', memberId);
    expect(me.data.validTo).toBe('2025-07-02');
    const list = await gql(`query($u: ID!) { bodies(unitId: $u) { members { fullName } } }`, { u: communeB.id });
    expect(list.data?.bodies?.[0]?.members ?? list.errors).toEqual([{ fullName: 'Lò Văn Chủ' }]);
  });
});
