import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, vietnameseCollator } from '@xhht/infra';
import { unitProgress } from '../progress/progress';
import type { ExportUnit, ProgressExport } from './progress-workbook';

/**
 * What the progress export of `unitId` shows, read from the hierarchy replica and the progress
 * read models; null when the replica does not know the unit. Names are those in force on `asOf`
 * (the latest when the unit did not exist that day); the children are the units directly below it
 * that day, the tree its figures are counted over, so the total row is their whole. The unit and
 * its children are counted together, each over its own subtree (never summed here).
 */
export async function loadProgressExport(em: EntityManager, unitId: string, year: number, asOf: string): Promise<ProgressExport | null> {
  const [unit] = await rawQuery<ExportUnit[]>(
    em,
    `select u.id, u.code, coalesce(v.name, u.name) as name
     from admin_unit_replica u
     left join admin_unit_version_replica v
       on v.unit_id = u.id and v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date)
     where u.id = ?`,
    [asOf, asOf, unitId],
  );
  if (!unit) return null;
  const children = await rawQuery<ExportUnit[]>(
    em,
    `select v.unit_id as id, u.code, v.name
     from admin_unit_version_replica v
     join admin_unit_replica u on u.id = v.unit_id
     where v.parent_id = ? and v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date)`,
    [unitId, asOf, asOf],
  );
  children.sort((a, b) => vietnameseCollator.compare(a.name, b.name) || a.code.localeCompare(b.code));
  const [own, ...each] = await unitProgress(em, [unit.id, ...children.map((c) => c.id)], year, asOf);
  return {
    unit,
    year,
    asOf,
    progress: own!,
    children: children.map((child, i) => ({ unit: child, progress: each[i]! })),
  };
}
