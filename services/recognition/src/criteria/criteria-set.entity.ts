import { EntitySchema } from '@mikro-orm/core';
import { Audited, auditedProperties } from '@xhht/infra';
import type { CriteriaDefinition } from './criteria-definition';

export type CriteriaSetStatus = 'DRAFT' | 'PUBLISHED' | 'RETIRED';

/** One version of a criteria set. Only a DRAFT changes; publishing freezes it. */
export class CriteriaSet extends Audited {
  id!: string;
  /** the family: every version of one set shares its code */
  code!: string;
  version!: number;
  title!: string;
  subjectLevel!: string;
  name!: string;
  legalBasis!: string;
  /** YYYY-MM-DD, inclusive */
  validFrom!: string;
  validTo?: string | null;
  status!: CriteriaSetStatus;
  sample!: boolean;
  definition!: CriteriaDefinition;
  publishedAt?: Date | null;
  publishedBy?: string | null;
  retiredAt?: Date | null;
  retiredBy?: string | null;
}

export const CriteriaSetSchema = new EntitySchema<CriteriaSet>({
  class: CriteriaSet,
  tableName: 'criteria_set',
  properties: {
    id: { type: 'uuid', primary: true },
    code: { type: 'text' },
    version: { type: 'integer' },
    title: { type: 'text' },
    subjectLevel: { type: 'text', fieldName: 'subject_level' },
    name: { type: 'text' },
    legalBasis: { type: 'text', fieldName: 'legal_basis' },
    validFrom: { type: 'date', fieldName: 'valid_from' },
    validTo: { type: 'date', fieldName: 'valid_to', nullable: true },
    status: { type: 'text' },
    sample: { type: 'boolean' },
    definition: { type: 'json' },
    publishedAt: { type: 'Date', fieldName: 'published_at', nullable: true },
    publishedBy: { type: 'text', fieldName: 'published_by', nullable: true },
    retiredAt: { type: 'Date', fieldName: 'retired_at', nullable: true },
    retiredBy: { type: 'text', fieldName: 'retired_by', nullable: true },
    ...auditedProperties,
  },
});
