import { createUnit, eventually, gql, sql, tokenFor, uniqueCode } from '../support/stack';

/** The effective-dated hierarchy through the gateway: changes, "as of" reads, refusals, search and the replica built from events. */

const UNIT = `query Unit($id: ID!, $asOf: Date) {
  adminUnit(id: $id, asOf: $asOf) {
    id code name kind subtype subtypeName validFrom validTo asOf
    parent { id name }
    children { id code name }
    ancestors { id kind }
    predecessors { id name validTo }
    successors { id name validFrom }
    changes { type typeName effectiveDate legalBasis predecessors { id } successors { id } subjects { id } }
    history { validFrom validTo name subtype parent { id } }
  }
}`;
const LIST = `query List($parentId: ID, $kind: AdminUnitKind, $search: String, $asOf: Date, $first: Int, $after: String) {
  adminUnits(parentId: $parentId, kind: $kind, search: $search, asOf: $asOf, first: $first, after: $after) {
    totalCount edges { cursor node { id name code } } pageInfo { hasNextPage endCursor }
  }
}`;
const MERGE = `mutation Merge($input: MergeAdminUnitsInput!) {
  mergeAdminUnits(input: $input) { change { id type effectiveDate legalBasis predecessors { id } successors { id } } units { id name code validFrom } }
}`;
const SPLIT = `mutation Split($input: SplitAdminUnitInput!) {
  splitAdminUnit(input: $input) { change { id type } units { id name code children { id } } }
}`;
const MOVE = `mutation Move($input: MoveAdminUnitInput!) { moveAdminUnit(input: $input) { change { id type } units { id parent { id } } } }`;
const RENAME = `mutation Rename($input: RenameAdminUnitInput!) { renameAdminUnit(input: $input) { change { id type } units { id name } } }`;
const RECLASSIFY = `mutation Reclassify($input: ReclassifyAdminUnitInput!) {
  reclassifyAdminUnit(input: $input) { change { id type } units { id name subtype subtypeName } }
}`;

const basis = (effectiveDate: string, legalBasis = 'Nghị quyết 202/2025/QH15') => ({ effectiveDate, legalBasis });

async function nation() {
  return createUnit({ code: uniqueCode(), name: 'Việt Nam (kiểm thử phân cấp)', kind: 'NATION', validFrom: '2020-01-01' });
}

/** Everything in org's hierarchy tables that can change, to prove a refusal wrote nothing. */
async function hierarchyFootprint() {
  const [counts] = await sql<{ units: string; versions: string; changes: string; outbox: string; last: string | null }>(
    'org',
    `select (select count(*) from admin_unit) as units, (select count(*) from admin_unit_version) as versions,
       (select count(*) from admin_unit_change) as changes, (select count(*) from outbox) as outbox,
       (select max(valid_to)::text from admin_unit_version) as last`,
  );
  return counts;
}

describe('a two-province merge', () => {
  it('shows both provinces the day before, one the day of, with predecessors, successors and reassigned children', async () => {
    const vn = await nation();
    const a = await createUnit({ code: uniqueCode(), name: 'Tỉnh Hà Giang', kind: 'PROVINCE', parentId: vn.id, validFrom: '2020-01-01' });
    const b = await createUnit({
      code: uniqueCode(),
      name: 'Tỉnh Tuyên Quang',
      kind: 'PROVINCE',
      parentId: vn.id,
      validFrom: '2020-01-01',
    });
    const a1 = await createUnit({ code: uniqueCode(), name: 'Xã Phương Thiện', kind: 'COMMUNE', parentId: a.id, validFrom: '2020-01-01' });
    const b1 = await createUnit({ code: uniqueCode(), name: 'Phường Minh Xuân', kind: 'COMMUNE', parentId: b.id, validFrom: '2020-01-01' });
    const newCode = uniqueCode();

    const res = await gql(MERGE, {
      input: { unitIds: [a.id, b.id], newUnit: { code: newCode, name: 'Tỉnh Tuyên Quang' }, basis: basis('2025-07-01') },
    });
    expect(res.errors).toBeUndefined();
    const merged = res.data!.mergeAdminUnits;
    expect(merged.change).toMatchObject({ type: 'MERGE', effectiveDate: '2025-07-01', legalBasis: 'Nghị quyết 202/2025/QH15' });
    expect(merged.change.predecessors.map((u: { id: string }) => u.id).sort()).toEqual([a.id, b.id].sort());
    const successor = merged.units[0];
    expect(successor).toMatchObject({ code: newCode, name: 'Tỉnh Tuyên Quang', validFrom: '2025-07-01' });

    // the day before: both provinces, each with its own commune
    const before = await gql(LIST, { parentId: vn.id, asOf: '2025-06-30' });
    expect(before.data!.adminUnits.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual([a.id, b.id].sort());
    const aBefore = (await gql(UNIT, { id: a.id, asOf: '2025-06-30' })).data!.adminUnit;
    expect(aBefore.children.map((c: { id: string }) => c.id)).toEqual([a1.id]);
    expect(aBefore.validTo).toBe('2025-06-30');
    expect(aBefore.successors).toEqual([{ id: successor.id, name: 'Tỉnh Tuyên Quang', validFrom: '2025-07-01' }]);

    // the day of: one province holding both communes
    const after = await gql(LIST, { parentId: vn.id, asOf: '2025-07-01' });
    expect(after.data!.adminUnits.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([successor.id]);
    const s = (await gql(UNIT, { id: successor.id, asOf: '2025-07-01' })).data!.adminUnit;
    expect(s.children.map((c: { id: string }) => c.id).sort()).toEqual([a1.id, b1.id].sort());
    expect(s.predecessors.map((p: { id: string; validTo: string }) => [p.id, p.validTo]).sort()).toEqual(
      [
        [a.id, '2025-06-30'],
        [b.id, '2025-06-30'],
      ].sort(),
    );
    expect(s.changes).toHaveLength(1);

    // a commune's parent over time
    const commune = (await gql(UNIT, { id: a1.id })).data!.adminUnit;
    expect(commune.parent).toEqual({ id: successor.id, name: 'Tỉnh Tuyên Quang' });
    expect(commune.ancestors.map((u: { kind: string }) => u.kind)).toEqual(['PROVINCE', 'NATION']);
    expect(
      commune.history.map((h: { validFrom: string; validTo: string | null; parent: { id: string } }) => [
        h.validFrom,
        h.validTo,
        h.parent.id,
      ]),
    ).toEqual([
      ['2020-01-01', '2025-06-30', a.id],
      ['2025-07-01', null, successor.id],
    ]);
    const communeThen = (await gql(UNIT, { id: a1.id, asOf: '2024-12-31' })).data!.adminUnit;
    expect(communeThen.parent.id).toBe(a.id);

    // reporting counts today's children from its replica: the merged provinces have none left
    const counts = async () =>
      (
        await gql(`query($a: ID!, $s: ID!) { a: adminUnit(id: $a) { childUnitCount } s: adminUnit(id: $s) { childUnitCount } }`, {
          a: a.id,
          s: successor.id,
        })
      ).data;
    await eventually(
      async () => ((await counts())?.s.childUnitCount === 2 ? true : undefined),
      30000,
      'successor counted with two communes',
    );
    expect(await counts()).toEqual({ a: { childUnitCount: 0 }, s: { childUnitCount: 2 } });
  });

  it('merges into an existing unit, which continues and gains the children', async () => {
    const vn = await nation();
    const p = await createUnit({ code: uniqueCode(), name: 'Tỉnh Lạng Sơn', kind: 'PROVINCE', parentId: vn.id, validFrom: '2020-01-01' });
    const x = await createUnit({ code: uniqueCode(), name: 'Xã Hồ Sơn', kind: 'COMMUNE', parentId: p.id, validFrom: '2020-01-01' });
    const y = await createUnit({ code: uniqueCode(), name: 'Xã Hòa Thắng', kind: 'COMMUNE', parentId: p.id, validFrom: '2020-01-01' });
    const v = await createUnit({ code: uniqueCode(), name: 'Thôn Đồng Bé', kind: 'VILLAGE', parentId: y.id, validFrom: '2020-01-01' });
    const res = await gql(MERGE, { input: { unitIds: [y.id], intoUnitId: x.id, basis: basis('2025-07-01') } });
    expect(res.errors).toBeUndefined();
    const xNow = (await gql(UNIT, { id: x.id })).data!.adminUnit;
    expect(xNow.validTo).toBeNull();
    expect(xNow.children.map((c: { id: string }) => c.id)).toEqual([v.id]);
    expect(xNow.predecessors.map((u: { id: string }) => u.id)).toEqual([y.id]);
    expect((await gql(UNIT, { id: y.id })).data!.adminUnit.validTo).toBe('2025-06-30');
  });
});

describe('split, rename, reclassify, move', () => {
  it('splits a commune into two, assigning its villages, and records rename, reclassification and move', async () => {
    const vn = await nation();
    const p = await createUnit({ code: uniqueCode(), name: 'Tỉnh Tây Ninh', kind: 'PROVINCE', parentId: vn.id, validFrom: '2020-01-01' });
    const q = await createUnit({ code: uniqueCode(), name: 'Tỉnh Long An', kind: 'PROVINCE', parentId: vn.id, validFrom: '2020-01-01' });
    const c = await createUnit({ code: uniqueCode(), name: 'Xã Tân Ninh', kind: 'COMMUNE', parentId: p.id, validFrom: '2020-01-01' });
    const v1 = await createUnit({ code: uniqueCode(), name: 'Ấp Một', kind: 'VILLAGE', parentId: c.id, validFrom: '2020-01-01' });
    const v2 = await createUnit({ code: uniqueCode(), name: 'Ấp Hai', kind: 'VILLAGE', parentId: c.id, validFrom: '2020-01-01' });

    const [codeA, codeB] = [uniqueCode(), uniqueCode()];
    const split = await gql(SPLIT, {
      input: {
        unitId: c.id,
        parts: [
          { code: codeA, name: 'Xã Tân Ninh A', childIds: [v1.id] },
          { code: codeB, name: 'Xã Tân Ninh B', childIds: [v2.id] },
        ],
        basis: basis('2026-01-01', 'Nghị quyết thử nghiệm'),
      },
    });
    expect(split.errors).toBeUndefined();
    const [partA, partB] = split.data!.splitAdminUnit.units;
    expect(partA.children).toEqual([{ id: v1.id }]);
    expect(partB.children).toEqual([{ id: v2.id }]);
    const old = (await gql(UNIT, { id: c.id })).data!.adminUnit;
    expect(old.validTo).toBe('2025-12-31');
    expect(old.successors.map((u: { id: string }) => u.id).sort()).toEqual([partA.id, partB.id].sort());

    const renamed = await gql(RENAME, {
      input: { unitId: partA.id, name: 'Xã Tân Hòa', basis: basis('2026-03-01', 'Nghị quyết đổi tên') },
    });
    expect(renamed.data!.renameAdminUnit.units[0].name).toBe('Xã Tân Hòa');
    const reclassified = await gql(RECLASSIFY, {
      input: { unitId: partA.id, subtype: 'WARD', name: 'Phường Tân Hòa', basis: basis('2026-06-01', 'Nghị quyết thành lập phường') },
    });
    expect(reclassified.data!.reclassifyAdminUnit.units[0]).toMatchObject({
      subtype: 'WARD',
      subtypeName: 'Phường',
      name: 'Phường Tân Hòa',
    });
    const moved = await gql(MOVE, {
      input: { unitId: partB.id, newParentId: q.id, basis: basis('2026-09-01', 'Nghị quyết điều chỉnh địa giới') },
    });
    expect(moved.errors).toBeUndefined();

    const a = (await gql(UNIT, { id: partA.id })).data!.adminUnit;
    expect(a.history.map((h: { name: string; subtype: string }) => `${h.subtype}:${h.name}`)).toEqual([
      'COMMUNE:Xã Tân Ninh A',
      'COMMUNE:Xã Tân Hòa',
      'WARD:Phường Tân Hòa',
    ]);
    expect((await gql(UNIT, { id: partA.id, asOf: '2026-02-01' })).data!.adminUnit.name).toBe('Xã Tân Ninh A');
    expect((await gql(UNIT, { id: partB.id, asOf: '2026-08-31' })).data!.adminUnit.parent.id).toBe(p.id);
    expect((await gql(UNIT, { id: partB.id })).data!.adminUnit.parent.id).toBe(q.id);
    expect(a.changes.map((ch: { type: string }) => ch.type)).toEqual(['SPLIT', 'RENAME', 'RECLASSIFY']);
  });
});

describe('refused changes write nothing and say why', () => {
  it('refuses overlap, cycle, unknown parent, wrong kind, unassigned children and non-administrators', async () => {
    const vn = await nation();
    const p = await createUnit({ code: uniqueCode(), name: 'Tỉnh Kiểm Tra', kind: 'PROVINCE', parentId: vn.id, validFrom: '2020-01-01' });
    const c = await createUnit({ code: uniqueCode(), name: 'Xã Kiểm Tra', kind: 'COMMUNE', parentId: p.id, validFrom: '2020-01-01' });
    const v = await createUnit({ code: uniqueCode(), name: 'Thôn Kiểm Tra', kind: 'VILLAGE', parentId: c.id, validFrom: '2020-01-01' });
    const p2 = await createUnit({
      code: uniqueCode(),
      name: 'Tỉnh Kiểm Tra Hai',
      kind: 'PROVINCE',
      parentId: vn.id,
      validFrom: '2020-01-01',
    });
    const c3 = await createUnit({ code: uniqueCode(), name: 'Xã Bên Kia', kind: 'COMMUNE', parentId: p2.id, validFrom: '2020-01-01' });
    const before = await hierarchyFootprint();

    const cases: [string, string, Record<string, unknown>, string, string][] = [
      [
        'a new unit from one unit only',
        MERGE,
        { input: { unitIds: [c.id], newUnit: { code: uniqueCode(), name: 'Xã Một Mình' }, basis: basis('2025-07-01') } },
        'BAD_USER_INPUT',
        'MERGE_NEEDS_TWO',
      ],
      ['cycle', MOVE, { input: { unitId: c.id, newParentId: v.id, basis: basis('2025-07-01') } }, 'BAD_USER_INPUT', 'CYCLE'],
      [
        'unknown parent',
        MOVE,
        { input: { unitId: c.id, newParentId: '00000000-0000-4000-8000-000000000000', basis: basis('2025-07-01') } },
        'NOT_FOUND',
        'UNIT_NOT_FOUND',
      ],
      [
        'wrong kind',
        MOVE,
        { input: { unitId: p.id, newParentId: c3.id, basis: basis('2025-07-01') } },
        'BAD_USER_INPUT',
        'KIND_NOT_BELOW_PARENT',
      ],
      [
        'merging different levels',
        MERGE,
        { input: { unitIds: [c.id, v.id], newUnit: { code: uniqueCode(), name: 'Xã Lẫn Cấp' }, basis: basis('2025-07-01') } },
        'BAD_USER_INPUT',
        'KINDS_DIFFER',
      ],
      [
        'effective before the unit began',
        RENAME,
        { input: { unitId: c.id, name: 'Xã Mới', basis: basis('2019-01-01') } },
        'BAD_USER_INPUT',
        'EFFECTIVE_BEFORE_UNIT_START',
      ],
      [
        'split leaving a village unassigned',
        SPLIT,
        {
          input: {
            unitId: c.id,
            parts: [
              { code: uniqueCode(), name: 'Xã A' },
              { code: uniqueCode(), name: 'Xã B' },
            ],
            basis: basis('2025-07-01'),
          },
        },
        'BAD_USER_INPUT',
        'CHILDREN_NOT_ASSIGNED',
      ],
      [
        'no legal basis',
        RENAME,
        { input: { unitId: c.id, name: 'Xã Mới', basis: { effectiveDate: '2025-07-01', legalBasis: '' } } },
        'BAD_USER_INPUT',
        'INVALID_INPUT',
      ],
    ];
    for (const [what, query, variables, code, key] of cases) {
      const res = await gql(query, variables);
      expect([what, res.errors?.[0]?.extensions?.code, res.errors?.[0]?.extensions?.messageKey]).toEqual([what, code, key]);
      expect(res.errors![0]!.message.length).toBeGreaterThan(10);
    }

    // a second province with the same code over the same dates
    const dup = await gql(`mutation($input: CreateAdminUnitInput!) { createAdminUnit(input: $input) { adminUnit { id } } }`, {
      input: { code: p.code, name: 'Tỉnh Trùng Mã', kind: 'PROVINCE', parentId: vn.id, validFrom: '2024-01-01' },
    });
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'CODE_TAKEN' });
    const c2 = await createUnit({ code: uniqueCode(), name: 'Xã Kiểm Tra Hai', kind: 'COMMUNE', parentId: p.id, validFrom: '2020-01-01' });
    const afterCreate = await hierarchyFootprint();
    const overlap = await gql(MERGE, {
      input: { unitIds: [c.id, c2.id], newUnit: { code: p.code, name: 'Xã Trùng' }, basis: basis('2025-07-01') },
    });
    expect(overlap.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'CODE_TAKEN' });

    // a commune officer may not change the hierarchy, even inside its own scope
    const officer = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: c.id }]);
    const refused = await gql(RENAME, { input: { unitId: c.id, name: 'Xã Mới', basis: basis('2025-07-01') } }, { token: officer });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    expect(await hierarchyFootprint()).toEqual(afterCreate);
    expect(Number(afterCreate!.units)).toBe(Number(before!.units) + 1);
  });
});

describe('search and order', () => {
  it('finds names without diacritics, sorts in Vietnamese order and pages with cursors', async () => {
    const vn = await nation();
    const p = await createUnit({
      code: uniqueCode(),
      name: 'Thành phố Đà Nẵng',
      kind: 'PROVINCE',
      parentId: vn.id,
      validFrom: '2020-01-01',
    });
    for (const name of ['Phường Ánh Sáng', 'Phường Anh Dũng', 'Xã Đại Lộc', 'Xã Dũng Tiến', 'Phường Bình Minh', 'Đặc khu Hoàng Sa']) {
      await createUnit({ code: uniqueCode(), name, kind: 'COMMUNE', parentId: p.id, validFrom: '2020-01-01' });
    }
    const found = await gql(LIST, { search: 'da nang', kind: 'PROVINCE' });
    expect(found.data!.adminUnits.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(p.id);

    const all = await gql(LIST, { parentId: p.id });
    expect(all.data!.adminUnits.totalCount).toBe(6);
    expect(all.data!.adminUnits.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual([
      'Đặc khu Hoàng Sa',
      'Phường Anh Dũng',
      'Phường Ánh Sáng',
      'Phường Bình Minh',
      'Xã Dũng Tiến',
      'Xã Đại Lộc',
    ]);
    const page1 = (await gql(LIST, { parentId: p.id, first: 4 })).data!.adminUnits;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await gql(LIST, { parentId: p.id, first: 4, after: page1.pageInfo.endCursor })).data!.adminUnits;
    expect(page2.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Xã Dũng Tiến', 'Xã Đại Lộc']);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    const subtype = (await gql(LIST, { parentId: p.id, search: 'hoang sa' })).data!.adminUnits.edges[0].node;
    const byCode = await gql(`query($code: String!) { adminUnit(code: $code) { id subtype subtypeName } }`, { code: subtype.code });
    expect(byCode.data!.adminUnit).toEqual({ id: subtype.id, subtype: 'SPECIAL_ZONE', subtypeName: 'Đặc khu' });
  });
});

describe('a consumer rebuilds the hierarchy with its history from the topic alone', () => {
  it('reporting’s replica, fed only by org’s events, equals org’s tables', async () => {
    // make sure there is history to rebuild: a merge and a rename
    const vn = await nation();
    const p = await createUnit({ code: uniqueCode(), name: 'Tỉnh Tái Dựng', kind: 'PROVINCE', parentId: vn.id, validFrom: '2020-01-01' });
    const c1 = await createUnit({ code: uniqueCode(), name: 'Xã Một', kind: 'COMMUNE', parentId: p.id, validFrom: '2020-01-01' });
    const c2 = await createUnit({ code: uniqueCode(), name: 'Xã Hai', kind: 'COMMUNE', parentId: p.id, validFrom: '2020-01-01' });
    const merged = await gql(MERGE, {
      input: { unitIds: [c1.id, c2.id], newUnit: { code: uniqueCode(), name: 'Xã Hợp Nhất' }, basis: basis('2025-07-01') },
    });
    await gql(RENAME, { input: { unitId: merged.data!.mergeAdminUnits.units[0].id, name: 'Xã Đổi Tên', basis: basis('2026-01-01') } });

    const orgState = async () => ({
      units: await sql('org', `select id, code, valid_from::text, valid_to::text from admin_unit order by id`),
      versions: await sql(
        'org',
        `select unit_id, valid_from::text, valid_to::text, name, kind, subtype, parent_id from admin_unit_version order by unit_id, valid_from`,
      ),
      changes: await sql('org', `select id, type, effective_date::text, legal_basis, note from admin_unit_change order by id`),
      links: await sql('org', `select change_id, unit_id, role, partial from admin_unit_change_unit order by change_id, unit_id, role`),
    });
    const replicaState = async () => ({
      units: await sql('reporting', `select id, code, valid_from::text, valid_to::text from admin_unit_replica order by id`),
      versions: await sql(
        'reporting',
        `select unit_id, valid_from::text, valid_to::text, name, kind, subtype, parent_id from admin_unit_version_replica order by unit_id, valid_from`,
      ),
      changes: await sql(
        'reporting',
        `select id, type, effective_date::text, legal_basis, note from admin_unit_change_replica order by id`,
      ),
      links: await sql(
        'reporting',
        `select change_id, unit_id, role, partial from admin_unit_change_unit_replica order by change_id, unit_id, role`,
      ),
    });
    const expected = await orgState();
    // wait for the replica to catch up; if it never does, the comparison below shows the difference
    await eventually(
      async () => (JSON.stringify(await replicaState()) === JSON.stringify(expected) ? true : undefined),
      60000,
      'replica equals org',
    ).catch(() => undefined);
    expect(await replicaState()).toEqual(expected);
  });
});
