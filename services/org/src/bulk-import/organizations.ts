import { randomUUID } from 'node:crypto';
import { foldVietnamese } from '@xhht/infra';
import { ORGANIZATION_REGISTERED, ORGANIZATION_UPDATED, organizationEventData } from '../organizations/organization.domain';
import { readOrganizationType, type ColumnMap, type ColumnSpec, type OrganizationType } from './columns';
import { idsByNaturalKey, naturalKey, resolveOrganizationRefs, type ImportContext } from './context';
import { copyLine } from './copy';
import { checkCode, checkText, earlierRow, rowCheck, type KindImporter, type RowValues } from './kind';
import { writeStagedBatch } from './staged-batch';

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

/**
 * Organizations are kept until the whole file is read, because a parent may come after its
 * children; they are then written in one statement (foreign keys are checked at commit).
 */
export function organizationImporter(ctx: ImportContext, columns: () => ColumnMap<string>): KindImporter<Field, Pending> {
  const seen = new Map<string, number>();
  const all: Pending[] = [];
  const column = (f: Field) => columns().header[f]!;

  return {
    columns: ORGANIZATION_COLUMNS,

    add(row: number, v: RowValues<Field>) {
      const check = rowCheck(ctx, row, v, column);
      const fail = check.fail;
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
      if (!check.ok) return;
      const parentUnitCode = v.parentUnitCode || v.unitCode;
      if (v.parentCode === v.code && parentUnitCode === v.unitCode) return fail('parentCode', 'Tổ chức không thể là cấp trên của chính nó');
      const first = earlierRow(seen, naturalKey(v.unitCode, v.code), row);
      if (first !== undefined) return fail('code', `Trùng mã tổ chức trong cùng đơn vị với dòng ${first}`);
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
      const existing = await idsByNaturalKey(
        em,
        'organization',
        located.map((l) => ({ unitId: l.unitId, code: l.code })),
      );
      for (const l of located) l.id = existing.get(naturalKey(l.unitId, l.code)) ?? randomUUID();

      // parents: a rejected parent rejects its children, until nothing changes
      let live = located;
      for (;;) {
        const inFile = new Map(live.map((l) => [naturalKey(l.unitId, l.code), l.id]));
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

      const lines = live.map((l) => copyLine([l.id, l.unitId, l.code, l.name, foldVietnamese(l.name), l.type, l.parentId]));
      await writeStagedBatch(ctx, {
        temp: { name: 'import_organization', columns: { i: 'uuid', u: 'uuid', c: 'text', n: 'text', f: 'text', t: 'text', p: 'uuid' } },
        lines,
        skipUnchanged: { table: 'organization', compare: { name: 'n', type: 't', parent_id: 'p' } },
        upsert: `insert into organization as o (id, unit_id, code, name, name_folded, type, parent_id, valid_from, created_by, updated_by)
          select i, u, c, n, f, t, p, $1::date, $2, $2 from changed
          on conflict (unit_id, code) do update
            set name = excluded.name, name_folded = excluded.name_folded, type = excluded.type, parent_id = excluded.parent_id,
                updated_at = now(), updated_by = excluded.updated_by
            where (o.name, o.type, o.parent_id) is distinct from (excluded.name, excluded.type, excluded.parent_id)
          returning o.id, o.unit_id, o.code, o.name, o.type, o.parent_id, o.valid_from, o.valid_to, (o.xmax = 0) as inserted`,
        params: [ctx.today, ctx.actor],
        eventData: `jsonb_build_object('id', id, 'unitId', unit_id, 'code', code, 'name', name, 'type', type, 'parentId', parent_id,
          'validFrom', to_char(valid_from, 'YYYY-MM-DD'), 'validTo', to_char(valid_to, 'YYYY-MM-DD'))`,
        types: { registered: ORGANIZATION_REGISTERED, updated: ORGANIZATION_UPDATED },
        domainData: organizationEventData,
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
