import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateScalar, mergeResolverMaps } from '@xhht/infra';
import type { RecognitionContext } from './context';
import { titleResolvers } from './titles/learning-titles';
import { criteriaSetResolvers } from './criteria/criteria-set.resolvers';
import { assessmentResolvers } from './assessments/assessment.resolvers';
import { evidenceResolvers } from './evidence/evidence.resolvers';
import { decisionResolvers } from './decisions/decision.resolvers';
import { recognitionResolvers } from './recognitions/recognition.resolvers';
import { authorityResolvers } from './authority/authority.resolvers';
import { cycleResolvers } from './cycles/recognition-cycle.resolvers';

/** Every module's resolvers, merged type by type (several modules add to Query and Mutation). */
export const resolvers: GraphQLResolverMap<RecognitionContext> = mergeResolverMaps<GraphQLResolverMap<RecognitionContext>>(
  { Date: DateScalar as unknown as GraphQLResolverMap<RecognitionContext>[string] },
  titleResolvers,
  criteriaSetResolvers,
  assessmentResolvers,
  evidenceResolvers,
  decisionResolvers,
  recognitionResolvers,
  authorityResolvers,
  cycleResolvers,
);
