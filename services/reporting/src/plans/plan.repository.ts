import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { connection, pageWindow, rawQuery, todayInVietnam, uuidArray, type Connection, type PageArgs } from '@xhht/infra';
import { resolveEffectiveTargets, type EffectiveTarget, type PlanNode, type TargetRow } from './effective-targets';
import type { Indicator } from './indicators';
import { Plan, PlanTarget } from './plan.entity';
import { ANCESTORS_CTE, unitAndAncestors } from './plan.domain';

/** Plans by id, one statement per batch. */
export const planByIdLoader = (em: EntityManager) =>
  new DataLoader<string, Plan | null>(async (ids) => {
    const rows = await em.find(Plan, { id: { $in: [...ids] } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/** Each plan's targets (all years), one statement per batch; filtered by the field's arguments. */
export const targetsByPlanLoader = (em: EntityManager) =>
  new DataLoader<string, PlanTarget[]>(async (ids) => {
    const rows = await em.find(PlanTarget, { planId: { $in: [...ids] } }, { orderBy: { year: 'asc', indicator: 'asc', unitId: 'asc' } });
    return ids.map((id) => rows.filter((r) => r.planId === id));
  });

export interface PlanListArgs extends PageArgs {
  unitId?: string | null;
}

/** Plans issued by the unit (all plans without one), newest first. */
export async function listPlans(em: EntityManager, args: PlanListArgs): Promise<Connection<Plan>> {
  const { limit, offset } = pageWindow(args);
  const where = args.unitId ? 'where issuing_unit_id = ?' : '';
  const params = args.unitId ? [args.unitId] : [];
  const rows = await rawQuery<{ id: string; total: number }[]>(
    em,
    `select id, count(*) over()::int as total from reporting_plan ${where} order by issued_on desc, number, id limit ? offset ?`,
    [...params, limit, offset],
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && offset > 0) {
    total = (await rawQuery<{ n: number }[]>(em, `select count(*)::int as n from reporting_plan ${where}`, params))[0]?.n ?? 0;
  }
  const ids = rows.map((r) => r.id);
  const found = ids.length ? await em.find(Plan, { id: { $in: ids } }) : [];
  const byId = new Map(found.map((p) => [p.id, p]));
  return connection(
    ids.map((id) => byId.get(id)!),
    total,
    offset,
  );
}

/**
 * The targets applying to a unit in a year: the plans covering the year issued by the unit or its
 * ancestors today, and their targets for the year on those units, read in one statement; the choice
 * is resolveEffectiveTargets'.
 */
export async function effectiveTargets(em: EntityManager, unitId: string, year: number): Promise<EffectiveTarget[]> {
  const units = await unitAndAncestors(em, unitId);
  if (units.length === 0) return [];
  const rows = await rawQuery<
    {
      id: string;
      issuing_unit_id: string;
      parent_plan_id: string | null;
      issued_on: string;
      indicator: Indicator | null;
      unit_id: string | null;
      percentage: string | null;
    }[]
  >(
    em,
    `select p.id, p.issuing_unit_id, p.parent_plan_id, to_char(p.issued_on, 'YYYY-MM-DD') as issued_on, t.indicator, t.unit_id, t.percentage
     from reporting_plan p
     left join reporting_plan_target t on t.plan_id = p.id and t.year = ? and t.unit_id = any(?::uuid[])
     where p.issuing_unit_id = any(?::uuid[]) and p.start_year <= ? and p.end_year >= ?`,
    [year, uuidArray(units), uuidArray(units), year, year],
  );
  const plans = new Map<string, PlanNode>();
  const targets: TargetRow[] = [];
  for (const r of rows) {
    plans.set(r.id, { id: r.id, issuingUnitId: r.issuing_unit_id, parentPlanId: r.parent_plan_id, issuedOn: r.issued_on });
    if (r.indicator && r.unit_id && r.percentage != null) {
      targets.push({ planId: r.id, indicator: r.indicator, unitId: r.unit_id, percentage: Number(r.percentage) });
    }
  }
  return resolveEffectiveTargets(units, [...plans.values()], targets);
}

/**
 * `effectiveTargets` for many units and years at once, in one statement: every unit's ancestors
 * (today, or on `asOf`), and the plans issued by any of them covering any of the years with their
 * targets. Keyed `${unitId}|${year}`.
 */
export async function effectiveTargetsFor(
  em: EntityManager,
  unitIds: readonly string[],
  years: readonly number[],
  asOf = todayInVietnam(),
): Promise<Map<string, EffectiveTarget[]>> {
  const out = new Map<string, EffectiveTarget[]>();
  if (unitIds.length === 0 || years.length === 0) return out;
  const lo = Math.min(...years);
  const hi = Math.max(...years);
  const [found] = await rawQuery<
    {
      lines: { root: string; id: string; depth: number }[];
      plans: {
        id: string;
        issuing_unit_id: string;
        parent_plan_id: string | null;
        issued_on: string;
        start_year: number;
        end_year: number;
        indicator: Indicator | null;
        unit_id: string | null;
        year: number | null;
        percentage: number | null;
      }[];
    }[]
  >(
    em,
    `with recursive ${ANCESTORS_CTE}
     select
       (select coalesce(json_agg(json_build_object('root', root, 'id', id, 'depth', depth)), '[]'::json) from up) as lines,
       (select coalesce(json_agg(json_build_object('id', p.id, 'issuing_unit_id', p.issuing_unit_id, 'parent_plan_id', p.parent_plan_id,
           'issued_on', to_char(p.issued_on, 'YYYY-MM-DD'), 'start_year', p.start_year, 'end_year', p.end_year,
           'indicator', t.indicator, 'unit_id', t.unit_id, 'year', t.year, 'percentage', t.percentage)), '[]'::json)
        from reporting_plan p
        left join reporting_plan_target t on t.plan_id = p.id and t.year between ? and ? and t.unit_id in (select id from up)
        where p.issuing_unit_id in (select id from up) and p.start_year <= ? and p.end_year >= ?) as plans`,
    [uuidArray([...new Set(unitIds)]), asOf, asOf, asOf, asOf, lo, hi, hi, lo],
  );
  const lines = new Map<string, string[]>();
  for (const l of [...found!.lines].sort((a, b) => a.depth - b.depth)) lines.set(l.root, [...(lines.get(l.root) ?? []), l.id]);
  const rows = found!.plans;
  for (const year of new Set(years)) {
    const plans = new Map<string, PlanNode>();
    const targets: TargetRow[] = [];
    for (const r of rows) {
      if (r.start_year > year || r.end_year < year) continue;
      plans.set(r.id, { id: r.id, issuingUnitId: r.issuing_unit_id, parentPlanId: r.parent_plan_id, issuedOn: r.issued_on });
      if (r.year === year && r.indicator && r.unit_id && r.percentage != null) {
        targets.push({ planId: r.id, indicator: r.indicator, unitId: r.unit_id, percentage: Number(r.percentage) });
      }
    }
    for (const unitId of unitIds) {
      out.set(`${unitId}|${year}`, resolveEffectiveTargets(lines.get(unitId) ?? [], [...plans.values()], targets));
    }
  }
  return out;
}
