import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Rows by primary key, one statement per batch. */
export const byIdLoader = <T extends { id: string }>(em: EntityManager, entity: new () => T) =>
  new DataLoader<string, T | null>(async (ids) => {
    const rows = await em.find(entity, { id: { $in: [...ids] } } as never);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/** Rows grouped by a foreign key, one statement per batch. */
export const groupLoader = <T, K extends keyof T & string>(
  em: EntityManager,
  entity: new () => T,
  key: K,
  orderBy?: Partial<Record<keyof T, 'asc' | 'desc'>>,
) =>
  new DataLoader<string, T[]>(async (keys) => {
    const rows = await em.find(entity, { [key]: { $in: [...keys] } } as never, { orderBy: orderBy as never });
    const groups = new Map<string, T[]>();
    for (const r of rows) {
      const k = r[key] as unknown as string;
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
