import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { vietnameseCollator, uuidArray } from '@xhht/infra';
import { findViews, toView, type AdminUnitView } from './admin-unit.repository';
import type { AdminUnitVersion } from './admin-unit.entity';
import type { AdminUnitChange, ChangeRole } from './admin-unit-change.entity';

/** Key of a unit as of a date. */
export interface UnitAt {
  id: string;
  asOf: string;
}
const unitAtKey = (k: UnitAt) => `${k.id}@${k.asOf}`;

/** Groups keys by date so each date costs one query. */
async function byDate<T>(keys: readonly UnitAt[], load: (ids: string[], asOf: string) => Promise<Map<string, T>>) {
  const dates = new Map<string, string[]>();
  for (const k of keys) dates.set(k.asOf, [...(dates.get(k.asOf) ?? []), k.id]);
  const found = new Map<string, T>();
  for (const [asOf, ids] of dates) for (const [id, v] of await load(ids, asOf)) found.set(`${id}@${asOf}`, v);
  return found;
}

/** Units as of a date: one query per request and date for all the units a response needs. */
export const adminUnitLoader = (em: EntityManager) =>
  new DataLoader<UnitAt, AdminUnitView | null, string>(
    async (keys) => {
      const found = await byDate(keys, (ids, asOf) => findViews(em, ids, asOf));
      return keys.map((k) => found.get(unitAtKey(k)) ?? null);
    },
    { cacheKeyFn: unitAtKey },
  );

/** Children of units as of a date, in Vietnamese order. */
export const childrenLoader = (em: EntityManager) =>
  new DataLoader<UnitAt, AdminUnitView[], string>(
    async (keys) => {
      const found = await byDate(keys, async (ids, asOf) => {
        const rows = await em.execute(
          `select u.id, u.code, u.valid_from::text, u.valid_to::text, v.name, v.kind, v.subtype, v.parent_id
           from admin_unit_version v join admin_unit u on u.id = v.unit_id
           where v.parent_id = any(?::uuid[]) and v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date)`,
          [uuidArray(ids), asOf, asOf],
        );
        const byParent = new Map<string, AdminUnitView[]>();
        for (const r of rows) {
          const view = toView(r as Parameters<typeof toView>[0], asOf);
          byParent.set(view.parentId!, [...(byParent.get(view.parentId!) ?? []), view]);
        }
        for (const list of byParent.values())
          list.sort((a, b) => vietnameseCollator.compare(a.name, b.name) || a.code.localeCompare(b.code));
        return byParent;
      });
      return keys.map((k) => found.get(unitAtKey(k)) ?? []);
    },
    { cacheKeyFn: unitAtKey },
  );

/** Every period of each unit, oldest first. */
export const versionsLoader = (em: EntityManager) =>
  new DataLoader<string, AdminUnitVersion[]>(async (ids) => {
    const rows = await em.execute(
      `select unit_id as "unitId", valid_from::text as "validFrom", valid_to::text as "validTo", name, kind, subtype, parent_id as "parentId"
       from admin_unit_version where unit_id = any(?::uuid[]) order by valid_from`,
      [uuidArray(ids)],
    );
    const byUnit = new Map<string, AdminUnitVersion[]>();
    for (const r of rows as AdminUnitVersion[]) byUnit.set(r.unitId, [...(byUnit.get(r.unitId) ?? []), r]);
    return ids.map((id) => byUnit.get(id) ?? []);
  });

export interface ChangeLink {
  change: AdminUnitChange;
  unitId: string;
  role: ChangeRole;
  partial: boolean;
}

const changeRows = async (em: EntityManager, where: string, ids: readonly string[]) =>
  (
    await em.execute<
      {
        id: string;
        type: AdminUnitChange['type'];
        effective_date: string;
        legal_basis: string;
        note: string | null;
        created_by: string;
        created_at: Date;
        unit_id: string;
        role: ChangeRole;
        partial: boolean;
      }[]
    >(
      `select c.id, c.type, c.effective_date::text, c.legal_basis, c.note, c.created_by, c.created_at, l.unit_id, l.role, l.partial
       from admin_unit_change c join admin_unit_change_unit l on l.change_id = c.id
       where ${where} = any(?::uuid[]) order by c.effective_date, c.created_at`,
      [uuidArray(ids)],
    )
  ).map((r): ChangeLink => ({
    change: {
      id: r.id,
      type: r.type,
      effectiveDate: r.effective_date,
      legalBasis: r.legal_basis,
      note: r.note,
      createdBy: r.created_by,
      createdAt: r.created_at,
    },
    unitId: r.unit_id,
    role: r.role,
    partial: r.partial,
  }));

/** All the units taking part in each change. */
export const changeUnitsLoader = (em: EntityManager) =>
  new DataLoader<string, ChangeLink[]>(async (changeIds) => {
    const links = await changeRows(em, 'c.id', changeIds);
    return changeIds.map((id) => links.filter((l) => l.change.id === id));
  });

/** For each unit, every link of every change it took part in (so predecessors and successors are one lookup away). */
export const changesOfUnitLoader = (em: EntityManager) =>
  new DataLoader<string, ChangeLink[]>(async (unitIds) => {
    const rows = await em.execute<{ change_id: string }[]>(
      'select distinct change_id from admin_unit_change_unit where unit_id = any(?::uuid[])',
      [uuidArray(unitIds)],
    );
    const all =
      rows.length > 0
        ? await changeRows(
            em,
            'c.id',
            rows.map((r) => r.change_id),
          )
        : [];
    return unitIds.map((unitId) => {
      const mine = new Set(all.filter((l) => l.unitId === unitId).map((l) => l.change.id));
      return all.filter((l) => mine.has(l.change.id));
    });
  });
