import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AdminUnit } from './admin-unit.entity';

/** One query per request for all the units a response needs. */
export const adminUnitLoader = (em: EntityManager) =>
  new DataLoader<string, AdminUnit | null>(async (ids) => {
    const units = await em.find(AdminUnit, { id: { $in: [...ids] } });
    const byId = new Map(units.map((u) => [u.id, u]));
    return ids.map((id) => byId.get(id) ?? null);
  });
