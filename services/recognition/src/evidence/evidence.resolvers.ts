import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { isUuid } from '@xhht/infra';
import type { RecognitionContext } from '../context';
import { requireReadEvidence } from './evidence-access';
import type { AssessmentEvidence, EvidenceFile } from './evidence.entity';

export const evidenceResolvers: GraphQLResolverMap<RecognitionContext> = {
  EvidenceFile: {
    uploadedAt: (f: EvidenceFile) => f.uploadedAt.toISOString(),
  },
  AssessmentEvidence: {
    file: (e: AssessmentEvidence, _: unknown, ctx: RecognitionContext) =>
      e.evidenceFileId ? ctx.loaders.evidenceFile.load(e.evidenceFileId) : null,
    createdAt: (e: AssessmentEvidence) => e.createdAt.toISOString(),
  },
  Query: {
    evidenceFile: async (_: unknown, args: { id: string }, ctx: RecognitionContext) => {
      const file = isUuid(args.id) ? await ctx.loaders.evidenceFile.load(args.id) : null;
      if (!file) return null;
      await requireReadEvidence(ctx.em, ctx.auth, file, ctx.loaders.scope);
      return file;
    },
  },
};
