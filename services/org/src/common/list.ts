import type { EntityManager } from '@mikro-orm/postgresql';
import { connection, foldVietnamese, pageWindow, rawQuery, todayInVietnam, uuidArray, type Connection, type PageArgs } from '@xhht/infra';
import { subtreeWithHistory } from '../admin-units/admin-unit.repository';

export interface ListArgs extends PageArgs {
  unitId?: string | null;
  search?: string | null;
}

export interface ListSpec {
  table: 'organization' | 'household' | 'person' | 'clan';
  /** the display name column (sorted in Vietnamese order) and its folded twin (searched) */
  nameColumn: string;
  foldedColumn: string;
  /** extra conditions with their parameters, e.g. the caller's visibility */
  where?: { sql: string; params: unknown[] }[];
}

/**
 * One page of participants, filtered by unit (the unit, everything below it, and units merged
 * into those — "found under the successor") and by a diacritic-insensitive search, sorted in
 * Vietnamese order. Two statements: the page of ids with the total, then the rows by id.
 */
export async function listPage<T extends { id: string }>(
  em: EntityManager,
  entity: new () => T,
  spec: ListSpec,
  args: ListArgs,
): Promise<Connection<T>> {
  const { limit, offset } = pageWindow(args);
  const conds: string[] = [];
  const params: unknown[] = [];
  if (args.unitId) {
    conds.push('unit_id = any(?::uuid[])');
    params.push(uuidArray(await subtreeWithHistory(em, args.unitId, todayInVietnam())));
  }
  const search = args.search ? foldVietnamese(args.search).trim() : '';
  if (search) {
    conds.push(`${spec.foldedColumn} like ?`);
    params.push(`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  for (const w of spec.where ?? []) {
    conds.push(`(${w.sql})`);
    params.push(...w.params);
  }
  // bound, not inlined: the unit list of a province runs to thousands of ids
  const rows = await rawQuery<{ id: string; total: number }[]>(
    em,
    `select id, count(*) over()::int as total from ${spec.table}
     ${conds.length ? `where ${conds.join(' and ')}` : ''}
     order by ${spec.nameColumn} collate "vi-x-icu", code, id
     limit ? offset ?`,
    [...params, limit, offset],
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && offset > 0) {
    const c = await rawQuery<{ n: number }[]>(
      em,
      `select count(*)::int as n from ${spec.table} ${conds.length ? `where ${conds.join(' and ')}` : ''}`,
      params,
    );
    total = c[0]?.n ?? 0;
  }
  const ids = rows.map((r) => r.id);
  const found = ids.length ? await em.find(entity, { id: { $in: ids } } as never) : [];
  const byId = new Map(found.map((e) => [e.id, e]));
  return connection(
    ids.map((id) => byId.get(id)!),
    total,
    offset,
  );
}
