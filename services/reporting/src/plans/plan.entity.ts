import { EntitySchema } from '@mikro-orm/core';
import type { Indicator } from './indicators';

export type ReviewKind = 'INTERIM' | 'FINAL';

/** A phase of a plan and the review that closes it (sơ kết / tổng kết). */
export interface PlanPhase {
  startYear: number;
  endYear: number;
  reviewYear: number;
  reviewKind: ReviewKind;
}

/** A plan (kế hoạch) issued by a unit, possibly under a parent plan (table reporting_plan). */
export class Plan {
  id!: string;
  number!: string;
  issuedOn!: string;
  issuingUnitId!: string;
  organizationId: string | null = null;
  parentPlanId: string | null = null;
  title: string | null = null;
  startYear!: number;
  endYear!: number;
  phases!: PlanPhase[];
  createdAt: Date = new Date();
  createdBy!: string;
}

export const PlanSchema = new EntitySchema<Plan>({
  class: Plan,
  tableName: 'reporting_plan',
  properties: {
    id: { type: 'uuid', primary: true },
    number: { type: 'text' },
    issuedOn: { type: 'date', fieldName: 'issued_on' },
    issuingUnitId: { type: 'uuid', fieldName: 'issuing_unit_id' },
    organizationId: { type: 'uuid', fieldName: 'organization_id', nullable: true },
    parentPlanId: { type: 'uuid', fieldName: 'parent_plan_id', nullable: true },
    title: { type: 'text', nullable: true },
    startYear: { type: 'integer', fieldName: 'start_year' },
    endYear: { type: 'integer', fieldName: 'end_year' },
    phases: { type: 'json' },
    createdAt: { type: 'Date', fieldName: 'created_at' },
    createdBy: { type: 'text', fieldName: 'created_by' },
  },
});

/** One target: a percentage for one indicator, one scope unit, one year, set by a plan (table reporting_plan_target). */
export class PlanTarget {
  id!: string;
  planId!: string;
  indicator!: Indicator;
  unitId!: string;
  year!: number;
  /** numeric(5,2): kept as the string PostgreSQL returns, read through Number() */
  percentage!: string;
  setAt: Date = new Date();
  setBy!: string;
}

export const PlanTargetSchema = new EntitySchema<PlanTarget>({
  class: PlanTarget,
  tableName: 'reporting_plan_target',
  properties: {
    id: { type: 'uuid', primary: true },
    planId: { type: 'uuid', fieldName: 'plan_id' },
    indicator: { type: 'text' },
    unitId: { type: 'uuid', fieldName: 'unit_id' },
    year: { type: 'integer' },
    percentage: { type: 'decimal', precision: 5, scale: 2 },
    setAt: { type: 'Date', fieldName: 'set_at' },
    setBy: { type: 'text', fieldName: 'set_by' },
  },
});
