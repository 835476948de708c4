import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DomainError, conflict, isUuid, parseInput, ROLES, todayInVietnam, type Role } from '@xhht/infra';
import type { RecognitionContext } from '../context';
import { RecognitionAuthorityRule } from './authority-rule.entity';
import { addAuthorityRule, addAuthorityRuleInput, endAuthorityRule, endAuthorityRuleInput } from './authority.domain';
import { DECIDING_LEVEL_NAMES, findAuthorityRule } from './deciding-authority';

const requireAdmin = (ctx: RecognitionContext) => ctx.auth.requireRole('SYSTEM_ADMIN');

/** The exclusion constraint caught a concurrent overlapping write: the same refusal as the domain's own check. */
async function overlapSafe<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DomainError && err.extensions.messageKey === 'ALREADY_EXISTS') {
      throw conflict('Quy định thẩm quyền trùng thời gian với quy định đã có', 'AUTHORITY_RULE_OVERLAP', ['input', 'validFrom']);
    }
    throw err;
  }
}

export const authorityResolvers: GraphQLResolverMap<RecognitionContext> = {
  RecognitionAuthorityRule: {
    __resolveReference: (ref: { id: string }, ctx: RecognitionContext) => (isUuid(ref.id) ? ctx.loaders.authorityRule.load(ref.id) : null),
    decidingLevelName: (r: RecognitionAuthorityRule) => DECIDING_LEVEL_NAMES[r.decidingLevel],
    decidingRoleName: (r: RecognitionAuthorityRule) => ROLES[r.decidingRole as Role] ?? r.decidingRole,
    createdAt: (r: RecognitionAuthorityRule) => r.createdAt.toISOString(),
    updatedAt: (r: RecognitionAuthorityRule) => r.updatedAt.toISOString(),
    changes: (r: RecognitionAuthorityRule, _: unknown, ctx: RecognitionContext) => {
      requireAdmin(ctx);
      return ctx.loaders.authorityRuleChanges.load(r.id);
    },
  },
  Query: {
    // rules are public configuration: any signed-in caller may read them
    recognitionAuthorities: (_: unknown, args: { asOf?: string | null }, ctx: RecognitionContext) => {
      const asOf = args.asOf ?? todayInVietnam();
      return ctx.em.find(
        RecognitionAuthorityRule,
        { validFrom: { $lte: asOf }, $or: [{ validTo: null }, { validTo: { $gte: asOf } }] },
        { orderBy: { title: 'asc', subjectLevel: 'asc' } },
      );
    },
    recognitionAuthority: (_: unknown, args: { title: string; subjectLevel: string; asOf?: string | null }, ctx: RecognitionContext) =>
      findAuthorityRule(ctx.em, args.title, args.subjectLevel, args.asOf ?? todayInVietnam()),
  },
  Mutation: {
    addRecognitionAuthorityRule: async (_: unknown, args: { input: unknown }, ctx: RecognitionContext) => {
      requireAdmin(ctx);
      const input = parseInput(addAuthorityRuleInput, args.input);
      const rule = await overlapSafe(() => ctx.transact((em) => addAuthorityRule(em, input, ctx.auth.subject)));
      ctx.logger.info(
        { ruleId: rule.id, title: rule.title, subjectLevel: rule.subjectLevel, actor: ctx.auth.subject },
        'authority rule added',
      );
      return { rule };
    },
    endRecognitionAuthorityRule: async (_: unknown, args: { input: unknown }, ctx: RecognitionContext) => {
      requireAdmin(ctx);
      const input = parseInput(endAuthorityRuleInput, args.input);
      const rule = await overlapSafe(() => ctx.transact((em) => endAuthorityRule(em, input, ctx.auth.subject)));
      ctx.logger.info({ ruleId: rule.id, validTo: rule.validTo, actor: ctx.auth.subject }, 'authority rule ended');
      return { rule };
    },
  },
};
