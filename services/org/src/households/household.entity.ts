import { EntitySchema } from '@mikro-orm/core';
import { Audited, auditedProperties } from '@xhht/infra';

/** A household (hộ gia đình). The head's name is personal data: readable only within scope, never in events. */
export class Household extends Audited {
  id!: string;
  unitId!: string;
  code!: string;
  headName!: string;
  headNameFolded!: string;
  address?: string | null;
}

export const HouseholdSchema = new EntitySchema<Household>({
  class: Household,
  tableName: 'household',
  properties: {
    id: { type: 'uuid', primary: true },
    unitId: { type: 'uuid', fieldName: 'unit_id' },
    code: { type: 'text' },
    headName: { type: 'text', fieldName: 'head_name' },
    headNameFolded: { type: 'text', fieldName: 'head_name_folded' },
    address: { type: 'text', nullable: true },
    ...auditedProperties,
  },
});
