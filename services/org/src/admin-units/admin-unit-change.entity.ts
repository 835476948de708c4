import { EntitySchema } from '@mikro-orm/core';
import type { AdminUnitChangeData } from '@xhht/infra';

/** The change types of the event contract (each has its own event type). */
export type AdminUnitChangeType = AdminUnitChangeData['type'];

export const ADMIN_UNIT_CHANGE_TYPE_NAMES: Record<AdminUnitChangeType, string> = {
  MERGE: 'Nhập',
  SPLIT: 'Chia, tách',
  RENAME: 'Đổi tên',
  RECLASSIFY: 'Chuyển loại đơn vị',
  MOVE: 'Điều chỉnh địa giới (chuyển trực thuộc)',
  DISSOLVE: 'Giải thể, không tổ chức cấp này',
};

/** A recorded change of the hierarchy with its legal basis (e.g. "Nghị quyết 202/2025/QH15"). */
export class AdminUnitChange {
  id!: string;
  type!: AdminUnitChangeType;
  /** First day the new structure is in force. */
  effectiveDate!: string;
  legalBasis!: string;
  note?: string | null;
  createdAt: Date = new Date();
  createdBy!: string;
}

export type ChangeRole = 'PREDECESSOR' | 'SUCCESSOR' | 'SUBJECT';

/** A unit taking part in a change: ended by it (predecessor), formed or enlarged by it (successor), or changed in place (subject). */
export class AdminUnitChangeUnit {
  changeId!: string;
  unitId!: string;
  role!: ChangeRole;
  partial = false;
}

export const AdminUnitChangeSchema = new EntitySchema<AdminUnitChange>({
  class: AdminUnitChange,
  tableName: 'admin_unit_change',
  properties: {
    id: { type: 'uuid', primary: true },
    type: { type: 'text' },
    effectiveDate: { type: 'date', fieldName: 'effective_date' },
    legalBasis: { type: 'text', fieldName: 'legal_basis' },
    note: { type: 'text', nullable: true },
    createdAt: { type: 'Date', fieldName: 'created_at' },
    createdBy: { type: 'text', fieldName: 'created_by' },
  },
});

export const AdminUnitChangeUnitSchema = new EntitySchema<AdminUnitChangeUnit>({
  class: AdminUnitChangeUnit,
  tableName: 'admin_unit_change_unit',
  properties: {
    changeId: { type: 'uuid', fieldName: 'change_id', primary: true },
    unitId: { type: 'uuid', fieldName: 'unit_id', primary: true },
    role: { type: 'text', primary: true },
    partial: { type: 'boolean' },
  },
});
