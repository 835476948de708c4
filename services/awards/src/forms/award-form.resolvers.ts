import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DomainError, badInput, parseInput, todayInVietnam } from '@xhht/infra';
import type { AwardsContext } from '../context';
import { AUTHORITY_LEVEL_NAMES, RECIPIENT_KIND_NAMES } from './award-forms';
import { setAwardFormVersion, setAwardFormVersionInput } from './award-form.domain';
import { formKey, formsInForce, type AwardForm } from './award-form.repository';

export const awardFormResolvers: GraphQLResolverMap<AwardsContext> = {
  AwardForm: {
    recipientKindNames: (f: AwardForm) => f.recipientKinds.map((k) => RECIPIENT_KIND_NAMES[k]),
    authorityLevelName: (f: AwardForm) => AUTHORITY_LEVEL_NAMES[f.authorityLevel],
    versions: (f: AwardForm, _: unknown, ctx: AwardsContext) => ctx.loaders.formVersions.load(f.code),
  },
  Query: {
    awardForms: (_: unknown, args: { asOf?: string | null }, ctx: AwardsContext) => formsInForce(ctx.em, args.asOf ?? todayInVietnam()),
    awardForm: (_: unknown, args: { code: string; asOf?: string | null }, ctx: AwardsContext) =>
      ctx.loaders.formAt.load(formKey(args.code, args.asOf ?? todayInVietnam())),
  },
  Mutation: {
    setAwardFormVersion: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      ctx.auth.requireRole('SYSTEM_ADMIN');
      const input = parseInput(setAwardFormVersionInput, args.input);
      try {
        const { form, closed } = await ctx.transact((em) => setAwardFormVersion(em, input, ctx.auth.subject));
        ctx.logger.info({ code: form.code, validFrom: form.validFrom, actor: ctx.auth.subject }, 'award form version set');
        return { form, closedVersion: closed };
      } catch (err) {
        // the exclusion constraint caught an overlapping version the lock did not keep out: the same refusal as the domain's
        if (err instanceof DomainError && err.extensions.messageKey === 'ALREADY_EXISTS') {
          throw badInput(`Phiên bản mới của hình thức ${input.code} trùng thời gian với phiên bản khác`, 'FORM_VERSION_OVERLAP', [
            'input',
            'validFrom',
          ]);
        }
        throw err;
      }
    },
  },
};
