import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isUuid, pageWindow, parseInput, todayInVietnam } from '@xhht/infra';
import type { AwardsContext } from '../context';
import {
  awardPaymentInput,
  closeFund,
  closeFundInput,
  defineProgramme,
  donationInput,
  grantScholarship,
  openFund,
  openFundInput,
  payAward,
  programmeInput,
  readsRecipients,
  recordDonation,
  requireFundTotalsReader,
  requireMovementReader,
  reverseInput,
  reverseMovement,
  scholarshipInput,
  type MovementResult,
} from './fund.domain';
import {
  FUND_STATUS_NAMES,
  MOVEMENT_KIND_NAMES,
  fundsOfUnits,
  programmesFor,
  type FundRow,
  type KindTotal,
  type MovementListArgs,
  type MovementRow,
  type ProgrammeRow,
} from './fund.repository';

const refuseVnd = (value: unknown) =>
  new GraphQLError(`Số tiền phải là một số (đồng), nhận được ${JSON.stringify(value)}`, {
    extensions: { code: 'BAD_USER_INPUT', messageKey: 'INVALID_AMOUNT' },
  });

/**
 * Đồng as a JSON number: GraphQL's Int stops at 2,147,483,647 đồng, less than many funds hold.
 * Any number passes here; the inputs' own rules (whole, positive) refuse it with the field named.
 */
export const VndScalar = new GraphQLScalarType({
  name: 'Vnd',
  description: 'Money in Vietnamese đồng: a whole number, as a JSON number',
  serialize: (value) => {
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new GraphQLError(`Not an amount of đồng: ${String(value)}`);
    return n;
  },
  parseValue: (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw refuseVnd(value);
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT && ast.kind !== Kind.FLOAT) throw refuseVnd(ast.kind === Kind.STRING ? ast.value : ast.kind);
    return Number(ast.value);
  },
});

const unitRef = (id: string) => ({ __typename: 'AdminUnit', id });

/** Readable funds only: the caller may read every fund asked for, or is refused. */
async function readableFund(ctx: AwardsContext, fund: FundRow | null): Promise<FundRow | null> {
  if (!fund) return null;
  await requireFundTotalsReader(ctx.auth, ctx.loaders.scope, [fund.unitId]);
  return fund;
}

const logMovement = (ctx: AwardsContext, r: MovementResult, what: string) =>
  ctx.logger.info(
    {
      fundId: r.fund.id,
      movementId: r.movement.id,
      kind: r.movement.kind,
      amount: r.movement.amount,
      balanceAfter: r.movement.balanceAfter,
      actor: ctx.auth.subject,
    },
    what,
  );

export const fundResolvers: GraphQLResolverMap<AwardsContext> = {
  Vnd: VndScalar as unknown as GraphQLResolverMap<AwardsContext>[string],
  AdminUnit: {
    studyPromotionFund: async (u: { id: string }, _: unknown, ctx: AwardsContext) =>
      isUuid(u.id) ? readableFund(ctx, await ctx.loaders.fundByUnit.load(u.id)) : null,
  },
  ScholarshipProgramme: {
    unit: (p: ProgrammeRow) => (p.unitId ? unitRef(p.unitId) : null),
  },
  StudyPromotionFund: {
    unit: (f: FundRow) => unitRef(f.unitId),
    statusName: (f: FundRow) => FUND_STATUS_NAMES[f.status],
    movements: async (f: FundRow, args: MovementListArgs, ctx: AwardsContext) => {
      await requireMovementReader(ctx.auth, ctx.loaders.scope, f.unitId);
      pageWindow(args); // refuses a bad page size or cursor before the batch
      const key = {
        first: args.first ?? 50,
        after: args.after ?? null,
        kind: args.kind ?? null,
        from: args.from ?? null,
        to: args.to ?? null,
      };
      return ctx.loaders.movementPage.load(`${f.id}|${JSON.stringify(key)}`);
    },
    yearTotals: (f: FundRow, args: { year: number }, ctx: AwardsContext) => ctx.loaders.fundYearTotals.load(`${f.id}|${args.year}`),
    createdAt: (f: FundRow) => f.createdAt.toISOString(),
  },
  FundMovement: {
    fund: (m: MovementRow, _: unknown, ctx: AwardsContext) => ctx.loaders.fundById.load(m.fundId),
    kindName: (m: MovementRow) => MOVEMENT_KIND_NAMES[m.kind],
    recipientName: async (m: MovementRow, _: unknown, ctx: AwardsContext) =>
      m.recipientName && (await readsRecipients(ctx.auth, ctx.loaders.scope, m.unitId)) ? m.recipientName : null,
    programme: (m: MovementRow, _: unknown, ctx: AwardsContext) =>
      m.programmeCode ? ctx.loaders.programmeByCode.load(m.programmeCode) : null,
    reverses: (m: MovementRow, _: unknown, ctx: AwardsContext) => (m.reversesId ? ctx.loaders.movementById.load(m.reversesId) : null),
    reversedBy: (m: MovementRow, _: unknown, ctx: AwardsContext) => (m.reversedById ? ctx.loaders.movementById.load(m.reversedById) : null),
    recordedAt: (m: MovementRow) => m.recordedAt.toISOString(),
  },
  FundKindTotal: {
    kindName: (k: KindTotal) => MOVEMENT_KIND_NAMES[k.kind],
  },
  Query: {
    studyPromotionFund: async (_: unknown, args: { id: string }, ctx: AwardsContext) =>
      isUuid(args.id) ? readableFund(ctx, await ctx.loaders.fundById.load(args.id)) : null,
    studyPromotionFunds: async (_: unknown, args: { unitIds: string[] }, ctx: AwardsContext) => {
      const unitIds = args.unitIds.filter(isUuid);
      await requireFundTotalsReader(ctx.auth, ctx.loaders.scope, unitIds);
      return fundsOfUnits(ctx.em, unitIds);
    },
    scholarshipProgrammes: (_: unknown, args: { unitId?: string | null }, ctx: AwardsContext) =>
      args.unitId && !isUuid(args.unitId) ? [] : programmesFor(ctx.em, args.unitId ?? null, todayInVietnam()),
  },
  Mutation: {
    openStudyPromotionFund: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(openFundInput, args.input);
      const fund = await ctx.transact((em) => openFund(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info(
        { fundId: fund.id, unitId: fund.unitId, organizationId: fund.organizationId, actor: ctx.auth.subject },
        'fund opened',
      );
      return { fund };
    },
    closeStudyPromotionFund: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(closeFundInput, args.input);
      const fund = await ctx.transact((em) => closeFund(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ fundId: fund.id, actor: ctx.auth.subject }, 'fund closed');
      return { fund };
    },
    recordFundDonation: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(donationInput, args.input);
      const r = await ctx.transact((em) => recordDonation(em, ctx.auth, ctx.loaders.scope, input));
      logMovement(ctx, r, 'fund donation recorded');
      return r;
    },
    grantScholarship: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(scholarshipInput, args.input);
      const r = await ctx.transact((em) => grantScholarship(em, ctx.auth, ctx.loaders.scope, input));
      logMovement(ctx, r, 'scholarship granted from fund');
      return r;
    },
    payAward: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(awardPaymentInput, args.input);
      const r = await ctx.transact((em) => payAward(em, ctx.auth, ctx.loaders.scope, input));
      logMovement(ctx, r, 'award paid from fund');
      return r;
    },
    reverseFundMovement: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(reverseInput, args.input);
      const r = await ctx.transact((em) => reverseMovement(em, ctx.auth, ctx.loaders.scope, input));
      logMovement(ctx, r, 'fund movement reversed');
      return r;
    },
    defineScholarshipProgramme: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(programmeInput, args.input);
      const programme = await ctx.transact((em) => defineProgramme(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ code: programme.code, unitId: programme.unitId, actor: ctx.auth.subject }, 'scholarship programme defined');
      return { programme };
    },
  },
};
