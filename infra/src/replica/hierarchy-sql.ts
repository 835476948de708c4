/** The tables an effective-dated hierarchy lives in: org's own, or a service's replica of them. */
export interface HierarchyTables {
  version: string;
  change: string;
  changeUnit: string;
}

export const ORG_HIERARCHY_TABLES: HierarchyTables = {
  version: 'admin_unit_version',
  change: 'admin_unit_change',
  changeUnit: 'admin_unit_change_unit',
};

export const REPLICA_HIERARCHY_TABLES: HierarchyTables = {
  version: 'admin_unit_version_replica',
  change: 'admin_unit_change_replica',
  changeUnit: 'admin_unit_change_unit_replica',
};

/**
 * CTE `line(id)`: a unit and every unit it lives on in through the recorded changes (its successors,
 * theirs, …), whatever their dates. One binding: the unit id.
 */
export const successorLineSql = (t: HierarchyTables): string =>
  `line(id) as (
     select ?::uuid
     union
     select s.unit_id from line l
     join ${t.changeUnit} p on p.unit_id = l.id and p.role = 'PREDECESSOR'
     join ${t.changeUnit} s on s.change_id = p.change_id and s.role = 'SUCCESSOR'
   )`;

/** Parent → child edges of the hierarchy over time: versions, and successor → predecessor of each change (dated). */
const edgesSql = (t: HierarchyTables): string =>
  `edge(parent, child, f, t, eff) as (
     select parent_id, unit_id, valid_from, valid_to, null::date from ${t.version} where parent_id is not null
     union all
     select s.unit_id, p.unit_id, null::date, null::date, c.effective_date
     from ${t.changeUnit} s
     join ${t.change} c on c.id = s.change_id
     join ${t.changeUnit} p on p.change_id = s.change_id and p.role = 'PREDECESSOR'
     where s.role = 'SUCCESSOR'
   )`;

/** One step down: a version's child in force that day, or a predecessor as it was the day before its merge. */
const STEP = `select e.child, case when e.eff is null then t.at else e.eff - 1 end
     from tree t join edge e on e.parent = t.id
     where (e.eff is null and e.f <= t.at and (e.t is null or e.t >= t.at)) or (e.eff is not null and e.eff <= t.at)`;

/**
 * `STEP` for one unit's subtree: each unit's children looked up through the indexes (versions by
 * parent, changes by successor) instead of joining every edge of the nation at every level. On the
 * reference nation a province's subtree takes 3 ms instead of 20, a commune's well under one; the
 * nation's own, 14,000 units, 75 instead of 45. Most scopes are a province or below, so one root
 * goes by index; many roots together (34 provinces: 60 against 37 ms) keep the hash join.
 */
const stepByIndex = (t: HierarchyTables): string =>
  `select x.child, x.at from tree t cross join lateral (
       select v.unit_id as child, t.at from ${t.version} v
       where v.parent_id = t.id and v.valid_from <= t.at and (v.valid_to is null or v.valid_to >= t.at)
       union all
       select p.unit_id, c.effective_date - 1 from ${t.changeUnit} s
       join ${t.change} c on c.id = s.change_id
       join ${t.changeUnit} p on p.change_id = s.change_id and p.role = 'PREDECESSOR'
       where s.unit_id = t.id and s.role = 'SUCCESSOR' and c.effective_date <= t.at
     ) x`;

/**
 * Ids of a unit and everything below it on a date, including units merged into any of them before
 * that day (each followed as it was the day before its merge). Two bindings: the unit id, the date.
 */
export const subtreeWithHistorySql = (t: HierarchyTables): string =>
  `with recursive tree(id, at) as (
     select ?::uuid, ?::date
     union
     ${stepByIndex(t)}
   )
   select distinct id from tree`;

/**
 * `subtreeWithHistorySql` for many units at once: one row (root, id) per unit of each root's
 * subtree. Two bindings: the roots (a uuid[] literal, see `uuidArray`), the date.
 */
export const subtreesWithHistorySql = (t: HierarchyTables): string =>
  subtreesFromSql(t, 'select u.r, u.r, d.at from unnest(?::uuid[]) as u(r) cross join (select ?::date as at) d');

/**
 * `subtreesWithHistorySql` for every unit of the hierarchy as root (its closure: the pairs (root, id)).
 * One binding: the date.
 */
export const allSubtreesWithHistorySql = (t: HierarchyTables): string =>
  subtreesFromSql(
    t,
    `select u.id, u.id, d.at from (select distinct unit_id as id from ${t.version}) u cross join (select ?::date as at) d`,
  );

const subtreesFromSql = (t: HierarchyTables, seed: string): string =>
  `with recursive ${edgesSql(t)}, tree(root, id, at) as (
     ${seed}
     union
     select t.root, ${STEP.slice('select '.length)}
   )
   select distinct root, id from tree`;
