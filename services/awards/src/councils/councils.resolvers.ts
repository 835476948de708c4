import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { isUuid, parseInput, todayInVietnam } from '@xhht/infra';
import type { AwardsContext } from '../context';
import {
  describeQuorum,
  describeThreshold,
  OUTCOME_NAMES,
  VOTE_CHOICE_NAMES,
  type PassThreshold,
  type Quorum,
  type Tally,
} from './council-rules';
import {
  addAgendaItem,
  addAgendaItemInput,
  addCouncilMember,
  addMemberInput,
  cancelCouncilSession,
  cancelSessionInput,
  castVote,
  castVoteInput,
  closeAgendaItem,
  closeCouncilSession,
  closeItemInput,
  closeSessionInput,
  conflictInput,
  createCouncil,
  createCouncilInput,
  declareConflictOfInterest,
  endCouncilMembership,
  endMembershipInput,
  openCouncilSession,
  openSessionInput,
  planCouncilSession,
  planSessionInput,
  removeAgendaItem,
  removeItemInput,
  requireReader,
  rulesOf,
  setCouncilRules,
  setRulesInput,
} from './council.domain';
import {
  ITEM_STATUS_NAMES,
  memberOn,
  SESSION_STATUS_NAMES,
  SUBJECT_KIND_NAMES,
  type ConflictRow,
  type CouncilRow,
  type ItemRow,
  type MemberRow,
  type OpenVoteRow,
  type SessionRow,
} from './council.repository';

/** Council data reaches a caller only through these entry points, each checked against the council's unit. */
async function readable<T extends { unitId: string }>(ctx: AwardsContext, row: T | null): Promise<T | null> {
  if (!row) return null;
  await requireReader(ctx.auth, ctx.loaders.scope, row.unitId);
  return row;
}

const quorum = (q: Quorum) => ({ ...q, description: describeQuorum(q) });
const threshold = (t: PassThreshold) => ({ ...t, description: describeThreshold(t) });
const memberRows = async (ctx: AwardsContext, ids: string[]) =>
  (await ctx.loaders.councilMemberById.loadMany(ids)).filter((m): m is MemberRow => m !== null && !(m instanceof Error));

export const councilResolvers: GraphQLResolverMap<AwardsContext> = {
  AdminUnit: {
    council: async (u: { id: string }, _: unknown, ctx: AwardsContext) =>
      isUuid(u.id) ? readable(ctx, await ctx.loaders.councilByUnit.load(u.id)) : null,
  },
  Council: {
    unit: (c: CouncilRow) => ({ __typename: 'AdminUnit', id: c.unitId }),
    chair: async (c: CouncilRow, args: { asOf?: string | null }, ctx: AwardsContext) => {
      const day = args.asOf ?? todayInVietnam();
      return (await ctx.loaders.councilMembers.load(c.id)).find((m) => m.isChair && memberOn(m, day)) ?? null;
    },
    members: async (c: CouncilRow, args: { asOf?: string | null; history?: boolean | null }, ctx: AwardsContext) => {
      const all = await ctx.loaders.councilMembers.load(c.id);
      if (args.history) return all;
      const day = args.asOf ?? todayInVietnam();
      return all.filter((m) => memberOn(m, day));
    },
    rules: (c: CouncilRow) => {
      const r = rulesOf(c);
      return { quorum: quorum(r.quorum), passThreshold: threshold(r.passThreshold), secretBallot: r.secretBallot };
    },
    sessions: (c: CouncilRow, _: unknown, ctx: AwardsContext) => ctx.loaders.councilSessions.load(c.id),
    createdAt: (c: CouncilRow) => c.createdAt.toISOString(),
  },
  CouncilMember: {
    council: (m: MemberRow, _: unknown, ctx: AwardsContext) => ctx.loaders.councilById.load(m.councilId),
    chair: (m: MemberRow) => m.isChair,
    from: (m: MemberRow) => m.validFrom,
    to: (m: MemberRow) => m.validTo,
  },
  CouncilSession: {
    council: (s: SessionRow, _: unknown, ctx: AwardsContext) => ctx.loaders.councilById.load(s.councilId),
    date: (s: SessionRow) => s.sessionDate,
    statusName: (s: SessionRow) => SESSION_STATUS_NAMES[s.status],
    attendance: async (s: SessionRow, _: unknown, ctx: AwardsContext) => memberRows(ctx, await ctx.loaders.sessionAttendance.load(s.id)),
    agenda: (s: SessionRow, _: unknown, ctx: AwardsContext) => ctx.loaders.sessionAgenda.load(s.id),
    openedAt: (s: SessionRow) => s.openedAt?.toISOString() ?? null,
    closedAt: (s: SessionRow) => s.closedAt?.toISOString() ?? null,
    cancelledAt: (s: SessionRow) => s.cancelledAt?.toISOString() ?? null,
  },
  AgendaItem: {
    session: (i: ItemRow, _: unknown, ctx: AwardsContext) => ctx.loaders.councilSessionById.load(i.sessionId),
    subjectKindName: (i: ItemRow) => SUBJECT_KIND_NAMES[i.subjectKind],
    statusName: (i: ItemRow) => ITEM_STATUS_NAMES[i.status],
    removedAt: (i: ItemRow) => i.removedAt?.toISOString() ?? null,
    tally: (i: ItemRow) => i.tally,
    outcomeName: (i: ItemRow) => (i.outcome ? OUTCOME_NAMES[i.outcome] : null),
    // a secret ballot's votes have no voter stored; nothing to return, to anyone
    votes: (i: ItemRow, _: unknown, ctx: AwardsContext) => (i.secretBallot ? null : ctx.loaders.itemOpenVotes.load(i.id)),
    conflicts: (i: ItemRow, _: unknown, ctx: AwardsContext) => ctx.loaders.itemConflicts.load(i.id),
  },
  CouncilVoteTally: {
    quorum: (t: Tally) => quorum(t.rules.quorum),
    passThreshold: (t: Tally) => threshold(t.rules.passThreshold),
  },
  CouncilVote: {
    member: (v: OpenVoteRow, _: unknown, ctx: AwardsContext) => ctx.loaders.councilMemberById.load(v.memberId),
    choiceName: (v: OpenVoteRow) => VOTE_CHOICE_NAMES[v.choice],
  },
  ConflictOfInterest: {
    member: (c: ConflictRow, _: unknown, ctx: AwardsContext) => ctx.loaders.councilMemberById.load(c.memberId),
    declaredAt: (c: ConflictRow) => c.declaredAt.toISOString(),
  },
  Query: {
    council: async (_: unknown, args: { id: string }, ctx: AwardsContext) =>
      isUuid(args.id) ? readable(ctx, await ctx.loaders.councilById.load(args.id)) : null,
    councilSession: async (_: unknown, args: { id: string }, ctx: AwardsContext) =>
      isUuid(args.id) ? readable(ctx, await ctx.loaders.councilSessionById.load(args.id)) : null,
    agendaItem: async (_: unknown, args: { id: string }, ctx: AwardsContext) =>
      isUuid(args.id) ? readable(ctx, await ctx.loaders.agendaItemById.load(args.id)) : null,
  },
  Mutation: {
    createCouncil: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(createCouncilInput, args.input);
      const council = await ctx.transact((em) => createCouncil(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ councilId: council.id, unitId: council.unitId, actor: ctx.auth.subject }, 'council created');
      return { council };
    },
    setCouncilRules: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(setRulesInput, args.input);
      const council = await ctx.transact((em) => setCouncilRules(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ councilId: council.id, rules: rulesOf(council), actor: ctx.auth.subject }, 'council rules set');
      return { council };
    },
    addCouncilMember: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(addMemberInput, args.input);
      const member = await ctx.transact((em) => addCouncilMember(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ councilId: member.councilId, memberId: member.id, actor: ctx.auth.subject }, 'council member added');
      return { member };
    },
    endCouncilMembership: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(endMembershipInput, args.input);
      const member = await ctx.transact((em) => endCouncilMembership(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ memberId: member.id, to: member.validTo, actor: ctx.auth.subject }, 'council membership ended');
      return { member };
    },
    planCouncilSession: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(planSessionInput, args.input);
      const session = await ctx.transact((em) => planCouncilSession(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ sessionId: session.id, councilId: session.councilId, actor: ctx.auth.subject }, 'council session planned');
      return { session };
    },
    addAgendaItem: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(addAgendaItemInput, args.input);
      const item = await ctx.transact((em) => addAgendaItem(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ itemId: item.id, sessionId: item.sessionId, actor: ctx.auth.subject }, 'agenda item added');
      return { item };
    },
    openCouncilSession: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(openSessionInput, args.input);
      const session = await ctx.transact((em) => openCouncilSession(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ sessionId: session.id, present: input.presentMemberIds.length, actor: ctx.auth.subject }, 'council session opened');
      return { session };
    },
    declareConflictOfInterest: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(conflictInput, args.input);
      const item = await ctx.transact((em) => declareConflictOfInterest(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ itemId: item.id, memberId: input.memberId, actor: ctx.auth.subject }, 'conflict of interest declared');
      return { item };
    },
    castVote: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(castVoteInput, args.input);
      const item = await ctx.transact((em) => castVote(em, ctx.auth, ctx.loaders.scope, input));
      // the choice is not logged: a secret ballot stays secret in the logs too
      ctx.logger.info({ itemId: item.id, actor: ctx.auth.subject }, 'council vote cast');
      return { item, recorded: true };
    },
    closeAgendaItem: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(closeItemInput, args.input);
      const item = await ctx.transact((em) => closeAgendaItem(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ itemId: item.id, outcome: item.outcome, actor: ctx.auth.subject }, 'agenda item closed');
      return { item };
    },
    closeCouncilSession: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(closeSessionInput, args.input);
      const session = await ctx.transact((em) => closeCouncilSession(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ sessionId: session.id, actor: ctx.auth.subject }, 'council session closed');
      return { session };
    },
    removeAgendaItem: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(removeItemInput, args.input);
      const item = await ctx.transact((em) => removeAgendaItem(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ itemId: item.id, sessionId: item.sessionId, actor: ctx.auth.subject }, 'agenda item removed');
      return { item };
    },
    cancelCouncilSession: async (_: unknown, args: { input: unknown }, ctx: AwardsContext) => {
      const input = parseInput(cancelSessionInput, args.input);
      const session = await ctx.transact((em) => cancelCouncilSession(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info({ sessionId: session.id, actor: ctx.auth.subject }, 'council session cancelled');
      return { session };
    },
  },
};
