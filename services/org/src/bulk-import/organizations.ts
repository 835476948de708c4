import { randomUUID } from 'node:crypto';
import { foldVietnamese, insertOutboxBatch, newEvent, type CloudEvent } from '@xhht/infra';
import { readOrganizationType, type ColumnMap, type ColumnSpec, type OrganizationType } from './columns';
import { asJson, query, resolveOrganizationRefs, type ImportContext } from './context';
import { checkCode, checkText, type KindImporter, type RowValues } from './kind';

type Field = 'unitCode' | 'code' | 'name' | 'type' | 'parentCode' | 'parentUnitCode';

export const ORGANIZATION_COLUMNS: ColumnSpec<Field>[] = [
  { field: 'unitCode', required: true, label: 'Mã đơn vị', aliases: ['Mã đơn vị', 'unit_code', 'Mã địa bàn'] },
  { field: 'code', required: true, label: 'Mã tổ chức', aliases: ['Mã tổ chức', 'org_code', 'organization_code', 'Mã cơ quan', 'code'] },
  { field: 'name', required: true, label: 'Tên tổ chức', aliases: ['Tên tổ chức', 'name', 'Tên cơ quan', 'Tên', 'organization_name'] },
  { field: 'type', required: true, label: 'Loại hình', aliases: ['Loại hình', 'type', 'Loại', 'Loại tổ chức'] },
  {
    field: 'parentCode',
    required: false,
    label: 'Mã tổ chức cấp trên',
    aliases: ['Mã tổ chức cấp trên', 'parent_org_code', 'parent_code', 'parent_organization_code', 'Mã cơ quan cấp trên', 'Mã tổ chức cha'],
  },
  {
    field: 'parentUnitCode',
    required: false,
    label: 'Mã đơn vị của tổ chức cấp trên',
    aliases: ['Mã đơn vị của tổ chức cấp trên', 'parent_unit_code'],
  },
];

interface Pending {
  row: number;
  unitCode: string;
  code: string;
  name: string;
  type: OrganizationType;
  parentCode: string;
  parentUnitCode: string;
}

interface Located extends Pending {
  unitId: string;
  parentUnitId: string;
  id: string;
  parentId: string | null;
}

const CHUNK = 5000;

/**
 * Organizations are kept until the whole file is read, because a parent may come after its
 * children; they are then written in one transaction (foreign keys are checked at commit).
 */
export function organizationImporter(ctx: ImportContext, columns: () => ColumnMap<string>): KindImporter<Field, Pending> {
  const seen = new Map<string, number>();
  const all: Pending[] = [];
  const column = (f: Field) => columns().header[f]!;

  return {
    columns: ORGANIZATION_COLUMNS,

    add(row: number, v: RowValues<Field>) {
      let ok = true;
      const fail = (f: Field, reason: string | undefined) => {
        if (reason === undefined) return;
        ctx.errors.add(row, column(f), v[f], reason);
        ok = false;
      };
      fail('unitCode', checkCode(v.unitCode));
      fail('code', checkCode(v.code));
      fail('name', checkText(v.name, 300, true));
      const type = readOrganizationType(v.type);
      if (v.type === '') fail('type', 'Thiếu giá trị bắt buộc');
      else if (!type)
        fail('type', 'Loại hình tổ chức không hợp lệ (ví dụ: Cơ quan nhà nước, Trường học, Hội Khuyến học, Doanh nghiệp, Khác)');
      if (v.parentCode !== '') fail('parentCode', checkCode(v.parentCode));
      if (v.parentUnitCode !== '' && v.parentCode === '')
        fail('parentCode', 'Có mã đơn vị của tổ chức cấp trên nhưng thiếu mã tổ chức cấp trên');
      if (!ok) return;
      const parentUnitCode = v.parentUnitCode || v.unitCode;
      if (v.parentCode === v.code && parentUnitCode === v.unitCode) return fail('parentCode', 'Tổ chức không thể là cấp trên của chính nó');
      const key = `${v.unitCode}\u0000${v.code}`;
      const first = seen.get(key);
      if (first !== undefined) return fail('code', `Trùng mã tổ chức trong cùng đơn vị với dòng ${first}`);
      seen.set(key, row);
      all.push({ row, unitCode: v.unitCode, code: v.code, name: v.name, type: type!, parentCode: v.parentCode, parentUnitCode });
    },

    take: () => undefined,
    write: async () => undefined,

    async finish() {
      await ctx.resolveUnits(all.flatMap((p) => [p.unitCode, p.parentUnitCode]));
      const located: Located[] = [];
      for (const p of all) {
        const unit = ctx.unit(p.unitCode, null);
        if (typeof unit === 'string') {
          ctx.errors.add(p.row, column('unitCode'), p.unitCode, unit);
          continue;
        }
        const parentUnit = ctx.unit(p.parentUnitCode, null);
        if (p.parentCode && typeof parentUnit === 'string') {
          ctx.errors.add(p.row, column('parentUnitCode'), p.parentUnitCode, parentUnit);
          continue;
        }
        located.push({
          ...p,
          unitId: unit.id,
          parentUnitId: typeof parentUnit === 'string' ? unit.id : parentUnit.id,
          id: '',
          parentId: null,
        });
      }
      if (located.length === 0) return;
      const em = ctx.em();
      // ids: the existing one for a known (unit, code), a new one otherwise, so parents in the file can be referenced
      const existing = new Map<string, string>();
      for (let i = 0; i < located.length; i += CHUNK) {
        const found = await query<{ id: string; unit_id: string; code: string }[]>(
          em,
          `select o.id, o.unit_id, o.code from organization o
           join jsonb_to_recordset(?::jsonb) as x(u uuid, c text) on o.unit_id = x.u and o.code = x.c`,
          [asJson(located.slice(i, i + CHUNK).map((l) => ({ u: l.unitId, c: l.code })))],
        );
        for (const o of found) existing.set(`${o.unit_id}\u0000${o.code}`, o.id);
      }
      for (const l of located) l.id = existing.get(`${l.unitId}\u0000${l.code}`) ?? randomUUID();

      // parents: a rejected parent rejects its children, until nothing changes
      let live = located;
      for (;;) {
        const inFile = new Map(live.map((l) => [`${l.unitId}\u0000${l.code}`, l.id]));
        const withParent = live.filter((l) => l.parentCode);
        const parentIds = await resolveOrganizationRefs(
          ctx,
          em,
          withParent.map((l) => ({ unitId: l.parentUnitId, code: l.parentCode })),
          inFile,
        );
        withParent.forEach((l, i) => (l.parentId = parentIds[i] ?? null));
        const missing = withParent.filter((l) => !l.parentId);
        for (const l of missing) {
          ctx.errors.add(
            l.row,
            column('parentCode'),
            l.parentCode,
            `Không có tổ chức cấp trên mã "${l.parentCode}" tại đơn vị "${l.parentUnitCode}" hoặc đơn vị cấp trên`,
          );
        }
        const cyclic = cycles(live);
        for (const l of cyclic) ctx.errors.add(l.row, column('parentCode'), l.parentCode, 'Quan hệ cấp trên tạo thành vòng lặp');
        if (missing.length === 0 && cyclic.length === 0) break;
        const dropped = new Set([...missing, ...cyclic]);
        live = live.filter((l) => !dropped.has(l));
      }
      if (live.length === 0) return;

      await em.transactional(async (tem) => {
        for (let i = 0; i < live.length; i += CHUNK) {
          const rows = live.slice(i, i + CHUNK).map((l) => ({
            i: l.id,
            u: l.unitId,
            c: l.code,
            n: l.name,
            f: foldVietnamese(l.name),
            t: l.type,
            p: l.parentId,
          }));
          const written = await query<
            {
              id: string;
              unit_id: string;
              code: string;
              name: string;
              type: string;
              parent_id: string | null;
              valid_from: string;
              valid_to: string | null;
              inserted: boolean;
            }[]
          >(
            tem,
            `insert into organization as o (id, unit_id, code, name, name_folded, type, parent_id, valid_from, created_by, updated_by)
             select x.i, x.u, x.c, x.n, x.f, x.t, x.p, ?::date, ?, ?
             from jsonb_to_recordset(?::jsonb) as x(i uuid, u uuid, c text, n text, f text, t text, p uuid)
             on conflict (unit_id, code) do update
               set name = excluded.name, name_folded = excluded.name_folded, type = excluded.type, parent_id = excluded.parent_id,
                   updated_at = now(), updated_by = excluded.updated_by
               where (o.name, o.type, o.parent_id) is distinct from (excluded.name, excluded.type, excluded.parent_id)
             returning o.id, o.unit_id, o.code, o.name, o.type, o.parent_id, o.valid_from::text, o.valid_to::text,
               (o.xmax = 0) as inserted`,
            [ctx.today, ctx.actor, ctx.actor, asJson(rows)],
          );
          const time = new Date();
          const events: CloudEvent[] = written.map((w) =>
            newEvent(
              w.inserted ? 'vn.xhht.org.organization.registered.v1' : 'vn.xhht.org.organization.updated.v1',
              w.id,
              {
                id: w.id,
                unitId: w.unit_id,
                code: w.code,
                name: w.name,
                type: w.type,
                parentId: w.parent_id,
                validFrom: w.valid_from,
                validTo: w.valid_to,
              },
              time,
            ),
          );
          await insertOutboxBatch(ctx.catalog, (sql, params) => query(tem, sql, params), events);
          for (const w of written) {
            if (w.inserted) ctx.counts.inserted++;
            else ctx.counts.updated++;
          }
        }
      });
    },
  };
}

/** Rows of the file whose parent chain (within the file) comes back to themselves. */
function cycles(rows: Located[]): Located[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const result: Located[] = [];
  for (const start of rows) {
    let steps = 0;
    for (let cur = start.parentId ? byId.get(start.parentId) : undefined; cur && steps <= rows.length; steps++) {
      if (cur === start) {
        result.push(start);
        break;
      }
      cur = cur.parentId ? byId.get(cur.parentId) : undefined;
    }
  }
  return result;
}
