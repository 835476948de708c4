import { INDICATORS, type Indicator } from './indicators';

export interface PlanNode {
  id: string;
  issuingUnitId: string;
  parentPlanId: string | null;
  issuedOn: string;
}

export interface TargetRow {
  planId: string;
  indicator: Indicator;
  unitId: string;
  percentage: number;
}

export interface EffectiveTarget {
  indicator: Indicator;
  percentage: number;
  planId: string;
  scopeUnitId: string;
  /** The target comes from a plan above the unit's own plan (the unit's plan did not set it). */
  fromParentPlan: boolean;
  /** The target was set for a unit above this one (not for this unit itself). */
  fromAncestorUnit: boolean;
}

/**
 * The target of each indicator that applies to a unit in one year.
 *
 * `units` is the unit followed by its ancestors, nearest first; `plans` are the plans covering the
 * year issued by those units; `targets` those plans' targets for the year on those units.
 * The unit's own plan is the plan of the nearest issuing unit (the latest issued on a tie); then its
 * parent plan, and so on. For each indicator the first plan of that chain that sets a target on the
 * unit or one of its ancestors wins, and within it the target of the nearest unit (targets may
 * differ by area). A child plan thus inherits its parent's targets unless it sets its own.
 */
export function resolveEffectiveTargets(
  units: readonly string[],
  plans: readonly PlanNode[],
  targets: readonly TargetRow[],
): EffectiveTarget[] {
  const depth = new Map(units.map((id, i) => [id, i]));
  const own = plans
    .filter((p) => depth.has(p.issuingUnitId))
    .sort(
      (a, b) =>
        depth.get(a.issuingUnitId)! - depth.get(b.issuingUnitId)! || b.issuedOn.localeCompare(a.issuedOn) || a.id.localeCompare(b.id),
    )[0];
  if (!own) return [];
  const byId = new Map(plans.map((p) => [p.id, p]));
  const chain: string[] = [];
  for (let p: PlanNode | undefined = own; p && !chain.includes(p.id); p = p.parentPlanId ? byId.get(p.parentPlanId) : undefined) {
    chain.push(p.id);
  }
  const out: EffectiveTarget[] = [];
  for (const indicator of INDICATORS) {
    for (const planId of chain) {
      const best = targets
        .filter((t) => t.planId === planId && t.indicator === indicator && depth.has(t.unitId))
        .sort((a, b) => depth.get(a.unitId)! - depth.get(b.unitId)!)[0];
      if (best) {
        out.push({
          indicator,
          percentage: best.percentage,
          planId,
          scopeUnitId: best.unitId,
          fromParentPlan: planId !== own.id,
          fromAncestorUnit: best.unitId !== units[0],
        });
        break;
      }
    }
  }
  return out;
}
