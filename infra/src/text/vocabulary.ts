/** Codes several services speak of, with their Vietnamese names (domain.md §1–2). */

/** A person's occupational group (nhóm đối tượng), by which Learning Citizens register and are counted. */
export const OCCUPATIONAL_GROUPS = ['FARMER', 'WORKER', 'OFFICIAL', 'TEACHER', 'STUDENT', 'OTHER'] as const;
export type OccupationalGroup = (typeof OCCUPATIONAL_GROUPS)[number];
export const OCCUPATIONAL_GROUP_NAMES: Record<OccupationalGroup, string> = {
  FARMER: 'Nông dân',
  WORKER: 'Công nhân',
  OFFICIAL: 'Cán bộ, công chức, viên chức',
  TEACHER: 'Giáo viên',
  STUDENT: 'Học sinh, sinh viên',
  OTHER: 'Khác',
};

/** The level a title is recognised at. */
export const RESULT_LEVELS = ['ACHIEVED', 'LEVEL_1', 'LEVEL_2'] as const;
export type ResultLevel = (typeof RESULT_LEVELS)[number];
export const RESULT_LEVEL_NAMES: Record<ResultLevel, string> = { ACHIEVED: 'Đạt', LEVEL_1: 'Mức 1 (Khá)', LEVEL_2: 'Mức 2 (Tốt)' };
/** Lower levels first: a level is reached only when every level below it is reached too. */
export const LEVEL_ORDER: Record<ResultLevel, number> = { ACHIEVED: 0, LEVEL_1: 1, LEVEL_2: 2 };

/** The indicators a plan sets targets for (domain.md §3); each is a percentage. Reporting counts them; awards' rules read them. */
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
