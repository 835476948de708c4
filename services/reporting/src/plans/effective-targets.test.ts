import { resolveEffectiveTargets, type PlanNode, type TargetRow } from './effective-targets';

const units = ['commune', 'province', 'nation'];
const provincePlan: PlanNode = { id: 'p', issuingUnitId: 'province', parentPlanId: null, issuedOn: '2023-03-01' };
const communePlan: PlanNode = { id: 'c', issuingUnitId: 'commune', parentPlanId: 'p', issuedOn: '2023-05-01' };
const t = (planId: string, indicator: TargetRow['indicator'], unitId: string, percentage: number): TargetRow => ({
  planId,
  indicator,
  unitId,
  percentage,
});

describe('resolveEffectiveTargets', () => {
  it('takes the unit own plan target and inherits the rest from the parent plan', () => {
    const got = resolveEffectiveTargets(
      units,
      [provincePlan, communePlan],
      [
        t('p', 'LEARNING_FAMILY_RATE', 'province', 70),
        t('p', 'LEARNING_CLAN_RATE', 'province', 65),
        t('c', 'LEARNING_FAMILY_RATE', 'commune', 60),
      ],
    );
    expect(got).toEqual([
      {
        indicator: 'LEARNING_FAMILY_RATE',
        percentage: 60,
        planId: 'c',
        scopeUnitId: 'commune',
        fromParentPlan: false,
        fromAncestorUnit: false,
      },
      {
        indicator: 'LEARNING_CLAN_RATE',
        percentage: 65,
        planId: 'p',
        scopeUnitId: 'province',
        fromParentPlan: true,
        fromAncestorUnit: true,
      },
    ]);
  });

  it('prefers an area target set by the parent plan for this unit over its province-wide one', () => {
    const got = resolveEffectiveTargets(
      units,
      [provincePlan],
      [
        t('p', 'LEARNING_UNIT_RATE', 'province', 80),
        t('p', 'LEARNING_UNIT_RATE', 'commune', 70),
        t('p', 'LEARNING_UNIT_RATE', 'other', 50),
      ],
    );
    expect(got).toEqual([
      {
        indicator: 'LEARNING_UNIT_RATE',
        percentage: 70,
        planId: 'p',
        scopeUnitId: 'commune',
        fromParentPlan: false,
        fromAncestorUnit: false,
      },
    ]);
  });

  it('a child plan own target beats an area target of the parent plan', () => {
    const got = resolveEffectiveTargets(
      units,
      [provincePlan, communePlan],
      [t('p', 'LEARNING_CLAN_RATE', 'commune', 50), t('c', 'LEARNING_CLAN_RATE', 'province', 55)],
    );
    expect(got.map((g) => [g.planId, g.percentage])).toEqual([['c', 55]]);
  });

  it('the nearest issuing unit gives the own plan, the latest issued on a tie; none without a plan', () => {
    const newer: PlanNode = { id: 'p2', issuingUnitId: 'province', parentPlanId: null, issuedOn: '2024-01-01' };
    const got = resolveEffectiveTargets(
      units,
      [provincePlan, newer],
      [t('p', 'LEARNING_CLAN_RATE', 'province', 65), t('p2', 'LEARNING_CLAN_RATE', 'province', 66)],
    );
    expect(got.map((g) => g.percentage)).toEqual([66]);
    expect(resolveEffectiveTargets(units, [], [])).toEqual([]);
    expect(resolveEffectiveTargets(['elsewhere'], [provincePlan], [t('p', 'LEARNING_CLAN_RATE', 'province', 65)])).toEqual([]);
  });
});
