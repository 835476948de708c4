import { EntitySchema } from '@mikro-orm/core';

/** A household (hộ gia đình). The head's name is personal data: readable only within scope, never in events. */
export class Household {
  id!: string;
  unitId!: string;
  code!: string;
  headName!: string;
  headNameFolded!: string;
  address?: string | null;
  createdAt: Date = new Date();
  createdBy!: string;
  updatedAt: Date = new Date();
  updatedBy!: string;
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
    createdAt: { type: 'Date', fieldName: 'created_at' },
    createdBy: { type: 'text', fieldName: 'created_by' },
    updatedAt: { type: 'Date', fieldName: 'updated_at' },
    updatedBy: { type: 'text', fieldName: 'updated_by' },
  },
});
