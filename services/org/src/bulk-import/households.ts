import { rawQuery, foldVietnamese } from '@xhht/infra';
import { HOUSEHOLD_REGISTERED, HOUSEHOLD_UPDATED, householdEventData } from '../households/household.domain';
import type { ColumnMap, ColumnSpec } from './columns';
import { asJson, naturalKey, type ImportContext } from './context';
import { Batches, checkCode, checkText, earlierRow, rowCheck, stageWrittenEvents, type KindImporter, type RowValues } from './kind';

type Field = 'unitCode' | 'code' | 'headName' | 'address';

export const HOUSEHOLD_COLUMNS: ColumnSpec<Field>[] = [
  {
    field: 'unitCode',
    required: true,
    label: 'Mã thôn',
    aliases: ['Mã thôn', 'village_code', 'Mã đơn vị', 'unit_code', 'Mã thôn/tổ dân phố'],
  },
  { field: 'code', required: true, label: 'Mã hộ', aliases: ['Mã hộ', 'household_code', 'Mã hộ gia đình', 'code'] },
  { field: 'headName', required: true, label: 'Chủ hộ', aliases: ['Chủ hộ', 'head_name', 'Họ tên chủ hộ', 'Tên chủ hộ', 'head'] },
  { field: 'address', required: false, label: 'Địa chỉ', aliases: ['Địa chỉ', 'address'] },
];

interface Pending {
  row: number;
  unitCode: string;
  code: string;
  headName: string;
  address: string | null;
}

/** Households live in a village (or, where there are no villages, a commune). */
const UNIT_KINDS = ['VILLAGE', 'COMMUNE'] as const;

export function householdImporter(ctx: ImportContext, columns: () => ColumnMap<string>): KindImporter<Field, Pending> {
  const seen = new Map<string, number>();
  const batches = new Batches<Pending>();
  const column = (f: Field) => columns().header[f]!;

  return {
    columns: HOUSEHOLD_COLUMNS,

    add(row: number, v: RowValues<Field>) {
      const check = rowCheck(ctx, row, v, column);
      check.fail('unitCode', checkCode(v.unitCode));
      check.fail('code', checkCode(v.code));
      check.fail('headName', checkText(v.headName, 200, true));
      check.fail('address', checkText(v.address, 500, false));
      if (!check.ok) return;
      const first = earlierRow(seen, naturalKey(v.unitCode, v.code), row);
      if (first !== undefined) return check.fail('code', `Trùng mã hộ trong cùng thôn với dòng ${first}`);
      batches.push({ row, unitCode: v.unitCode, code: v.code, headName: v.headName, address: v.address === '' ? null : v.address });
    },

    take: (min: number) => batches.take(min),

    async write(batch: Pending[]) {
      await ctx.resolveUnits(batch.map((p) => p.unitCode));
      const rows: { u: string; c: string; n: string; f: string; a: string | null }[] = [];
      for (const p of batch) {
        const unit = ctx.unit(p.unitCode, UNIT_KINDS);
        if (typeof unit === 'string') {
          ctx.errors.add(p.row, column('unitCode'), p.unitCode, unit);
          continue;
        }
        rows.push({ u: unit.id, c: p.code, n: p.headName, f: foldVietnamese(p.headName), a: p.address });
      }
      if (rows.length === 0) return;
      await ctx.em().transactional(async (em) => {
        // unchanged rows match the WHERE of DO UPDATE as false: no new tuple, not returned, no event
        const written = await rawQuery<{ id: string; unitId: string; code: string; inserted: boolean }[]>(
          em,
          `insert into household as h (id, unit_id, code, head_name, head_name_folded, address, created_by, updated_by)
           select gen_random_uuid(), x.u, x.c, x.n, x.f, x.a, ?, ?
           from jsonb_to_recordset(?::jsonb) as x(u uuid, c text, n text, f text, a text)
           on conflict (unit_id, code) do update
             set head_name = excluded.head_name, head_name_folded = excluded.head_name_folded, address = excluded.address,
                 updated_at = now(), updated_by = excluded.updated_by
             where (h.head_name, h.address) is distinct from (excluded.head_name, excluded.address)
           returning h.id, h.unit_id as "unitId", h.code, (h.xmax = 0) as inserted`,
          [ctx.actor, ctx.actor, asJson(rows)],
        );
        await stageWrittenEvents(ctx, em, { registered: HOUSEHOLD_REGISTERED, updated: HOUSEHOLD_UPDATED }, written, householdEventData);
      });
    },

    async finish() {
      const rest = batches.take(1);
      if (rest) await this.write(rest);
    },
  };
}
