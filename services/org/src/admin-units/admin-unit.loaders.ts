import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInVietnam } from '@xhht/infra';
import { findViews, type AdminUnitView } from './admin-unit.repository';

/** Key of a unit as of a date. */
export interface UnitAt {
  id: string;
  asOf: string;
}

/** One query per request and date for all the units a response needs. */
export const adminUnitLoader = (em: EntityManager) =>
  new DataLoader<UnitAt, AdminUnitView | null, string>(
    async (keys) => {
      const byDate = new Map<string, string[]>();
      for (const k of keys) byDate.set(k.asOf, [...(byDate.get(k.asOf) ?? []), k.id]);
      const found = new Map<string, AdminUnitView>();
      for (const [asOf, ids] of byDate) for (const [id, v] of await findViews(em, [...new Set(ids)], asOf)) found.set(`${id}@${asOf}`, v);
      return keys.map((k) => found.get(`${k.id}@${k.asOf}`) ?? null);
    },
    { cacheKeyFn: (k) => `${k.id}@${k.asOf}` },
  );

export const today = () => todayInVietnam();
