import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  connection,
  pageWindow,
  rawQuery,
  todayInVietnam,
  uuidArray,
  type Connection,
  type PageArgs,
  type ReplicaScope,
} from '@xhht/infra';
import { RecognitionCycle } from './recognition-cycle.entity';

/** A cycle by id, or null. */
export const findCycle = (em: EntityManager, id: string): Promise<RecognitionCycle | null> => em.findOne(RecognitionCycle, { id });

/** Cycles by id, one statement per batch: `loaders.cycleById` in every request. */
export const cycleByIdLoader = (em: EntityManager) =>
  new DataLoader<string, RecognitionCycle | null>(async (ids) => {
    const rows = await em.find(RecognitionCycle, { id: { $in: [...ids] } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/** The unit and its ancestors today, from the hierarchy replica. */
async function ancestorsToday(em: EntityManager, unitId: string): Promise<string[]> {
  const today = todayInVietnam();
  const rows = await rawQuery<{ id: string }[]>(
    em,
    `with recursive up(id, depth) as (
       select ?::uuid, 0
       union
       select v.parent_id, up.depth + 1 from up
       join admin_unit_version_replica v on v.unit_id = up.id
       where v.parent_id is not null and v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date) and up.depth < 20
     ) select id from up`,
    [unitId, today, today],
  );
  return rows.map((r) => r.id);
}

export interface CycleListArgs extends PageArgs {
  year?: number | null;
  title?: string | null;
  unitId?: string | null;
}

/**
 * Cycles, newest year first. With `unitId`: the cycles that concern the unit — decided by it, by a
 * unit above it (e.g. the province deciding its communes' Learning Communities) or by a unit below
 * it (including units merged into them).
 */
export async function listCycles(em: EntityManager, scope: ReplicaScope, args: CycleListArgs): Promise<Connection<RecognitionCycle>> {
  const { limit, offset } = pageWindow(args);
  const conds: string[] = [];
  const params: unknown[] = [];
  if (args.year != null) {
    conds.push('year = ?');
    params.push(args.year);
  }
  if (args.title) {
    conds.push('title = ?');
    params.push(args.title);
  }
  if (args.unitId) {
    const units = new Set([...(await scope.subtree(args.unitId, todayInVietnam())), ...(await ancestorsToday(em, args.unitId))]);
    conds.push('deciding_unit_id = any(?::uuid[])');
    params.push(uuidArray(units));
  }
  const where = conds.length ? `where ${conds.join(' and ')}` : '';
  const rows = await rawQuery<{ id: string; total: number }[]>(
    em,
    `select id, count(*) over()::int as total from recognition_cycle ${where}
     order by year desc, decision_deadline, name collate "vi-x-icu", id limit ? offset ?`,
    [...params, limit, offset],
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && offset > 0) {
    total = (await rawQuery<{ n: number }[]>(em, `select count(*)::int as n from recognition_cycle ${where}`, params))[0]?.n ?? 0;
  }
  const ids = rows.map((r) => r.id);
  const found = ids.length ? await em.find(RecognitionCycle, { id: { $in: ids } }) : [];
  const byId = new Map(found.map((c) => [c.id, c]));
  return connection(
    ids.map((id) => byId.get(id)!),
    total,
    offset,
  );
}
