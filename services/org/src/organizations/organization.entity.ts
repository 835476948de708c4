import { EntitySchema } from '@mikro-orm/core';
import { Audited, auditedProperties } from '@xhht/infra';

export const ORGANIZATION_TYPES = [
  'STATE_AGENCY',
  'STATE_AGENCY_OFFICE',
  'FATHERLAND_FRONT',
  'SOCIO_POLITICAL',
  'STUDY_PROMOTION_ASSOCIATION',
  'ENTERPRISE',
  'COOPERATIVE',
  'SCHOOL',
  'COMMUNITY_LEARNING_CENTRE',
  'LIBRARY',
  'CULTURE_HOUSE',
  'OTHER',
] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

export const ORGANIZATION_TYPE_NAMES: Record<OrganizationType, string> = {
  STATE_AGENCY: 'Cơ quan nhà nước',
  STATE_AGENCY_OFFICE: 'Đơn vị trực thuộc cơ quan nhà nước',
  FATHERLAND_FRONT: 'Mặt trận Tổ quốc',
  SOCIO_POLITICAL: 'Tổ chức chính trị – xã hội',
  STUDY_PROMOTION_ASSOCIATION: 'Hội Khuyến học',
  ENTERPRISE: 'Doanh nghiệp',
  COOPERATIVE: 'Hợp tác xã',
  SCHOOL: 'Trường học',
  COMMUNITY_LEARNING_CENTRE: 'Trung tâm học tập cộng đồng',
  LIBRARY: 'Thư viện',
  CULTURE_HOUSE: 'Nhà văn hóa',
  OTHER: 'Khác',
};

export class Organization extends Audited {
  id!: string;
  unitId!: string;
  code!: string;
  name!: string;
  nameFolded!: string;
  type!: OrganizationType;
  parentId?: string | null;
  validFrom!: string;
  validTo?: string | null;
}

export const OrganizationSchema = new EntitySchema<Organization>({
  class: Organization,
  tableName: 'organization',
  properties: {
    id: { type: 'uuid', primary: true },
    unitId: { type: 'uuid', fieldName: 'unit_id' },
    code: { type: 'text' },
    name: { type: 'text' },
    nameFolded: { type: 'text', fieldName: 'name_folded' },
    type: { type: 'text' },
    parentId: { type: 'uuid', fieldName: 'parent_id', nullable: true },
    validFrom: { type: 'date', fieldName: 'valid_from' },
    validTo: { type: 'date', fieldName: 'valid_to', nullable: true },
    ...auditedProperties,
  },
});
