import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  badInput,
  conflict,
  isoDateInput,
  newEvent,
  rawQuery,
  todayInVietnam,
  type AuthContext,
  type CloudEvent,
  type ReplicaScope,
  type Role,
  uuidArray,
} from '@xhht/infra';
import { INDICATORS } from './indicators';
import { Plan, PlanTarget, type PlanPhase } from './plan.entity';

export const TARGET_SET = 'vn.xhht.reporting.target.set.v1';
/** Who issues plans and sets targets, on the issuing unit or above it (administrators anywhere). */
export const PLAN_ROLES: readonly Role[] = ['EDUCATION_OFFICER'];

export const FIRST_YEAR = 2023;
export const LAST_YEAR = 2030;
const year = (what: string) =>
  z.number().int(`${what} phải là số nguyên`).min(2000, `${what} từ 2000 đến 2100`).max(2100, `${what} từ 2000 đến 2100`);

const phaseInput = z.object({
  startYear: year('năm bắt đầu giai đoạn'),
  endYear: year('năm kết thúc giai đoạn'),
  reviewYear: year('năm sơ kết/tổng kết').nullish(),
});

export const createPlanInput = z.object({
  number: z.string().trim().min(1, 'số kế hoạch không được để trống').max(100, 'số kế hoạch dài tối đa 100 ký tự'),
  issuedOn: isoDateInput,
  issuingUnitId: z.string().uuid('mã đơn vị ban hành không hợp lệ'),
  issuingOrganizationId: z.string().uuid('mã tổ chức không hợp lệ').nullish(),
  parentPlanId: z.string().uuid('mã kế hoạch cấp trên không hợp lệ').nullish(),
  title: z.string().trim().min(1, 'tên kế hoạch không được để trống').max(500, 'tên kế hoạch dài tối đa 500 ký tự').nullish(),
  startYear: year('năm bắt đầu').nullish(),
  endYear: year('năm kết thúc').nullish(),
  phases: z.array(phaseInput).min(1, 'cần ít nhất một giai đoạn').max(10, 'tối đa 10 giai đoạn').nullish(),
});
export type CreatePlanInput = z.infer<typeof createPlanInput>;

export const setTargetInput = z.object({
  planId: z.string().uuid('mã kế hoạch không hợp lệ'),
  indicator: z.enum(INDICATORS),
  unitId: z.string().uuid('mã đơn vị không hợp lệ'),
  year: year('năm'),
  percentage: z
    .number()
    .min(0, 'tỷ lệ từ 0 đến 100%')
    .max(100, 'tỷ lệ từ 0 đến 100%')
    .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, 'tỷ lệ có tối đa 2 chữ số thập phân'),
});
export type SetTargetInput = z.infer<typeof setTargetInput>;

const field = (...names: (string | number)[]) => ['input', ...names.map(String)];

/** The movement's two phases: 2023–2025 closed by the interim review (sơ kết) 2025, 2026–2030 by the final review (tổng kết) 2030. */
export function defaultPhases(startYear: number, endYear: number): PlanPhase[] {
  if (startYear === FIRST_YEAR && endYear === LAST_YEAR) {
    return [
      { startYear: 2023, endYear: 2025, reviewYear: 2025, reviewKind: 'INTERIM' },
      { startYear: 2026, endYear: 2030, reviewYear: 2030, reviewKind: 'FINAL' },
    ];
  }
  return [{ startYear, endYear, reviewYear: endYear, reviewKind: 'FINAL' }];
}

/** Phases in order, back to back over the whole period, each reviewed within itself; the last review is final. */
export function checkPhases(startYear: number, endYear: number, phases: CreatePlanInput['phases'] & object): PlanPhase[] {
  let next = startYear;
  const out = phases.map((p, i) => {
    if (p.startYear !== next) {
      throw badInput(
        i === 0
          ? `Giai đoạn đầu phải bắt đầu từ năm ${startYear} (năm bắt đầu kế hoạch)`
          : `Giai đoạn ${i + 1} phải bắt đầu ngay sau giai đoạn ${i} (năm ${next})`,
        'PHASES_NOT_CONTIGUOUS',
        field('phases', i, 'startYear'),
      );
    }
    if (p.endYear < p.startYear) {
      throw badInput(`Giai đoạn ${i + 1} kết thúc trước khi bắt đầu`, 'PHASE_ENDS_BEFORE_START', field('phases', i, 'endYear'));
    }
    const reviewYear = p.reviewYear ?? p.endYear;
    if (reviewYear < p.startYear || reviewYear > p.endYear) {
      throw badInput(
        `Năm sơ kết/tổng kết của giai đoạn ${i + 1} phải trong giai đoạn (${p.startYear}–${p.endYear})`,
        'REVIEW_OUTSIDE_PHASE',
        field('phases', i, 'reviewYear'),
      );
    }
    next = p.endYear + 1;
    return {
      startYear: p.startYear,
      endYear: p.endYear,
      reviewYear,
      reviewKind: i === phases.length - 1 ? 'FINAL' : 'INTERIM',
    } as PlanPhase;
  });
  if (next !== endYear + 1) {
    throw badInput(
      `Các giai đoạn phải kết thúc đúng năm kết thúc kế hoạch (${endYear})`,
      'PHASES_NOT_COVERING',
      field('phases', phases.length - 1, 'endYear'),
    );
  }
  return out;
}

/** The unit and its ancestors today, nearest first, from the hierarchy replica; empty when the unit is not in force today. */
export async function unitAndAncestors(em: EntityManager, unitId: string, asOf = todayInVietnam()): Promise<string[]> {
  return (await unitsAndAncestors(em, [unitId], asOf)).get(unitId) ?? [];
}

/**
 * CTE `up(root, id, parent_id, depth)`: each root unit (depth 0) and its ancestors on a date, nearest
 * first. Five bindings: the roots (uuid[] literal), then the date four times.
 */
export const ANCESTORS_CTE = `up(root, id, parent_id, depth) as (
    select v.unit_id, v.unit_id, v.parent_id, 0 from admin_unit_version_replica v
    where v.unit_id = any(?::uuid[]) and v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date)
    union
    select up.root, v.unit_id, v.parent_id, up.depth + 1 from up
    join admin_unit_version_replica v on v.unit_id = up.parent_id
    where v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date) and up.depth < 20
  )`;

/** `unitAndAncestors` for many units with one statement: each unit followed by its ancestors on `asOf`, nearest first. */
export async function unitsAndAncestors(
  em: EntityManager,
  unitIds: readonly string[],
  asOf = todayInVietnam(),
): Promise<Map<string, string[]>> {
  const rows = await rawQuery<{ root: string; id: string }[]>(
    em,
    `with recursive ${ANCESTORS_CTE} select root, id from up order by root, depth`,
    [uuidArray([...new Set(unitIds)]), asOf, asOf, asOf, asOf],
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.root, [...(out.get(r.root) ?? []), r.id]);
  return out;
}

/**
 * Creates a plan. Checked in this order, a refusal writes nothing: the input (BAD_USER_INPUT with
 * its field); the issuing unit is in force today (ISSUING_UNIT_NOT_FOUND); the caller is an
 * education officer on the issuing unit or above (FORBIDDEN OUTSIDE_SCOPE); the parent plan exists,
 * covers the period and was issued by the same unit or one above it; no plan of the issuing unit
 * has the same number (CONFLICT PLAN_NUMBER_EXISTS).
 */
export async function createPlan(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: CreatePlanInput,
): Promise<{ result: Plan; events: CloudEvent[] }> {
  const startYear = input.startYear ?? FIRST_YEAR;
  const endYear = input.endYear ?? LAST_YEAR;
  if (endYear < startYear) {
    throw badInput(`Năm kết thúc (${endYear}) trước năm bắt đầu (${startYear})`, 'PERIOD_ENDS_BEFORE_START', field('endYear'));
  }
  const phases = input.phases ? checkPhases(startYear, endYear, input.phases) : defaultPhases(startYear, endYear);

  const ancestors = await unitAndAncestors(em, input.issuingUnitId);
  if (ancestors.length === 0) {
    throw badInput(
      'Không có đơn vị hành chính ban hành này (hoặc đơn vị không còn hiệu lực)',
      'ISSUING_UNIT_NOT_FOUND',
      field('issuingUnitId'),
    );
  }
  await scope.requireCovers(auth, PLAN_ROLES, [input.issuingUnitId]);

  if (input.parentPlanId) {
    const parent = await em.findOne(Plan, { id: input.parentPlanId });
    if (!parent) throw badInput('Không có kế hoạch cấp trên này', 'PARENT_PLAN_NOT_FOUND', field('parentPlanId'));
    if (parent.startYear > startYear || parent.endYear < endYear) {
      throw badInput(
        `Kế hoạch cấp trên ${parent.number} (${parent.startYear}–${parent.endYear}) không bao trùm thời kỳ ${startYear}–${endYear}`,
        'PARENT_PLAN_PERIOD',
        field('parentPlanId'),
      );
    }
    if (!ancestors.includes(parent.issuingUnitId)) {
      throw badInput(
        `Kế hoạch cấp trên ${parent.number} phải do chính đơn vị ban hành hoặc một đơn vị cấp trên của đơn vị ban hành`,
        'PARENT_PLAN_UNIT',
        field('parentPlanId'),
      );
    }
  }

  if (await em.findOne(Plan, { issuingUnitId: input.issuingUnitId, number: input.number })) {
    throw conflict(`Đơn vị đã ban hành kế hoạch số ${input.number}`, 'PLAN_NUMBER_EXISTS', field('number'));
  }

  const plan = Object.assign(new Plan(), {
    id: randomUUID(),
    number: input.number,
    issuedOn: input.issuedOn,
    issuingUnitId: input.issuingUnitId,
    organizationId: input.issuingOrganizationId ?? null,
    parentPlanId: input.parentPlanId ?? null,
    title: input.title ?? null,
    startYear,
    endYear,
    phases,
    createdBy: auth.subject,
  });
  em.persist(plan);
  return { result: plan, events: [] };
}

/**
 * Sets (or replaces) a plan's target for one indicator, unit and year, and emits target.set.
 * Refused, writing nothing: an unknown plan, a year outside its period, a unit that is not the
 * issuing unit or below it (BAD_USER_INPUT); a caller not covering the issuing unit (FORBIDDEN).
 */
export async function setTarget(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: SetTargetInput,
): Promise<{ result: PlanTarget; events: CloudEvent[] }> {
  const plan = await em.findOne(Plan, { id: input.planId });
  if (!plan) throw badInput('Không có kế hoạch này', 'PLAN_NOT_FOUND', field('planId'));
  if (input.year < plan.startYear || input.year > plan.endYear) {
    throw badInput(
      `Năm ${input.year} ngoài thời kỳ của kế hoạch ${plan.number} (${plan.startYear}–${plan.endYear})`,
      'YEAR_OUTSIDE_PLAN',
      field('year'),
    );
  }
  await scope.requireCovers(auth, PLAN_ROLES, [plan.issuingUnitId]);
  const inPlanArea = new Set(await scope.subtree(plan.issuingUnitId, todayInVietnam()));
  if (!inPlanArea.has(input.unitId)) {
    throw badInput(
      `Đơn vị áp dụng chỉ tiêu phải là đơn vị ban hành kế hoạch ${plan.number} hoặc đơn vị trực thuộc`,
      'UNIT_OUTSIDE_PLAN',
      field('unitId'),
    );
  }

  const percentage = input.percentage.toFixed(2);
  let target = await em.findOne(PlanTarget, { planId: plan.id, indicator: input.indicator, unitId: input.unitId, year: input.year });
  const previous = target ? Number(target.percentage) : null;
  const now = new Date();
  if (target) {
    Object.assign(target, { percentage, setAt: now, setBy: auth.subject });
  } else {
    target = Object.assign(new PlanTarget(), {
      id: randomUUID(),
      planId: plan.id,
      indicator: input.indicator,
      unitId: input.unitId,
      year: input.year,
      percentage,
      setAt: now,
      setBy: auth.subject,
    });
    em.persist(target);
  }
  const event = newEvent(TARGET_SET, target.id, {
    id: target.id,
    planId: plan.id,
    planNumber: plan.number,
    issuingUnitId: plan.issuingUnitId,
    indicator: target.indicator,
    unitId: target.unitId,
    year: target.year,
    percentage: Number(percentage),
    previousPercentage: previous,
    setBy: auth.subject,
  });
  return { result: target, events: [event] };
}
