import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateScalar } from '@xhht/infra';
import type { RecognitionContext } from './context';
import { titleResolvers } from './titles/learning-titles';

export const resolvers: GraphQLResolverMap<RecognitionContext> = {
  Date: DateScalar as unknown as GraphQLResolverMap<RecognitionContext>[string],
  ...titleResolvers,
};
