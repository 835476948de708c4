/** What an initiative is, with the Vietnamese names users read. */
export const INITIATIVE_KINDS = ['INITIATIVE', 'GOOD_MODEL', 'CREATIVE_PRACTICE'] as const;
export type InitiativeKind = (typeof INITIATIVE_KINDS)[number];
export const INITIATIVE_KIND_NAMES: Record<InitiativeKind, string> = {
  INITIATIVE: 'Sáng kiến',
  GOOD_MODEL: 'Mô hình hay',
  CREATIVE_PRACTICE: 'Cách làm sáng tạo',
};

/** The movement's fields an initiative works in (the plans' headings). */
export const INITIATIVE_FIELDS = [
  'FAMILY_LEARNING',
  'COMMUNITY_LEARNING_CENTRE',
  'DIGITAL_SKILLS',
  'READING_CULTURE',
  'STUDY_PROMOTION',
  'WORKPLACE_LEARNING',
  'LITERACY',
  'OTHER',
] as const;
export type InitiativeField = (typeof INITIATIVE_FIELDS)[number];
export const INITIATIVE_FIELD_NAMES: Record<InitiativeField, string> = {
  FAMILY_LEARNING: 'Học tập trong gia đình, dòng họ',
  COMMUNITY_LEARNING_CENTRE: 'Trung tâm học tập cộng đồng',
  DIGITAL_SKILLS: 'Kỹ năng số, chuyển đổi số',
  READING_CULTURE: 'Thư viện, văn hóa đọc',
  STUDY_PROMOTION: 'Khuyến học, khuyến tài',
  WORKPLACE_LEARNING: 'Học tập tại cơ quan, đơn vị',
  LITERACY: 'Xóa mù chữ, phổ cập giáo dục',
  OTHER: 'Lĩnh vực khác',
};

/** How far an initiative's effect reaches, smallest first. */
export const EFFECT_SCOPES = ['UNIT', 'COMMUNE', 'PROVINCE', 'NATIONAL'] as const;
export type EffectScope = (typeof EFFECT_SCOPES)[number];
export const EFFECT_SCOPE_NAMES: Record<EffectScope, string> = {
  UNIT: 'Trong cơ quan, đơn vị',
  COMMUNE: 'Cấp xã',
  PROVINCE: 'Cấp tỉnh',
  NATIONAL: 'Toàn quốc',
};

/**
 * The widest effect a council of a unit of this kind can recognise: a commune's council answers
 * for its commune, a province's for the province, only the nation's for the whole country.
 */
export const WIDEST_EFFECT_BY_UNIT_KIND: Record<string, EffectScope> = {
  VILLAGE: 'UNIT',
  COMMUNE: 'COMMUNE',
  // districts recognised at the grassroots level until July 2025, like communes now
  DISTRICT: 'COMMUNE',
  PROVINCE: 'PROVINCE',
  NATION: 'NATIONAL',
};

export const INITIATIVE_STATUSES = ['DRAFT', 'SUBMITTED', 'RECOGNISED', 'RETURNED', 'REJECTED'] as const;
export type InitiativeStatus = (typeof INITIATIVE_STATUSES)[number];
export const INITIATIVE_STATUS_NAMES: Record<InitiativeStatus, string> = {
  DRAFT: 'Đang soạn',
  SUBMITTED: 'Đã gửi, chờ Hội đồng xét',
  RECOGNISED: 'Đã được công nhận',
  RETURNED: 'Bị trả lại',
  REJECTED: 'Không được công nhận',
};
