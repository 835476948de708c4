import DataLoader from 'dataloader';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, isUuid, OCCUPATIONAL_GROUP_NAMES, RESULT_LEVEL_NAMES, todayInVietnam } from '@xhht/infra';
import type { ReportingContext } from '../context';
import { INDICATOR_NAMES } from '../plans/indicators';
import { unitProgress, type GroupProgress, type IndicatorProgress, type UnitProgress } from './progress';
import { requireProgressReader } from './progress-access';
import { PROGRESS_STATUS_NAMES } from './progress-status';

/** Progress per (unit, year, asOf), computed once per request for all units asked with the same year and date. */
export const progressLoader = (em: EntityManager) =>
  new DataLoader<string, UnitProgress>(async (keys) => {
    const groups = new Map<string, string[]>();
    for (const key of keys) {
      const [unitId, rest] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
      groups.set(rest, [...(groups.get(rest) ?? []), unitId]);
    }
    const out = new Map<string, UnitProgress>();
    for (const [rest, unitIds] of groups) {
      const [year, asOf] = rest.split('|');
      for (const p of await unitProgress(em, unitIds, Number(year), asOf!)) out.set(`${p.unitId}|${rest}`, p);
    }
    return keys.map((k) => out.get(k)!);
  });

const checkYear = (year: number) => {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw badInput(`Năm ${year} không hợp lệ (2000–2100)`, 'YEAR_OUT_OF_RANGE', ['year']);
  }
};

async function loadProgress(ctx: ReportingContext, unitIds: readonly string[], year: number, asOf?: string | null) {
  checkYear(year);
  const bad = unitIds.find((id) => !isUuid(id));
  if (bad !== undefined) throw badInput(`Mã đơn vị không hợp lệ: ${bad}`, 'INVALID_UNIT_ID', ['unitIds']);
  await requireProgressReader(ctx.auth, ctx.loaders.scope, unitIds);
  const day = asOf ?? todayInVietnam();
  return Promise.all(unitIds.map((id) => ctx.loaders.progress.load(`${id}|${year}|${day}`)));
}

export const progressResolvers: GraphQLResolverMap<ReportingContext> = {
  AdminUnit: {
    progress: async (unit: { id: string }, args: { year: number; asOf?: string | null }, ctx: ReportingContext) =>
      (await loadProgress(ctx, [unit.id], args.year, args.asOf))[0],
  },
  UnitProgress: {
    unit: (p: UnitProgress) => ({ __typename: 'AdminUnit', id: p.unitId }),
  },
  IndicatorProgress: {
    name: (p: IndicatorProgress) => INDICATOR_NAMES[p.indicator],
    statusName: (p: IndicatorProgress) => PROGRESS_STATUS_NAMES[p.status],
  },
  OccupationalGroupProgress: {
    name: (g: GroupProgress) => OCCUPATIONAL_GROUP_NAMES[g.occupationalGroup],
  },
  CommunityLevelCount: {
    name: (l: { level: keyof typeof RESULT_LEVEL_NAMES }) => RESULT_LEVEL_NAMES[l.level],
  },
  Query: {
    progress: (_: unknown, args: { unitIds: string[]; year: number; asOf?: string | null }, ctx: ReportingContext) =>
      loadProgress(ctx, args.unitIds, args.year, args.asOf),
  },
};
