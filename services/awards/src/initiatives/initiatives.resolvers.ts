import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { connection, isUuid, pageWindow, parseInput } from '@xhht/infra';
import type { AwardsContext } from '../context';
import {
  canRead,
  recognizeInitiative,
  recognizeInput,
  reasonInput,
  registerInitiative,
  registerInput,
  rejectInitiative,
  returnInitiative,
  stepInput,
  submitInitiative,
  updateInitiative,
  updateInput,
} from './initiative.domain';
import { listExemplaryStories, type ExemplaryStoryArgs, type InitiativeRow, type TransitionRow } from './initiative.repository';
import {
  EFFECT_SCOPE_NAMES,
  INITIATIVE_FIELD_NAMES,
  INITIATIVE_KIND_NAMES,
  INITIATIVE_STATUS_NAMES,
  type InitiativeStatus,
} from './initiative-vocabulary';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The rows the caller may see, in their order; the scope's subtrees are read once per request. */
async function visible(ctx: AwardsContext, rows: (InitiativeRow | null)[]): Promise<InitiativeRow[]> {
  const seen = await Promise.all(rows.map(async (r) => (r && (await canRead(ctx.auth, ctx.loaders.scope, r)) ? r : null)));
  return seen.filter((r): r is InitiativeRow => r !== null);
}

async function visibleById(ctx: AwardsContext, id: string): Promise<InitiativeRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await visible(ctx, [await ctx.loaders.initiativeById.load(id)]);
  return row ?? null;
}

const authorsOf = async (i: InitiativeRow, ctx: AwardsContext, kind: 'PERSON' | 'ORGANIZATION', typename: string) =>
  (await ctx.loaders.initiativeAuthors.load(i.id))
    .filter((a) => a.authorKind === kind)
    .map((a) => ({ __typename: typename, id: a.authorId }));

const logStep = (ctx: AwardsContext, i: InitiativeRow, what: string) =>
  ctx.logger.info({ initiativeId: i.id, unitId: i.unitId, status: i.status, version: i.version, actor: ctx.auth.subject }, what);

export const initiativeResolvers: GraphQLResolverMap<AwardsContext> = {
  Initiative: {
    __resolveReference: (ref: { id: string }, ctx: AwardsContext) => visibleById(ctx, ref.id),
    kindName: (i: InitiativeRow) => INITIATIVE_KIND_NAMES[i.kind],
    fieldName: (i: InitiativeRow) => INITIATIVE_FIELD_NAMES[i.field],
    unit: (i: InitiativeRow) => ({ __typename: 'AdminUnit', id: i.unitId }),
    organization: (i: InitiativeRow) => (i.organizationId ? { __typename: 'Organization', id: i.organizationId } : null),
    authorPersons: (i: InitiativeRow, _: unknown, ctx: AwardsContext) => authorsOf(i, ctx, 'PERSON', 'Person'),
    authorOrganizations: (i: InitiativeRow, _: unknown, ctx: AwardsContext) => authorsOf(i, ctx, 'ORGANIZATION', 'Organization'),
    effectScopeName: (i: InitiativeRow) => EFFECT_SCOPE_NAMES[i.effectScope],
    statusName: (i: InitiativeRow) => INITIATIVE_STATUS_NAMES[i.status],
    submittedAt: (i: InitiativeRow) => iso(i.submittedAt),
    recognition: (i: InitiativeRow) =>
      i.status === 'RECOGNISED'
        ? {
            councilSessionRef: i.councilSessionRef,
            effectScope: i.recognisedEffectScope,
            effectScopeName: EFFECT_SCOPE_NAMES[i.recognisedEffectScope!],
            recognisingUnit: { __typename: 'AdminUnit', id: i.recognisingUnitId },
            recognisedAt: iso(i.recognisedAt),
            recognisedBy: i.recognisedBy,
          }
        : null,
    transitions: (i: InitiativeRow, _: unknown, ctx: AwardsContext) => ctx.loaders.initiativeTransitions.load(i.id),
    createdAt: (i: InitiativeRow) => i.createdAt.toISOString(),
    updatedAt: (i: InitiativeRow) => i.updatedAt.toISOString(),
  },
  InitiativeTransition: {
    at: (t: TransitionRow) => t.at.toISOString(),
  },
  AdminUnit: {
    initiatives: async (u: { id: string }, args: { status?: InitiativeStatus | null }, ctx: AwardsContext) =>
      isUuid(u.id) ? visible(ctx, await ctx.loaders.initiativesByUnit.load(`${u.id}|${args.status ?? ''}`)) : [],
  },
  Organization: {
    initiatives: async (o: { id: string }, _: unknown, ctx: AwardsContext) =>
      isUuid(o.id) ? visible(ctx, await ctx.loaders.initiativesByParticipant.load(o.id)) : [],
  },
  Person: {
    initiatives: async (p: { id: string }, _: unknown, ctx: AwardsContext) =>
      isUuid(p.id) ? visible(ctx, await ctx.loaders.initiativesByParticipant.load(p.id)) : [],
  },
  Query: {
    initiative: (_: unknown, args: { id: string }, ctx: AwardsContext) => visibleById(ctx, args.id),
    exemplaryStories: (_: unknown, args: ExemplaryStoryArgs, ctx: AwardsContext) =>
      args.unitId && !isUuid(args.unitId) ? connection([], 0, pageWindow(args).offset) : listExemplaryStories(ctx.em, args),
  },
  Mutation: {
    registerInitiative: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(registerInput, args.input);
      const initiative = await ctx.transact((em) => registerInitiative(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, initiative, 'initiative registered');
      return { initiative };
    },
    updateInitiative: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(updateInput, args.input);
      const initiative = await ctx.transact((em) => updateInitiative(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, initiative, 'initiative updated');
      return { initiative };
    },
    submitInitiative: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(stepInput, args.input);
      const initiative = await ctx.transact((em) => submitInitiative(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, initiative, 'initiative submitted');
      return { initiative };
    },
    recognizeInitiative: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(recognizeInput, args.input);
      const initiative = await ctx.transact((em) => recognizeInitiative(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, initiative, 'initiative recognised');
      return { initiative };
    },
    returnInitiative: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(reasonInput, args.input);
      const initiative = await ctx.transact((em) => returnInitiative(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, initiative, 'initiative returned');
      return { initiative };
    },
    rejectInitiative: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(reasonInput, args.input);
      const initiative = await ctx.transact((em) => rejectInitiative(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, initiative, 'initiative rejected');
      return { initiative };
    },
  },
};
