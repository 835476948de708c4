import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { AwardsContext } from '../context';

export const AWARD_ROUND_KINDS = [
  { kind: 'ANNUAL', name: 'Khen thưởng hằng năm (Tuần lễ hưởng ứng học tập suốt đời)' },
  { kind: 'INTERIM_REVIEW_2025', name: 'Sơ kết giai đoạn 2023–2025' },
  { kind: 'FINAL_REVIEW_2030', name: 'Tổng kết phong trào 2023–2030' },
  { kind: 'AD_HOC', name: 'Khen thưởng đột xuất' },
] as const;

export const roundKindResolvers: GraphQLResolverMap<AwardsContext> = {
  Query: { awardRoundKinds: () => AWARD_ROUND_KINDS },
};
