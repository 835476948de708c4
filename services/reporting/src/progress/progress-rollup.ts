import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import { allSubtreesWithHistorySql, rawQuery, REPLICA_HIERARCHY_TABLES, todayInVietnam } from '@xhht/infra';

/**
 * The rollups (`progress_rollup`): each unit's tallies summed over its subtree in the tree of one day
 * (`progress_closure_state.tree_date`, today when kept up), kept by differences so no recount reads
 * more than it changed:
 *
 * - `progress_closure` lists the pairs (root, unit) of that tree: every unit below a root, with the
 *   units merged into them before that day, each once (a unit reached both as a child today and
 *   through a predecessor counts once), and the root itself;
 * - a recount of a unit's tallies adds what changed (new rows minus old ones) to the rollup of every
 *   root holding the unit (`ROLLUP_ADD`, from `recomputeTallies`);
 * - a change of the tree (or of the day) computes the closure again and adds or takes away the
 *   tallies of the pairs that came or went (`refreshClosure`).
 *
 * Every recount holds a shared lock and the closure refresh an exclusive one, so a recount never sees
 * a closure half changed; recounts of one unit are serialised by a lock on the unit.
 */
class Migration20261206100200ProgressClosure extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table progress_closure (
      root uuid not null,
      unit_id uuid not null,
      primary key (root, unit_id)
    )`);
    this.addSql('create index progress_closure_unit_idx on progress_closure (unit_id)');
    this.addSql(`create table progress_closure_state (
      id boolean primary key default true check (id),
      tree_date date not null
    )`);
    // rollups are now kept by differences from the closure: start them again from nothing
    this.addSql('truncate progress_rollup');
    this.addSql('drop index if exists progress_rollup_tree_date_idx');
    this.addSql('alter table progress_rollup drop column tree_date');
    this.addSql('create unique index progress_rollup_key_idx on progress_rollup (unit_id, year, measure, since, until)');
    this.addSql('create index admin_unit_version_replica_valid_to_idx on admin_unit_version_replica (valid_to) where valid_to is not null');
    this.addSql('create index admin_unit_change_replica_effective_idx on admin_unit_change_replica (effective_date)');
  }
  override async down(): Promise<void> {
    this.addSql('drop index if exists admin_unit_change_replica_effective_idx');
    this.addSql('drop index if exists admin_unit_version_replica_valid_to_idx');
    this.addSql('drop index if exists progress_rollup_key_idx');
    this.addSql('truncate progress_rollup');
    this.addSql(`alter table progress_rollup add column tree_date date not null default '1970-01-01'`);
    this.addSql('create index progress_rollup_tree_date_idx on progress_rollup (tree_date)');
    this.addSql('drop table if exists progress_closure_state');
    this.addSql('drop table if exists progress_closure');
  }
}

/**
 * Every recount updates the rollup rows of the units above it, the province's and the nation's
 * thousands of times in a day of imports. The updates touch no indexed column, so with room left on
 * the page they stay there (HOT) instead of leaving dead index entries for reads to walk through,
 * and the table is vacuumed after a thousand dead rows rather than a fifth of it.
 */
class Migration20261211000000ProgressRollupStorage extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table progress_rollup set (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.0,
      autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.05)`);
  }
  override async down(): Promise<void> {
    this.addSql(`alter table progress_rollup reset (fillfactor, autovacuum_vacuum_scale_factor,
      autovacuum_vacuum_threshold, autovacuum_analyze_scale_factor)`);
  }
}

export const progressRollupMigrations: MigrationObject[] = [
  { name: 'Migration20261206100200ProgressClosure', class: Migration20261206100200ProgressClosure },
  { name: 'Migration20261211000000ProgressRollupStorage', class: Migration20261211000000ProgressRollupStorage },
];

/** Advisory lock keys: the closure (shared by recounts, exclusive for a refresh), and one per unit. */
const CLOSURE_LOCK = `hashtext('xhht.progress.closure')`;

/** Holds the closure still for this transaction and takes the units' locks, in order (no deadlock between recounts). */
export async function lockUnitsForCount(em: EntityManager, sortedUnitIds: readonly string[]): Promise<void> {
  await rawQuery(em, `select pg_advisory_xact_lock_shared(${CLOSURE_LOCK})`, []);
  await rawQuery(em, `select count(pg_advisory_xact_lock(hashtextextended(id, 7))) from (select unnest(?::text[]) as id order by 1) u`, [
    `{${sortedUnitIds.join(',')}}`,
  ]);
}

/** Rows for a rollup key already there are added to it (rows in key order, so concurrent additions do not deadlock). */
const ADD_ON_CONFLICT = `on conflict (unit_id, year, measure, since, until) do update set
     numerator = progress_rollup.numerator + excluded.numerator,
     denominator = progress_rollup.denominator + excluded.denominator`;

/** The day the closure (and so the rollups) was computed for; undefined before the first. */
async function closureDay(em: EntityManager): Promise<string | undefined> {
  const [state] = await rawQuery<{ tree_date: string }[]>(em, `select tree_date::text from progress_closure_state`, []);
  return state?.tree_date;
}

/**
 * The tail of a statement adding the rows of CTE `source` (unit_id, year, measure, since, until,
 * numerator, denominator: differences of a unit's tallies) to the rollup of every root holding the unit.
 */
export const ROLLUP_ADD = (source: string) =>
  `insert into progress_rollup (unit_id, year, measure, since, until, numerator, denominator)
   select c.root, s.year, s.measure, s.since, s.until, sum(s.numerator), sum(s.denominator)
   from ${source} s join progress_closure c on c.unit_id = s.unit_id
   group by c.root, s.year, s.measure, s.since, s.until
   order by 1, 2, 3, 4, 5
   ${ADD_ON_CONFLICT}`;

/** Drops the rollup rows left at zero above the given units (one binding: their ids). */
export const ROLLUP_DROP_EMPTY = `delete from progress_rollup r using progress_closure c
  where c.unit_id = any(?::uuid[]) and r.unit_id = c.root and r.numerator = 0 and r.denominator = 0`;

/**
 * Computes the closure of today's tree and brings the rollups to it: the tallies of pairs that came
 * are added to their roots, those of pairs that went are taken away. Run after every change of the
 * tree, and when the day changes (a change recorded in advance may have taken effect). Returns how
 * many pairs changed.
 */
export async function refreshClosure(em: EntityManager): Promise<number> {
  const today = todayInVietnam();
  await rawQuery(em, `select pg_advisory_xact_lock(${CLOSURE_LOCK})`, []);
  await rawQuery(em, `create temp table next_closure on commit drop as ${allSubtreesWithHistorySql(REPLICA_HIERARCHY_TABLES)}`, [today]);
  const [changed] = await rawQuery<{ n: number }[]>(
    em,
    `with removed as (
       delete from progress_closure c
       where not exists (select 1 from next_closure n where n.root = c.root and n.id = c.unit_id)
       returning root, unit_id
     ),
     added as (
       insert into progress_closure (root, unit_id)
       select n.root, n.id from next_closure n
       where not exists (select 1 from progress_closure c where c.root = n.root and c.unit_id = n.id)
       returning root, unit_id
     ),
     pair(root, unit_id, sign) as (select root, unit_id, 1 from added union all select root, unit_id, -1 from removed),
     moved as (
       insert into progress_rollup (unit_id, year, measure, since, until, numerator, denominator)
       select p.root, t.year, t.measure, t.since, t.until, sum(p.sign * t.numerator), sum(p.sign * t.denominator)
       from pair p join progress_tally t on t.unit_id = p.unit_id
       group by p.root, t.year, t.measure, t.since, t.until
       order by 1, 2, 3, 4, 5
       ${ADD_ON_CONFLICT}
     )
     select count(*)::int as n from pair`,
    [],
  );
  await rawQuery(em, 'delete from progress_rollup where numerator = 0 and denominator = 0', []);
  await rawQuery(
    em,
    `insert into progress_closure_state (id, tree_date) values (true, ?::date) on conflict (id) do update set tree_date = excluded.tree_date`,
    [today],
  );
  await rawQuery(em, 'drop table next_closure', []);
  return changed!.n;
}

/** Brings the closure to today once the day has changed since it was computed; true when it did. */
export async function refreshClosureForToday(em: EntityManager): Promise<boolean> {
  if ((await closureDay(em)) === todayInVietnam()) return false;
  await em.transactional((tx) => refreshClosure(tx as EntityManager));
  return true;
}

/**
 * Whether the rollups answer for `asOf`: the tree they were summed over (the closure's day) is the
 * tree of `asOf`, i.e. no unit began or ended and no change took effect between those days.
 * Otherwise figures are summed from the tallies over the tree of `asOf`.
 */
export async function rollupsHold(em: EntityManager, asOf: string): Promise<boolean> {
  const day = await closureDay(em);
  if (day === undefined) return false;
  if (day === asOf) return true;
  const [lo, hi] = day < asOf ? [day, asOf] : [asOf, day];
  const [row] = await rawQuery<{ changed: boolean }[]>(
    em,
    `select exists (select 1 from admin_unit_version_replica where valid_from > ?::date and valid_from <= ?::date)
        or exists (select 1 from admin_unit_version_replica where valid_to >= ?::date and valid_to < ?::date)
        or exists (select 1 from admin_unit_change_replica where effective_date > ?::date and effective_date <= ?::date) as changed`,
    [lo, hi, lo, hi, lo, hi],
  );
  return !row!.changed;
}
