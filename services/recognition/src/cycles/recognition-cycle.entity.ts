import { EntitySchema } from '@mikro-orm/core';

export const CYCLE_STATUSES = ['OPEN', 'CLOSED'] as const;
export type CycleStatus = (typeof CYCLE_STATUSES)[number];

/** One title, one assessed year, one deciding unit, with its deadlines (table recognition_cycle). */
export class RecognitionCycle {
  id!: string;
  year!: number;
  title!: string;
  subjectLevel!: string;
  name!: string;
  decidingUnitId!: string;
  authorityRuleId: string | null = null;
  criteriaSetId: string | null = null;
  submissionDeadline!: string;
  decisionDeadline!: string;
  validityMonths = 36;
  /** OPEN until the deciding authority closes it (the decision module does, once decided). */
  status: CycleStatus = 'OPEN';
  createdAt: Date = new Date();
  createdBy!: string;
}

export const RecognitionCycleSchema = new EntitySchema<RecognitionCycle>({
  class: RecognitionCycle,
  tableName: 'recognition_cycle',
  properties: {
    id: { type: 'uuid', primary: true },
    year: { type: 'integer' },
    title: { type: 'text' },
    subjectLevel: { type: 'text', fieldName: 'subject_level' },
    name: { type: 'text' },
    decidingUnitId: { type: 'uuid', fieldName: 'deciding_unit_id' },
    authorityRuleId: { type: 'uuid', fieldName: 'authority_rule_id', nullable: true },
    criteriaSetId: { type: 'uuid', fieldName: 'criteria_set_id', nullable: true },
    submissionDeadline: { type: 'date', fieldName: 'submission_deadline' },
    decisionDeadline: { type: 'date', fieldName: 'decision_deadline' },
    validityMonths: { type: 'integer', fieldName: 'validity_months' },
    status: { type: 'text' },
    createdAt: { type: 'Date', fieldName: 'created_at' },
    createdBy: { type: 'text', fieldName: 'created_by' },
  },
});
