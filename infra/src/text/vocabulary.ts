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
