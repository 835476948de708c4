import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { applyAdminUnitCreated, ADMIN_UNIT_CREATED, type AdminUnitCreatedData, type CloudEvent, type EventHandler } from '@xhht/infra';

/**
 * Keeps the replica and the per-unit child count. Runs inside the inbox transaction, so the
 * increment happens exactly once per event even when Kafka redelivers it.
 */
export const hierarchyHandlers: Record<string, EventHandler> = {
  [ADMIN_UNIT_CREATED]: async (event, em) => {
    const e = event as CloudEvent<AdminUnitCreatedData>;
    const isNew = await applyAdminUnitCreated(e, em);
    if (isNew && e.data.parentId) {
      await em.execute(
        `insert into unit_statistics (unit_id, child_unit_count) values (?, 1)
         on conflict (unit_id) do update set child_unit_count = unit_statistics.child_unit_count + 1`,
        [e.data.parentId],
      );
    }
  },
};

export const childUnitCountLoader = (em: EntityManager) =>
  new DataLoader<string, number>(async (ids) => {
    const rows = await em.execute<{ unit_id: string; child_unit_count: number }[]>(
      `select unit_id, child_unit_count from unit_statistics where unit_id in (${ids.map(() => '?').join(',')})`,
      [...ids],
    );
    const byId = new Map(rows.map((r) => [r.unit_id, Number(r.child_unit_count)]));
    return ids.map((id) => byId.get(id) ?? 0);
  });
