import { EntitySchema } from '@mikro-orm/core';
import type { AdminUnitKind } from './admin-unit-kind';

export class AdminUnit {
  id!: string;
  code!: string;
  name!: string;
  kind!: AdminUnitKind;
  parentId?: string | null;
  /** YYYY-MM-DD */
  validFrom!: string;
  validTo?: string | null;
  createdAt: Date = new Date();
  createdBy!: string;
}

export const AdminUnitSchema = new EntitySchema<AdminUnit>({
  class: AdminUnit,
  tableName: 'admin_unit',
  properties: {
    id: { type: 'uuid', primary: true },
    code: { type: 'text' },
    name: { type: 'text' },
    kind: { type: 'text' },
    parentId: { type: 'uuid', fieldName: 'parent_id', nullable: true },
    validFrom: { type: 'date', fieldName: 'valid_from' },
    validTo: { type: 'date', fieldName: 'valid_to', nullable: true },
    createdAt: { type: 'Date', fieldName: 'created_at' },
    createdBy: { type: 'text', fieldName: 'created_by' },
  },
});
