import { randomUUID } from 'node:crypto';
import { foldVietnamese, outboxEventTemplates, outboxInsertSql } from '@xhht/infra';
import { HOUSEHOLD_REGISTERED, HOUSEHOLD_UPDATED, householdEventData } from '../households/household.domain';
import type { ColumnMap, ColumnSpec } from './columns';
import { naturalKey, type ImportContext } from './context';
import { bulkTransaction, copyLine, copyRows } from './copy';
import {
  Batches,
  STAGED_COUNTS,
  checkCode,
  checkStagedEvents,
  checkText,
  earlierRow,
  rowCheck,
  type KindImporter,
  type RowValues,
  type StagedCounts,
  UnchangedProbe,
} from './kind';

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
      await bulkTransaction(ctx.orm, { import_household: 'i uuid, u uuid, c text, n text, f text, a text' }, async (client) => {
        await copyRows(client, 'import_household', ['i', 'u', 'c', 'n', 'f', 'a'], lines);
        // Rows already there with the same values are left out before the upsert (see
        // UnchangedProbe). The upsert's own WHERE still decides for rows that change between the
        // two (a concurrent writer): unchanged ones are not returned. A scalar subquery, so each row
        // is one probe of the unique index: as NOT EXISTS the planner may hash the whole table for
        // every batch.
        const probe = unchanged.enabled;
        const result = await client.query<StagedCounts>(
          `with changed as (
             select s.* from import_household s
             ${
               probe
                 ? `where (select true from household h where h.unit_id = s.u and h.code = s.c
                      and (h.head_name, h.address) is not distinct from (s.n, s.a)) is null`
                 : ''
             }
           ), written as (
             insert into household as h (id, unit_id, code, head_name, head_name_folded, address, created_by, updated_by)
             select i, u, c, n, f, a, $1, $1 from changed
             on conflict (unit_id, code) do update
               set head_name = excluded.head_name, head_name_folded = excluded.head_name_folded, address = excluded.address,
                   updated_at = now(), updated_by = excluded.updated_by
               where (h.head_name, h.address) is distinct from (excluded.head_name, excluded.address)
             returning h.id, h.unit_id, h.code, (h.xmax = 0) as inserted
           ), events as (
             select id::text as subject, case when inserted then $2 else $3 end as event_type,
               jsonb_build_object('id', id, 'unitId', unit_id, 'code', code) as data
             from written
           ), staged as (${outboxInsertSql('events', '$4')})
           ${STAGED_COUNTS}`,
          [ctx.actor, HOUSEHOLD_REGISTERED, HOUSEHOLD_UPDATED, outboxEventTemplates([HOUSEHOLD_REGISTERED, HOUSEHOLD_UPDATED])],
        );
        await checkStagedEvents(ctx, client, result.rows[0]!, householdEventData);
        unchanged.record(lines.length, result.rows[0]!.inserted + result.rows[0]!.updated);
      });
    },

    async finish() {
      const rest = batches.take(1);
      if (rest) await this.write(rest);
    },
  };
}
