import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ORG_HIERARCHY_TABLES,
  rawQuery,
  subtreeWithHistorySql,
  successorLineSql,
  textArray,
  uuidArray,
  type AdminUnitSnapshot,
} from '@xhht/infra';
import type { AdminUnitKind, AdminUnitSubtype } from './admin-unit-kind';

/** A unit as it stood on one date: identity and lifetime plus the version in force that day. */
export interface AdminUnitView {
  id: string;
  code: string;
  validFrom: string;
  validTo: string | null;
  name: string;
  kind: AdminUnitKind;
  subtype: AdminUnitSubtype;
  parentId: string | null;
  /** The date this view describes. */
  asOf: string;
}

interface ViewRow {
  id: string;
  code: string;
  valid_from: string;
  valid_to: string | null;
  name: string;
  kind: AdminUnitKind;
  subtype: AdminUnitSubtype;
  parent_id: string | null;
}

export const toView = (r: ViewRow, asOf: string): AdminUnitView => ({
  id: r.id,
  code: r.code,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  name: r.name,
  kind: r.kind,
  subtype: r.subtype,
  parentId: r.parent_id,
  asOf,
});

/**
 * The version of each unit in force on `asOf`. A unit that did not exist that day is described by
 * its nearest version instead (its first if `asOf` is before it, its last if after), so a reference
 * to an ended unit still resolves; callers that need "existed that day" compare validFrom/validTo.
 */
export async function findViews(em: EntityManager, ids: readonly string[], asOf: string): Promise<Map<string, AdminUnitView>> {
  if (ids.length === 0) return new Map();
  const rows = await em.execute<ViewRow[]>(
    `select distinct on (u.id) u.id, u.code, u.valid_from::text, u.valid_to::text, v.name, v.kind, v.subtype, v.parent_id
     from admin_unit u join admin_unit_version v on v.unit_id = u.id
     where u.id = any(?::uuid[])
     order by u.id,
       (v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date)) desc,
       abs(?::date - v.valid_from)`,
    [uuidArray(ids), asOf, asOf, asOf],
  );
  return new Map(rows.map((r) => [r.id, toView(r, asOf)]));
}

export async function findViewsByCode(em: EntityManager, codes: readonly string[], asOf: string): Promise<Map<string, AdminUnitView>> {
  if (codes.length === 0) return new Map();
  const rows = await em.execute<ViewRow[]>(
    `select u.id, u.code, u.valid_from::text, u.valid_to::text, v.name, v.kind, v.subtype, v.parent_id
     from admin_unit u join admin_unit_version v on v.unit_id = u.id
     where u.code = any(?::text[]) and v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date)`,
    [textArray(codes), asOf, asOf],
  );
  return new Map(rows.map((r) => [r.code, toView(r, asOf)]));
}

/**
 * Ids of the unit and everything below it as of `asOf`, including — through the recorded changes —
 * the units that were merged or split into any of them earlier and everything that was below
 * those at the time. Data registered against a unit that was later merged is found under its successor.
 */
export async function subtreeWithHistory(em: EntityManager, unitId: string, asOf: string): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(subtreeWithHistorySql(ORG_HIERARCHY_TABLES), [unitId, asOf]);
  return rows.map((r) => r.id);
}

/**
 * The units in force on `asOf` that a unit lives on in: itself if it exists that day, otherwise
 * its successors through the recorded changes, followed until they exist on `asOf`.
 */
export async function currentSuccessors(em: EntityManager, unitId: string, asOf: string): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `with recursive ${successorLineSql(ORG_HIERARCHY_TABLES)}
     select u.id from line l join admin_unit u on u.id = l.id
     where u.valid_from <= ?::date and (u.valid_to is null or u.valid_to >= ?::date)`,
    [unitId, asOf, asOf],
  );
  return rows.map((r) => r.id);
}

/** Ids of the unit's ancestors on `asOf`, nearest first (the unit itself not included). */
export async function ancestorIds(em: EntityManager, unitId: string, asOf: string): Promise<string[]> {
  const rows = await em.execute<{ id: string; depth: number }[]>(
    `with recursive up(id, depth) as (
       select v.parent_id, 1 from admin_unit_version v
       where v.unit_id = ?::uuid and v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date) and v.parent_id is not null
       union
       select v.parent_id, up.depth + 1 from up join admin_unit_version v on v.unit_id = up.id
       where v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date) and v.parent_id is not null and up.depth < 20
     )
     select id, depth from up order by depth`,
    [unitId, asOf, asOf, asOf, asOf],
  );
  return rows.map((r) => r.id);
}

/**
 * True when `unitId` — or, if it has ended, a unit it lives on in — is `scopeUnitId` or below it on `asOf`.
 * This is the authorization question "is the target inside the caller's scope, as of now".
 */
export async function isWithinScope(em: EntityManager, unitId: string, scopeUnitId: string, asOf: string): Promise<boolean> {
  const living = await currentSuccessors(em, unitId, asOf);
  for (const id of living.length > 0 ? living : [unitId]) {
    if (id === scopeUnitId) return true;
    if ((await ancestorIds(em, id, asOf)).includes(scopeUnitId)) return true;
  }
  return false;
}

/** A unit's whole state — identity, lifetime and every version — as hierarchy events carry it. */
export async function snapshots(em: EntityManager, ids: readonly string[]): Promise<AdminUnitSnapshot[]> {
  if (ids.length === 0) return [];
  // bound parameters: a change of the reference import touches thousands of units
  const rows = await rawQuery<(ViewRow & { version_from: string; version_to: string | null })[]>(
    em,
    `select u.id, u.code, u.valid_from::text, u.valid_to::text, v.name, v.kind, v.subtype, v.parent_id,
       v.valid_from::text as version_from, v.valid_to::text as version_to
     from admin_unit u join admin_unit_version v on v.unit_id = u.id
     where u.id = any(?::uuid[]) order by u.id, v.valid_from`,
    [uuidArray(ids)],
  );
  const byId = new Map<string, AdminUnitSnapshot>();
  for (const r of rows) {
    let s = byId.get(r.id);
    if (!s) byId.set(r.id, (s = { id: r.id, code: r.code, validFrom: r.valid_from, validTo: r.valid_to, versions: [] }));
    s.versions.push({
      validFrom: r.version_from,
      validTo: r.version_to,
      name: r.name,
      kind: r.kind,
      subtype: r.subtype,
      parentId: r.parent_id,
    });
  }
  return ids.map((id) => byId.get(id)).filter((s): s is AdminUnitSnapshot => s !== undefined);
}
