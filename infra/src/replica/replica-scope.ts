import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthContext } from '../auth/auth-context';
import type { Role } from '../auth/roles';
import { forbidden } from '../errors';
import { rawQuery } from '../db/raw-query';
import { uuidArray } from '../db/sql-arrays';
import { todayInVietnam } from '../graphql/scalars';
import { REPLICA_HIERARCHY_TABLES, subtreesWithHistorySql, subtreeWithHistorySql, successorLineSql } from './hierarchy-sql';

/**
 * "Is the target inside the caller's scope, as of now" (architecture.md, Auth), answered from the
 * service's hierarchy replica, without calling org. One per request: each grant's subtree is read
 * once and reused for every row the request checks, whatever their number.
 *
 * A grant on a unit covers the unit and everything below it today, and every unit that was merged
 * into one of them (data recorded against a merged commune belongs to its successor's officers).
 */
export class ReplicaScope {
  private readonly today = todayInVietnam();
  private readonly subtrees = new Map<string, Promise<Set<string>>>();

  constructor(private readonly em: EntityManager) {}

  private subtreeSet(unitId: string, asOf: string): Promise<Set<string>> {
    const key = `${unitId}|${asOf}`;
    let p = this.subtrees.get(key);
    if (!p) {
      p = this.subtree(unitId, asOf).then((ids) => new Set(ids));
      this.subtrees.set(key, p);
    }
    return p;
  }

  /** The unit and all below it on `asOf`, including units merged into any of them before that day. */
  async subtree(unitId: string, asOf: string): Promise<string[]> {
    const rows = await rawQuery<{ id: string }[]>(this.em, subtreeWithHistorySql(REPLICA_HIERARCHY_TABLES), [unitId, asOf]);
    return rows.map((r) => r.id);
  }

  /** `subtree` for many units with one statement: each unit's subtree on `asOf`, by unit. */
  async subtreesOf(unitIds: readonly string[], asOf: string): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(unitIds.map((id) => [id, []]));
    if (unitIds.length === 0) return out;
    const rows = await rawQuery<{ root: string; id: string }[]>(this.em, subtreesWithHistorySql(REPLICA_HIERARCHY_TABLES), [
      uuidArray(unitIds),
      asOf,
    ]);
    for (const r of rows) out.get(r.root)?.push(r.id);
    return out;
  }

  /** Units the caller covers through one of `roles`, or 'ALL' for administrators; for filtering lists. */
  async coveredUnits(auth: AuthContext, roles: readonly Role[]): Promise<Set<string> | 'ALL'> {
    if (auth.isSystemAdmin) return 'ALL';
    const out = new Set<string>();
    for (const g of auth.principal.roles) {
      if (!g.unitId || !roles.includes(g.role)) continue;
      for (const id of await this.subtreeSet(g.unitId, this.today)) out.add(id);
    }
    return out;
  }

  /** True when the caller holds one of `roles` on a unit whose scope today contains every one of `unitIds`. */
  async covers(auth: AuthContext, roles: readonly Role[], unitIds: readonly string[]): Promise<boolean> {
    if (auth.isSystemAdmin) return true;
    const grants = auth.principal.roles.filter((g) => g.unitId && roles.includes(g.role));
    if (grants.length === 0) return unitIds.length === 0;
    const sets = await Promise.all(grants.map((g) => this.subtreeSet(g.unitId!, this.today)));
    return unitIds.every((id) => sets.some((s) => s.has(id)));
  }

  /** Refuses with FORBIDDEN (OUTSIDE_SCOPE), naming what is missing, unless `covers` holds. */
  async requireCovers(auth: AuthContext, roles: readonly Role[], unitIds: readonly string[]): Promise<void> {
    if (await this.covers(auth, roles, unitIds)) return;
    throw forbidden(
      `Đối tượng nằm ngoài phạm vi quản lý của bạn (cần vai trò ${roles.join(' hoặc ')} trên đơn vị chứa đối tượng)`,
      'OUTSIDE_SCOPE',
    );
  }

  /** Each unit's kind (NATION, PROVINCE, DISTRICT, COMMUNE, VILLAGE) on `asOf`; units not in force that day are absent. */
  async unitKinds(unitIds: readonly string[], asOf: string): Promise<Map<string, string>> {
    if (unitIds.length === 0) return new Map();
    const rows = await rawQuery<{ unit_id: string; kind: string }[]>(
      this.em,
      `select unit_id, kind from admin_unit_version_replica
       where unit_id = any(?::uuid[]) and valid_from <= ?::date and (valid_to is null or valid_to >= ?::date)`,
      [uuidArray(unitIds), asOf, asOf],
    );
    return new Map(rows.map((r) => [r.unit_id, r.kind]));
  }

  /**
   * The unit itself or its nearest ancestor of `kind` on `asOf` — following the unit's successors
   * first when it no longer exists that day (a village of a merged commune finds the new commune).
   */
  async enclosingUnit(unitId: string, kind: string, asOf: string): Promise<string | null> {
    const rows = await rawQuery<{ id: string }[]>(
      this.em,
      `with recursive ${successorLineSql(REPLICA_HIERARCHY_TABLES)}, living as (
         select v.unit_id as id, v.kind, v.parent_id from line l
         join admin_unit_version_replica v on v.unit_id = l.id
         where v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date)
       ), up(id, kind, parent_id, depth) as (
         select id, kind, parent_id, 0 from living
         union
         select v.unit_id, v.kind, v.parent_id, up.depth + 1 from up
         join admin_unit_version_replica v on v.unit_id = up.parent_id
         where v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date) and up.depth < 20
       )
       select id from up where kind = ? order by depth limit 1`,
      [unitId, asOf, asOf, asOf, asOf, kind],
    );
    return rows[0]?.id ?? null;
  }
}
