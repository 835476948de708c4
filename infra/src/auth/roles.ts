/** Roles of domain.md §6 with their Vietnamese names. */
export const ROLES = {
  SYSTEM_ADMIN: 'Quản trị hệ thống',
  STEERING_COMMITTEE: 'Thành viên Ban Chỉ đạo',
  EDUCATION_OFFICER: 'Cán bộ ngành Giáo dục',
  ASSOCIATION_OFFICER: 'Cán bộ Hội Khuyến học',
  COMMUNE_OFFICER: 'Cán bộ cấp xã',
  ORGANIZATION_OFFICER: 'Cán bộ cơ quan, đơn vị',
  COUNCIL_MEMBER: 'Thành viên Hội đồng Thi đua – Khen thưởng',
  EMULATION_OFFICER: 'Cán bộ thi đua – khen thưởng',
  CITIZEN: 'Công dân',
  PARTNER: 'Cơ quan đối tác',
} as const;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];
