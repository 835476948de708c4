import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { todayInVietnam, uuidArray } from '@xhht/infra';

/** Direct children of each unit today, counted from the replica in one query per request. */
export const childUnitCountLoader = (em: EntityManager) =>
  new DataLoader<string, number>(async (ids) => {
    const today = todayInVietnam();
    const rows = await em.execute<{ parent_id: string; n: string }[]>(
      `select parent_id, count(*) as n from admin_unit_version_replica
       where parent_id = any(?::uuid[]) and valid_from <= ?::date and (valid_to is null or valid_to >= ?::date)
       group by parent_id`,
      [uuidArray(ids), today, today],
    );
    const byId = new Map(rows.map((r) => [r.parent_id, Number(r.n)]));
    return ids.map((id) => byId.get(id) ?? 0);
  });
