/** The learning titles recognition grants, with their Vietnamese names (domain.md §2). */
export const LEARNING_TITLES = ['LEARNING_FAMILY', 'LEARNING_CLAN', 'LEARNING_COMMUNITY', 'LEARNING_UNIT', 'LEARNING_CITIZEN'] as const;
export type LearningTitle = (typeof LEARNING_TITLES)[number];
export const LEARNING_TITLE_NAMES: Record<LearningTitle, string> = {
  LEARNING_FAMILY: 'Gia đình học tập',
  LEARNING_CLAN: 'Dòng họ học tập',
  LEARNING_COMMUNITY: 'Cộng đồng học tập',
  LEARNING_UNIT: 'Đơn vị học tập',
  LEARNING_CITIZEN: 'Công dân học tập',
};
/** Titles recognised at Level 1 / Level 2; the others are only achieved or not. */
export const TITLES_WITH_LEVELS: readonly LearningTitle[] = ['LEARNING_COMMUNITY', 'LEARNING_UNIT'];
