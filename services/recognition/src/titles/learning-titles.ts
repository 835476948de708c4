import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { RecognitionContext } from '../context';

export const LEARNING_TITLES = [
  { title: 'LEARNING_FAMILY', name: 'Gia đình học tập', subjectKind: 'HOUSEHOLD', hasLevels: false },
  { title: 'LEARNING_CLAN', name: 'Dòng họ học tập', subjectKind: 'CLAN', hasLevels: false },
  { title: 'LEARNING_COMMUNITY', name: 'Cộng đồng học tập', subjectKind: 'ADMIN_UNIT', hasLevels: true },
  { title: 'LEARNING_UNIT', name: 'Đơn vị học tập', subjectKind: 'ORGANIZATION', hasLevels: true },
  { title: 'LEARNING_CITIZEN', name: 'Công dân học tập', subjectKind: 'PERSON', hasLevels: false },
] as const;

/** What each title assesses; a Learning Community is assessed at the kind of its unit. */
export const TITLE_SUBJECT_LEVELS: Record<string, readonly string[]> = {
  LEARNING_FAMILY: ['HOUSEHOLD'],
  LEARNING_CLAN: ['CLAN'],
  LEARNING_COMMUNITY: ['VILLAGE', 'COMMUNE', 'DISTRICT', 'PROVINCE'],
  LEARNING_UNIT: ['ORGANIZATION'],
  LEARNING_CITIZEN: ['PERSON'],
};

export const titleResolvers: GraphQLResolverMap<RecognitionContext> = {
  Query: { learningTitles: () => LEARNING_TITLES },
};
