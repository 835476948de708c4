import { randomUUID } from 'node:crypto';
import { foldVietnamese } from '@xhht/infra';
import { HOUSEHOLD_REGISTERED, HOUSEHOLD_UPDATED, householdEventData } from '../households/household.domain';
import type { ColumnMap, ColumnSpec } from './columns';
import { naturalKey, type ImportContext } from './context';
import { copyLine } from './copy';
import { Batches, checkCode, checkText, earlierRow, rowCheck, type KindImporter, type RowValues } from './kind';
import { UnchangedProbe, writeStagedBatch } from './staged-batch';

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
  const unchanged = new UnchangedProbe();
  const column = (f: Field) => columns().header[f]!;

  return {
    columns: HOUSEHOLD_COLUMNS,
    // batches are independent: a natural key appears once in the file, units are only read
    concurrency: 2,

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
      const lines: string[] = [];
      for (const p of batch) {
        const unit = ctx.unit(p.unitCode, UNIT_KINDS);
        if (typeof unit === 'string') {
          ctx.errors.add(p.row, column('unitCode'), p.unitCode, unit);
          continue;
        }
        lines.push(copyLine([randomUUID(), unit.id, p.code, p.headName, foldVietnamese(p.headName), p.address]));
      }
      if (lines.length === 0) return;
      const written = await writeStagedBatch(ctx, {
        temp: { name: 'import_household', columns: { i: 'uuid', u: 'uuid', c: 'text', n: 'text', f: 'text', a: 'text' } },
        lines,
        skipUnchanged: unchanged.enabled ? { table: 'household', compare: { head_name: 'n', address: 'a' } } : undefined,
        upsert: `insert into household as h (id, unit_id, code, head_name, head_name_folded, address, created_by, updated_by)
          select i, u, c, n, f, a, $1, $1 from changed
          on conflict (unit_id, code) do update
            set head_name = excluded.head_name, head_name_folded = excluded.head_name_folded, address = excluded.address,
                updated_at = now(), updated_by = excluded.updated_by
            where (h.head_name, h.address) is distinct from (excluded.head_name, excluded.address)
          returning h.id, h.unit_id, h.code, (h.xmax = 0) as inserted`,
        params: [ctx.actor],
        eventData: `jsonb_build_object('id', id, 'unitId', unit_id, 'code', code)`,
        types: { registered: HOUSEHOLD_REGISTERED, updated: HOUSEHOLD_UPDATED },
        domainData: householdEventData,
      });
      unchanged.record(lines.length, written);
    },

    async finish() {
      const rest = batches.take(1);
      if (rest) await this.write(rest);
    },
  };
}
