import { randomUUID } from 'node:crypto';
import { rawQuery, foldVietnamese } from '@xhht/infra';
import { CLAN_REGISTERED, CLAN_UPDATED, clanEventData } from '../clans/clan.domain';
import type { ColumnMap, ColumnSpec } from './columns';
import { asJson, idsByNaturalKey, naturalKey, type ImportContext } from './context';
import { checkCode, checkText, earlierRow, rowCheck, stageWrittenEvents, type KindImporter, type RowValues } from './kind';

type Field = 'unitCode' | 'code' | 'name' | 'branch' | 'memberUnitCode' | 'memberHouseholdCode';

export const CLAN_COLUMNS: ColumnSpec<Field>[] = [
  { field: 'unitCode', required: true, label: 'Mã xã', aliases: ['Mã xã', 'commune_code', 'Mã đơn vị', 'unit_code'] },
  { field: 'code', required: true, label: 'Mã dòng họ', aliases: ['Mã dòng họ', 'clan_code', 'Mã họ tộc', 'code'] },
  { field: 'name', required: true, label: 'Tên dòng họ', aliases: ['Tên dòng họ', 'name', 'clan_name', 'Dòng họ', 'Tên'] },
  { field: 'branch', required: false, label: 'Chi', aliases: ['Chi', 'branch', 'Chi tộc', 'Nhánh', 'Chi họ'] },
  {
    field: 'memberUnitCode',
    required: false,
    label: 'Mã thôn',
    aliases: ['Mã thôn', 'village_code', 'member_village_code', 'Mã thôn của hộ'],
  },
  { field: 'memberHouseholdCode', required: false, label: 'Mã hộ', aliases: ['Mã hộ', 'household_code', 'member_household_code'] },
];

interface Pending {
  row: number;
  unitCode: string;
  code: string;
  name: string;
  branch: string;
  memberUnitCode: string;
  memberHouseholdCode: string;
}

const CHUNK = 5000;

/**
 * Clans: one row per member household (a row without a household registers the clan alone).
 * Rows of one clan may be anywhere in the file, so clans are kept until it is read. The file adds
 * branches and member households and moves members between branches; it never removes members
 * (a commune may import its clans village by village).
 */
export function clanImporter(ctx: ImportContext, columns: () => ColumnMap<string>): KindImporter<Field, Pending> {
  const clanNames = new Map<string, { name: string; row: number }>();
  const members = new Map<string, number>();
  const all: Pending[] = [];
  const column = (f: Field) => columns().header[f]!;

  return {
    columns: CLAN_COLUMNS,

    add(row: number, v: RowValues<Field>) {
      const check = rowCheck(ctx, row, v, column);
      const fail = check.fail;
      fail('unitCode', checkCode(v.unitCode));
      fail('code', checkCode(v.code));
      fail('name', checkText(v.name, 200, true));
      fail('branch', checkText(v.branch, 200, false));
      if (v.memberHouseholdCode !== '' || v.memberUnitCode !== '') {
        fail('memberUnitCode', checkCode(v.memberUnitCode));
        fail('memberHouseholdCode', checkCode(v.memberHouseholdCode));
      }
      if (!check.ok) return;
      const clanKey = naturalKey(v.unitCode, v.code);
      const known = clanNames.get(clanKey);
      if (known && known.name !== v.name) return fail('name', `Tên dòng họ khác với dòng ${known.row} ("${known.name}")`);
      if (v.memberHouseholdCode !== '') {
        const first = earlierRow(members, `${clanKey}\u0000${v.memberUnitCode}\u0000${v.memberHouseholdCode}`, row);
        if (first !== undefined) return fail('memberHouseholdCode', `Hộ này đã có trong dòng họ ở dòng ${first}`);
      }
      if (!known) clanNames.set(clanKey, { name: v.name, row });
      all.push({ row, ...v });
    },

    take: () => undefined,
    write: async () => undefined,

    async finish() {
      await ctx.resolveUnits(all.flatMap((p) => (p.memberUnitCode ? [p.unitCode, p.memberUnitCode] : [p.unitCode])));
      const em = ctx.em();
      const located: (Pending & { unitId: string; memberUnitId: string | null })[] = [];
      for (const p of all) {
        const unit = ctx.unit(p.unitCode, ['COMMUNE']);
        if (typeof unit === 'string') {
          ctx.errors.add(p.row, column('unitCode'), p.unitCode, unit);
          continue;
        }
        let memberUnitId: string | null = null;
        if (p.memberUnitCode) {
          const mu = ctx.unit(p.memberUnitCode, ['VILLAGE', 'COMMUNE']);
          if (typeof mu === 'string') {
            ctx.errors.add(p.row, column('memberUnitCode'), p.memberUnitCode, mu);
            continue;
          }
          memberUnitId = mu.id;
        }
        located.push({ ...p, unitId: unit.id, memberUnitId });
      }
      const households = await idsByNaturalKey(
        em,
        'household',
        located.filter((l) => l.memberUnitId).map((l) => ({ unitId: l.memberUnitId!, code: l.memberHouseholdCode })),
      );
      const good = located.filter((l) => {
        if (!l.memberUnitId || households.has(naturalKey(l.memberUnitId, l.memberHouseholdCode))) return true;
        ctx.errors.add(
          l.row,
          column('memberHouseholdCode'),
          l.memberHouseholdCode,
          `Không có hộ mã "${l.memberHouseholdCode}" trong thôn "${l.memberUnitCode}"`,
        );
        return false;
      });
      if (good.length === 0) return;

      // one entry per clan (the first good row gives its name), with the branches and members the file lists
      const clans = new Map<string, { unitId: string; code: string; name: string; id: string; branches: Set<string> }>();
      for (const l of good) {
        const key = naturalKey(l.unitId, l.code);
        const clan = clans.get(key) ?? { unitId: l.unitId, code: l.code, name: l.name, id: '', branches: new Set<string>() };
        if (l.branch) clan.branches.add(l.branch);
        clans.set(key, clan);
      }

      ctx.counts.records = clans.size;
      await em.transactional(async (tem) => {
        const clanList = [...clans.values()];
        const changed = new Map<string, boolean>(); // clan id → inserted
        for (let i = 0; i < clanList.length; i += CHUNK) {
          const written = await rawQuery<{ id: string; unit_id: string; code: string; inserted: boolean }[]>(
            tem,
            `insert into clan as c (id, unit_id, code, name, name_folded, created_by, updated_by)
             select gen_random_uuid(), x.u, x.c, x.n, x.f, ?, ?
             from jsonb_to_recordset(?::jsonb) as x(u uuid, c text, n text, f text)
             on conflict (unit_id, code) do update
               set name = excluded.name, name_folded = excluded.name_folded, updated_at = now(), updated_by = excluded.updated_by
               where c.name is distinct from excluded.name
             returning c.id, c.unit_id, c.code, (c.xmax = 0) as inserted`,
            [
              ctx.actor,
              ctx.actor,
              asJson(clanList.slice(i, i + CHUNK).map((c) => ({ u: c.unitId, c: c.code, n: c.name, f: foldVietnamese(c.name) }))),
            ],
          );
          for (const w of written) changed.set(w.id, w.inserted);
        }
        const ids = await idsByNaturalKey(tem, 'clan', clanList);
        for (const c of clanList) c.id = ids.get(naturalKey(c.unitId, c.code))!;
        const touch = (id: string) => {
          if (!changed.has(id)) changed.set(id, false);
        };

        const branchRows = clanList.flatMap((c) => [...c.branches].map((b) => ({ i: randomUUID(), c: c.id, n: b })));
        for (let i = 0; i < branchRows.length; i += CHUNK) {
          const added = await rawQuery<{ clan_id: string }[]>(
            tem,
            `insert into clan_branch (id, clan_id, name)
             select x.i, x.c, x.n from jsonb_to_recordset(?::jsonb) as x(i uuid, c uuid, n text)
             on conflict (clan_id, name) do nothing
             returning clan_id`,
            [asJson(branchRows.slice(i, i + CHUNK))],
          );
          for (const a of added) touch(a.clan_id);
        }
        const memberRows = good
          .filter((l) => l.memberUnitId)
          .map((l) => ({
            c: clans.get(naturalKey(l.unitId, l.code))!.id,
            h: households.get(naturalKey(l.memberUnitId!, l.memberHouseholdCode))!,
            b: l.branch || null,
          }));
        for (let i = 0; i < memberRows.length; i += CHUNK) {
          const added = await rawQuery<{ clan_id: string }[]>(
            tem,
            `insert into clan_household as m (clan_id, household_id, branch_id)
             select x.c, x.h, b.id
             from jsonb_to_recordset(?::jsonb) as x(c uuid, h uuid, b text)
             left join clan_branch b on b.clan_id = x.c and b.name = x.b
             on conflict (clan_id, household_id) do update set branch_id = excluded.branch_id
               where m.branch_id is distinct from excluded.branch_id
             returning m.clan_id`,
            [asJson(memberRows.slice(i, i + CHUNK))],
          );
          for (const a of added) touch(a.clan_id);
        }

        // events carry the clan's whole resulting state
        const written = [...changed].map(([id, inserted]) => ({ id, inserted }));
        const states = new Map<string, object>();
        for (let i = 0; i < written.length; i += CHUNK) {
          for (const [id, state] of await clanEventData(
            tem,
            written.slice(i, i + CHUNK).map((w) => w.id),
          ))
            states.set(id, state);
        }
        await stageWrittenEvents(ctx, tem, { registered: CLAN_REGISTERED, updated: CLAN_UPDATED }, written, (w) => states.get(w.id)!);
      });
    },
  };
}
