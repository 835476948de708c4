/** The indicators a plan sets targets for (domain.md §3); each is a percentage. */
export const INDICATORS = [
  'LEARNING_FAMILY_RATE',
  'LEARNING_CLAN_RATE',
  'LEARNING_COMMUNITY_RATE',
  'LEARNING_UNIT_RATE',
  'LEARNING_CITIZEN_RATE_ADULTS',
  'LEARNING_CITIZEN_RATE_WORKERS',
  'LEARNING_CITIZEN_RATE_STAFF',
] as const;
export type Indicator = (typeof INDICATORS)[number];

export const INDICATOR_NAMES: Record<Indicator, string> = {
  LEARNING_FAMILY_RATE: 'Tỷ lệ hộ gia đình đạt danh hiệu Gia đình học tập',
  LEARNING_CLAN_RATE: 'Tỷ lệ dòng họ đạt danh hiệu Dòng họ học tập',
  LEARNING_COMMUNITY_RATE: 'Tỷ lệ thôn, tổ dân phố đạt danh hiệu Cộng đồng học tập',
  LEARNING_UNIT_RATE: 'Tỷ lệ cơ quan, tổ chức trên địa bàn xã đạt danh hiệu Đơn vị học tập',
  LEARNING_CITIZEN_RATE_ADULTS: 'Tỷ lệ người lớn đạt danh hiệu Công dân học tập',
  LEARNING_CITIZEN_RATE_WORKERS: 'Tỷ lệ người lao động trong gia đình, dòng họ, cộng đồng học tập đạt danh hiệu Công dân học tập',
  LEARNING_CITIZEN_RATE_STAFF: 'Tỷ lệ cán bộ, công chức, viên chức, người lao động trong Đơn vị học tập đạt danh hiệu Công dân học tập',
};
