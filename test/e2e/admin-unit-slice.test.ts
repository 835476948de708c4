import { Client } from 'pg';
import {
  CREATE_UNIT,
  adminToken,
  collectTopic,
  createUnit,
  eventually,
  gatewayCredential,
  gql,
  sql,
  stack,
  tokenFor,
  uniqueCode,
} from '../support/stack';

const UNIT_QUERY = `query Unit($id: ID!) { adminUnit(id: $id) { id code name kind kindName validFrom parent { id name } childUnitCount } }`;

async function childCount(id: string): Promise<number | undefined> {
  const res = await gql<{ adminUnit: { childUnitCount: number } | null }>(UNIT_QUERY, { id });
  return res.data?.adminUnit?.childUnitCount;
}

describe('createAdminUnit → AdminUnitCreated → reporting replica, through the gateway', () => {
  it('serves org fields and the child count reporting keeps from the events', async () => {
    const nation = await createUnit({ code: uniqueCode(), name: 'Việt Nam (kiểm thử)', kind: 'NATION', validFrom: '2025-07-01' });
    const province = await createUnit({
      code: uniqueCode(),
      name: 'Tỉnh Lạng Sơn',
      kind: 'PROVINCE',
      parentId: nation.id,
      validFrom: '2025-07-01',
    });
    await createUnit({ code: uniqueCode(), name: 'Xã Hữu Lũng', kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
    await createUnit({ code: uniqueCode(), name: 'Phường Đông Kinh', kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });

    await eventually(async () => ((await childCount(province.id)) === 2 ? true : undefined), 30000, 'two communes counted');
    const res = await gql(UNIT_QUERY, { id: province.id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.adminUnit).toEqual({
      id: province.id,
      code: province.code,
      name: 'Tỉnh Lạng Sơn',
      kind: 'PROVINCE',
      kindName: 'Tỉnh, thành phố trực thuộc Trung ương',
      validFrom: '2025-07-01',
      parent: { id: nation.id, name: 'Việt Nam (kiểm thử)' },
      childUnitCount: 2,
    });
    expect(await childCount(nation.id)).toBe(1);
  });

  it('publishes a CloudEvents 1.0 event keyed by the unit id, with ce_type in the headers', async () => {
    const nation = await createUnit({ code: uniqueCode(), name: 'Quốc gia sự kiện', kind: 'NATION' });
    const topic = await collectTopic('xhht.org.events');
    try {
      const message = await eventually(
        async () => topic.messages.find((m) => m.key?.toString() === nation.id),
        30000,
        'the event on the topic',
      );
      const event = JSON.parse(message.value!.toString());
      expect(message.headers?.ce_type?.toString()).toBe('vn.xhht.org.admin-unit.created.v1');
      expect(event).toMatchObject({
        specversion: '1.0',
        source: '/xhht/org',
        type: 'vn.xhht.org.admin-unit.created.v1',
        subject: nation.id,
        datacontenttype: 'application/json',
        dataschema: 'urn:xhht:event-schema:vn.xhht.org.admin-unit.created.v1',
        data: { id: nation.id, code: nation.code, name: 'Quốc gia sự kiện', kind: 'NATION', parentId: null, validTo: null },
      });
      expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await topic.stop();
    }
  });

  it('resolves many units, their parents and reporting fields in one request', async () => {
    const nation = await createUnit({ code: uniqueCode(), name: 'Quốc gia lô', kind: 'NATION' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await createUnit({ code: uniqueCode(), name: `Tỉnh ${i}`, kind: 'PROVINCE', parentId: nation.id })).id);
    const fields = ids.map((id, i) => `u${i}: adminUnit(id: "${id}") { name childUnitCount parent { name childUnitCount } }`).join('\n');
    const res = await gql(`{ ${fields} }`);
    expect(res.errors).toBeUndefined();
    expect(Object.values(res.data!).map((u: any) => u.parent.name)).toEqual(Array(5).fill('Quốc gia lô'));
  });
});

describe('refusals', () => {
  const before = async (code: string) => ({
    units: (await sql<{ n: string }>('org', 'select count(*) as n from admin_unit where code = $1', [code]))[0]!.n,
    outbox: (await sql<{ n: string }>('org', 'select count(*) as n from outbox'))[0]!.n,
  });

  it.each([
    ['an empty name', { name: '   ', kind: 'NATION' }, 'INVALID_INPUT', ['input', 'name']],
    ['a missing parent', { name: 'Tỉnh mồ côi', kind: 'PROVINCE' }, 'PARENT_REQUIRED', ['input', 'parentId']],
    [
      'an unknown parent',
      { name: 'Tỉnh lạc', kind: 'PROVINCE', parentId: '00000000-0000-4000-8000-000000000000' },
      'PARENT_NOT_FOUND',
      ['input', 'parentId'],
    ],
    ['an impossible date', { name: 'Việt Nam', kind: 'NATION', validFrom: '2025-02-30' }, undefined, undefined],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_what, partial, messageKey, field) => {
    const code = uniqueCode();
    const was = await before(code);
    const res = await gql(CREATE_UNIT, { input: { code, ...partial } });
    expect(res.data?.createAdminUnit ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    if (messageKey) expect(res.errors?.[0]?.extensions?.messageKey).toBe(messageKey);
    else expect(res.errors?.[0]?.message).toMatch(/validFrom.*2025-02-30/s);
    if (field) expect(res.errors?.[0]?.extensions?.field).toEqual(field);
    expect(await before(code)).toEqual(was);
  });

  it('refuses a kind that is not below its parent', async () => {
    const nation = await createUnit({ code: uniqueCode(), name: 'Quốc gia', kind: 'NATION' });
    const commune = await createUnit({ code: uniqueCode(), name: 'Xã A', kind: 'COMMUNE', parentId: nation.id });
    const res = await gql(CREATE_UNIT, { input: { code: uniqueCode(), name: 'Tỉnh dưới xã', kind: 'PROVINCE', parentId: commune.id } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'KIND_NOT_BELOW_PARENT' });
  });

  it('refuses a code already in use with CONFLICT', async () => {
    const code = uniqueCode();
    await createUnit({ code, name: 'Quốc gia', kind: 'NATION' });
    const res = await gql(CREATE_UNIT, { input: { code, name: 'Trùng mã', kind: 'NATION' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await sql('org', 'select 1 from admin_unit where code = $1', [code])).length).toBe(1);
  });

  it('answers CONFLICT, not a failure, when a concurrent write takes the code after the check', async () => {
    const code = uniqueCode();
    // another writer holds the code, not yet committed: org's own check sees it free, its insert waits
    const rival = new Client({ connectionString: stack().databaseUrls.org });
    await rival.connect();
    try {
      await rival.query('begin');
      await rival.query(`insert into admin_unit (id, code, valid_from, created_by) values (gen_random_uuid(), $1, '2025-07-01', 'rival')`, [
        code,
      ]);
      const pending = gql(CREATE_UNIT, { input: { code, name: 'Đến sau', kind: 'NATION' } });
      await eventually(
        async () =>
          (await sql('org', `select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into "admin_unit"%'`))
            .length > 0
            ? true
            : undefined,
        15000,
        'org to wait on the rival insert',
      );
      await rival.query('commit');
      const res = await pending;
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'ALREADY_EXISTS' });
    } finally {
      await rival.end();
    }
    expect(await sql('org', 'select created_by from admin_unit where code = $1', [code])).toEqual([{ created_by: 'rival' }]);
    expect(await sql('org', `select 1 from outbox where payload->'data'->>'code' = $1`, [code])).toHaveLength(0);
    // the rival row bypassed org (no event): remove it so the hierarchy stays what the topic says
    await sql('org', `delete from admin_unit where code = $1 and created_by = 'rival'`, [code]);
  });

  it('answers UNAUTHENTICATED without a token, or with a forged one', async () => {
    const none = await gql('{ learningTitles { title } }', {}, { token: null });
    expect(none.status).toBe(401);
    expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const forged = (await adminToken()).replace(/\.[^.]+$/, '.forgedsignature');
    const bad = await gql('{ learningTitles { title } }', {}, { token: forged });
    expect(bad.status).toBe(401);
    expect(bad.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses hierarchy changes by anyone but an administrator, writing nothing', async () => {
    const code = uniqueCode();
    const officer = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: '00000000-0000-4000-8000-000000000001' }]);
    const res = await gql(CREATE_UNIT, { input: { code, name: 'Việt Nam', kind: 'NATION' } }, { token: officer });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await sql('org', 'select 1 from admin_unit where code = $1', [code])).length).toBe(0);
  });

  it('refuses a direct subgraph call that did not come through the gateway', async () => {
    const token = await adminToken();
    const query = '{ learningTitles { title name } }';
    const direct = await gql(query, {}, { url: stack().serviceUrls.recognition, token });
    expect(direct.status).toBe(403);
    expect(direct.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // a forged credential is no better
    const forged = await gql(query, {}, { url: stack().serviceUrls.org, token, headers: { 'x-xhht-gateway': 'not-a-credential' } });
    expect(forged.status).toBe(403);
    // the gateway's credential alone is not enough: the caller must still be authenticated
    const anonymous = await gql(
      query,
      {},
      { url: stack().serviceUrls.recognition, token: null, headers: { 'x-xhht-gateway': await gatewayCredential() } },
    );
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // with the gateway's credential the same call is served
    const viaGateway = await gql(
      query,
      {},
      { url: stack().serviceUrls.recognition, token, headers: { 'x-xhht-gateway': await gatewayCredential() } },
    );
    expect(viaGateway.data?.learningTitles).toHaveLength(5);
  });

  it('refuses queries nested deeper than the gateway allows', async () => {
    const nested = `{ adminUnit(id: "00000000-0000-4000-8000-000000000000") { ${'parent { '.repeat(14)} id ${'} '.repeat(14)} } }`;
    const res = await gql(nested);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', messageKey: 'QUERY_TOO_DEEP' });
  });
});
