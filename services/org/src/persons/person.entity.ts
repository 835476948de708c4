import { EntitySchema } from '@mikro-orm/core';
import { Audited, auditedProperties, OCCUPATIONAL_GROUPS, OCCUPATIONAL_GROUP_NAMES, type OccupationalGroup } from '@xhht/infra';

export const SEXES = ['FEMALE', 'MALE'] as const;
export type Sex = (typeof SEXES)[number];
export const SEX_NAMES: Record<Sex, string> = { FEMALE: 'Nữ', MALE: 'Nam' };

export { OCCUPATIONAL_GROUPS, OCCUPATIONAL_GROUP_NAMES, type OccupationalGroup };

/** A person (công dân). Name and birth year are personal data: readable only within scope, never in events. */
export class Person extends Audited {
  id!: string;
  unitId!: string;
  code!: string;
  fullName!: string;
  nameFolded!: string;
  birthYear!: number;
  sex!: Sex;
  occupationalGroup!: OccupationalGroup;
  householdId?: string | null;
  workplaceId?: string | null;
}

export const PersonSchema = new EntitySchema<Person>({
  class: Person,
  tableName: 'person',
  properties: {
    id: { type: 'uuid', primary: true },
    unitId: { type: 'uuid', fieldName: 'unit_id' },
    code: { type: 'text' },
    fullName: { type: 'text', fieldName: 'full_name' },
    nameFolded: { type: 'text', fieldName: 'name_folded' },
    birthYear: { type: 'integer', fieldName: 'birth_year' },
    sex: { type: 'text' },
    occupationalGroup: { type: 'text', fieldName: 'occupational_group' },
    householdId: { type: 'uuid', fieldName: 'household_id', nullable: true },
    workplaceId: { type: 'uuid', fieldName: 'workplace_id', nullable: true },
    ...auditedProperties,
  },
});
