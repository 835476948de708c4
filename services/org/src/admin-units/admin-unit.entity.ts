import { EntitySchema } from '@mikro-orm/core';
import type { AdminUnitKind, AdminUnitSubtype } from './admin-unit-kind';

/** A unit's identity and lifetime. What changes over its life (name, kind, parent) lives in versions. */
export class AdminUnit {
  id!: string;
  /** Official code (mã đơn vị hành chính); one unit per code at any date. */
  code!: string;
  /** YYYY-MM-DD, inclusive */
  validFrom!: string;
  /** YYYY-MM-DD, inclusive; null while the unit exists */
  validTo?: string | null;
  createdAt: Date = new Date();
  createdBy!: string;
}

/** The unit's attributes over one period; periods of one unit never overlap. */
export class AdminUnitVersion {
  unitId!: string;
  validFrom!: string;
  validTo?: string | null;
  name!: string;
  nameFolded!: string;
  kind!: AdminUnitKind;
  subtype!: AdminUnitSubtype;
  parentId?: string | null;
}

export const AdminUnitSchema = new EntitySchema<AdminUnit>({
  class: AdminUnit,
  tableName: 'admin_unit',
  properties: {
    id: { type: 'uuid', primary: true },
    code: { type: 'text' },
    validFrom: { type: 'date', fieldName: 'valid_from' },
    validTo: { type: 'date', fieldName: 'valid_to', nullable: true },
    createdAt: { type: 'Date', fieldName: 'created_at' },
    createdBy: { type: 'text', fieldName: 'created_by' },
  },
});

export const AdminUnitVersionSchema = new EntitySchema<AdminUnitVersion>({
  class: AdminUnitVersion,
  tableName: 'admin_unit_version',
  properties: {
    unitId: { type: 'uuid', fieldName: 'unit_id', primary: true },
    validFrom: { type: 'date', fieldName: 'valid_from', primary: true },
    validTo: { type: 'date', fieldName: 'valid_to', nullable: true },
    name: { type: 'text' },
    nameFolded: { type: 'text', fieldName: 'name_folded' },
    kind: { type: 'text' },
    subtype: { type: 'text' },
    parentId: { type: 'uuid', fieldName: 'parent_id', nullable: true },
  },
});
