import { EntitySchema } from '@mikro-orm/core';
import { auditedProperties, type Role } from '@xhht/infra';

/** Levels of the hierarchy whose authority may decide a recognition. */
export const DECIDING_LEVELS = ['COMMUNE', 'DISTRICT', 'PROVINCE', 'NATION'] as const;
export type DecidingLevel = (typeof DECIDING_LEVELS)[number];

/**
 * One row of the effective-dated configuration "who decides which title for which subject level".
 * Dates are inclusive; validTo null = open-ended. For one (title, subjectLevel) no two rows overlap.
 */
export class RecognitionAuthorityRule {
  id!: string;
  title!: string;
  subjectLevel!: string;
  decidingLevel!: DecidingLevel;
  decidingRole!: Role;
  authorityName!: string;
  legalBasis!: string;
  validFrom!: string;
  validTo: string | null = null;
  createdAt: Date = new Date();
  createdBy!: string;
  updatedAt: Date = new Date();
  updatedBy!: string;
}

export const RecognitionAuthorityRuleSchema = new EntitySchema<RecognitionAuthorityRule>({
  class: RecognitionAuthorityRule,
  tableName: 'recognition_authority_rule',
  properties: {
    id: { type: 'uuid', primary: true },
    title: { type: 'text' },
    subjectLevel: { type: 'text', fieldName: 'subject_level' },
    decidingLevel: { type: 'text', fieldName: 'deciding_level' },
    decidingRole: { type: 'text', fieldName: 'deciding_role' },
    authorityName: { type: 'text', fieldName: 'authority_name' },
    legalBasis: { type: 'text', fieldName: 'legal_basis' },
    validFrom: { type: 'date', fieldName: 'valid_from' },
    validTo: { type: 'date', fieldName: 'valid_to', nullable: true },
    ...auditedProperties,
  },
});
