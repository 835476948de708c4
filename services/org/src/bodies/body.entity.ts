import { EntitySchema } from '@mikro-orm/core';

export const BODY_KINDS = ['STEERING_COMMITTEE', 'EMULATION_COUNCIL'] as const;
export type BodyKind = (typeof BODY_KINDS)[number];
export const BODY_KIND_NAMES: Record<BodyKind, string> = {
  STEERING_COMMITTEE: 'Ban Chỉ đạo',
  EMULATION_COUNCIL: 'Hội đồng Thi đua – Khen thưởng',
};

export const MEMBER_ROLES = ['CHAIR', 'VICE_CHAIR', 'STANDING_MEMBER', 'MEMBER', 'SECRETARY'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const MEMBER_ROLE_NAMES: Record<MemberRole, string> = {
  CHAIR: 'Trưởng ban / Chủ tịch',
  VICE_CHAIR: 'Phó Trưởng ban / Phó Chủ tịch',
  STANDING_MEMBER: 'Ủy viên thường trực',
  MEMBER: 'Ủy viên',
  SECRETARY: 'Thư ký',
};

/** A steering committee or emulation council of a unit; one active of each kind per unit. */
export class Body {
  id!: string;
  unitId!: string;
  kind!: BodyKind;
  name!: string;
  decisionNumber?: string | null;
  establishedOn!: string;
  dissolvedOn?: string | null;
  createdAt: Date = new Date();
  createdBy!: string;
}

export class BodyMember {
  id!: string;
  bodyId!: string;
  fullName!: string;
  position!: string;
  memberRole!: MemberRole;
  organizationId?: string | null;
  accountId?: string | null;
  validFrom!: string;
  validTo?: string | null;
}

export const BodySchema = new EntitySchema<Body>({
  class: Body,
  tableName: 'body',
  properties: {
    id: { type: 'uuid', primary: true },
    unitId: { type: 'uuid', fieldName: 'unit_id' },
    kind: { type: 'text' },
    name: { type: 'text' },
    decisionNumber: { type: 'text', fieldName: 'decision_number', nullable: true },
    establishedOn: { type: 'date', fieldName: 'established_on' },
    dissolvedOn: { type: 'date', fieldName: 'dissolved_on', nullable: true },
    createdAt: { type: 'Date', fieldName: 'created_at' },
    createdBy: { type: 'text', fieldName: 'created_by' },
  },
});

export const BodyMemberSchema = new EntitySchema<BodyMember>({
  class: BodyMember,
  tableName: 'body_member',
  properties: {
    id: { type: 'uuid', primary: true },
    bodyId: { type: 'uuid', fieldName: 'body_id' },
    fullName: { type: 'text', fieldName: 'full_name' },
    position: { type: 'text' },
    memberRole: { type: 'text', fieldName: 'member_role' },
    organizationId: { type: 'uuid', fieldName: 'organization_id', nullable: true },
    accountId: { type: 'uuid', fieldName: 'account_id', nullable: true },
    validFrom: { type: 'date', fieldName: 'valid_from' },
    validTo: { type: 'date', fieldName: 'valid_to', nullable: true },
  },
});
