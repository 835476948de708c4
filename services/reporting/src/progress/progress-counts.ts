import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, REPLICA_HIERARCHY_TABLES, subtreesWithHistorySql, uuidArray } from '@xhht/infra';
import { rollupsHold } from './progress-rollup';

export interface MeasureCount {
  unitId: string;
  year: number;
  measure: string;
  numerator: number;
  denominator: number;
}

/**
 * Numerator and denominator of every measure (progress-tally.ts) for each unit and year, counting the
 * unit and everything below it on `asOf` with what was merged into them before that day. A parent's
 * figures are sums over its subtree, never averages of rates. Read from the rollups when the tree
 * they were summed over is the tree of `asOf` (one indexed read), else summed from the tallies over
 * the tree of `asOf` (the old tree before a merge, with its own figures).
 */
export async function measureCounts(
  em: EntityManager,
  unitIds: readonly string[],
  years: readonly number[],
  asOf: string,
  /** 'tallies' sums over the subtree whatever the rollups hold (to check one against the other). */
  source: 'auto' | 'tallies' = 'auto',
): Promise<MeasureCount[]> {
  if (unitIds.length === 0 || years.length === 0) return [];
  const units = uuidArray([...new Set(unitIds)]);
  const yearList = `{${[...new Set(years)].join(',')}}`;
  type Row = { unit_id: string | null; year: number; measure: string; numerator: number; denominator: number };
  const fromRollups = `select unit_id, year, measure, sum(numerator)::int as numerator, sum(denominator)::int as denominator
     from progress_rollup
     where unit_id = any(?::uuid[]) and year = any(?::int[]) and since <= ?::date and until > ?::date
     group by unit_id, year, measure`;
  const fromTallies = () =>
    rawQuery<Row[]>(
      em,
      `select s.root as unit_id, t.year, t.measure, sum(t.numerator)::int as numerator, sum(t.denominator)::int as denominator
       from (${subtreesWithHistorySql(REPLICA_HIERARCHY_TABLES)}) s
       join progress_tally t on t.unit_id = s.id
       where t.year = any(?::int[]) and t.since <= ?::date and t.until > ?::date
       group by s.root, t.year, t.measure`,
      [units, asOf, yearList, asOf, asOf],
    );
  let rows: Row[];
  if (source === 'tallies') {
    rows = await fromTallies();
  } else {
    // the usual case in one round trip: the rollups were summed over the tree of `asOf` itself (a marker row says so)
    const direct = await rawQuery<Row[]>(
      em,
      `select * from (${fromRollups}) r where exists (select 1 from progress_closure_state where tree_date = ?::date)
       union all select null, 0, '', 0, 0 from progress_closure_state where tree_date = ?::date`,
      [units, yearList, asOf, asOf, asOf, asOf],
    );
    if (direct.some((r) => r.unit_id === null)) rows = direct.filter((r) => r.unit_id !== null);
    else if (await rollupsHold(em, asOf)) rows = await rawQuery<Row[]>(em, fromRollups, [units, yearList, asOf, asOf]);
    else rows = await fromTallies();
  }
  return rows.map((r) => ({ unitId: r.unit_id!, year: r.year, measure: r.measure, numerator: r.numerator, denominator: r.denominator }));
}
