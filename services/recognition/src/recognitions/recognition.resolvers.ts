import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { connection, forbidden, isUuid, pageWindow, parseInput, todayInVietnam, type PageArgs } from '@xhht/infra';
import type { RecognitionContext } from '../context';
import { requireDecidingAuthority } from '../authority/deciding-authority';
import { LEARNING_TITLES } from '../titles/learning-titles';
import { RESULT_LEVEL_NAMES, type ResultLevel } from '../criteria/criteria-definition';
import { expireRecognitions } from './expiry';
import {
  effectiveStatus,
  filterConditions,
  isValidOn,
  listRecognitions,
  visibleCondition,
  type Recognition,
  type RecognitionFilter,
} from './recognition.repository';
import { recognitionWithCycle, revokeInput, revokeRecognition } from './revoke';

const SUBJECT_TYPES: Record<string, string> = {
  HOUSEHOLD: 'Household',
  CLAN: 'Clan',
  ORGANIZATION: 'Organization',
  PERSON: 'Person',
  ADMIN_UNIT: 'AdminUnit',
};

const reference = (kind: string) => (r: Recognition) =>
  r.subjectKind === kind ? { __typename: SUBJECT_TYPES[kind], id: r.subjectId } : null;

type SubjectArgs = { title?: string | null; year?: number | null; validOn?: string | null };

/** `<Entity>.recognitions` for a participant entity owned by org. */
const participantRecognitions = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  recognitions: (p: { id: string }, args: SubjectArgs, ctx: RecognitionContext) =>
    isUuid(p.id)
      ? ctx.loaders
          .recognitionsBySubject(ctx.auth)
          .for({ title: args.title ?? null, year: args.year ?? null, validOn: args.validOn ?? null })
          .load(p.id)
      : [],
};

export const recognitionResolvers: GraphQLResolverMap<RecognitionContext> = {
  RecognitionSubject: {
    __resolveType: (obj: { __typename: string }) => obj.__typename,
  },
  Recognition: {
    __resolveReference: (ref: { id: string }, ctx: RecognitionContext) =>
      isUuid(ref.id) ? ctx.loaders.visibleRecognition(ctx.auth).load(ref.id) : null,
    decision: (r: Recognition, _: unknown, ctx: RecognitionContext) => ctx.loaders.decision.load(r.decisionId),
    subject: (r: Recognition) => ({ __typename: SUBJECT_TYPES[r.subjectKind], id: r.subjectId }),
    household: reference('HOUSEHOLD'),
    clan: reference('CLAN'),
    organization: reference('ORGANIZATION'),
    person: reference('PERSON'),
    adminUnit: reference('ADMIN_UNIT'),
    titleName: (r: Recognition) => LEARNING_TITLES.find((t) => t.title === r.title)?.name ?? r.title,
    levelName: (r: Recognition) => RESULT_LEVEL_NAMES[r.level as ResultLevel] ?? r.level,
    status: (r: Recognition) => effectiveStatus(r),
    validOn: (r: Recognition, args: { asOf?: string | null }) => isValidOn(r, args.asOf ?? todayInVietnam()),
  },
  Household: participantRecognitions,
  Clan: participantRecognitions,
  Organization: participantRecognitions,
  Person: participantRecognitions,
  AdminUnit: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    recognitions: async (unit: { id: string }, args: SubjectArgs & PageArgs & { validOn?: string | null }, ctx: RecognitionContext) => {
      const { limit, offset } = pageWindow(args);
      if (!isUuid(unit.id)) return connection([], 0, offset);
      const page = await ctx.loaders
        .recognitionsByUnit(ctx.auth)
        .for({ title: args.title ?? null, year: args.year ?? null, validOn: args.validOn ?? null, limit, offset })
        .load(unit.id);
      return connection(page.rows, page.total, offset);
    },
  },
  Query: {
    recognition: (_: unknown, args: { id: string }, ctx: RecognitionContext) =>
      isUuid(args.id) ? ctx.loaders.visibleRecognition(ctx.auth).load(args.id) : null,
    recognitions: async (
      _: unknown,
      args: { filter?: (RecognitionFilter & { unitId?: string | null }) | null } & PageArgs,
      ctx: RecognitionContext,
    ) => {
      const page = pageWindow(args);
      const filter = args.filter ?? {};
      let units: string[] | null = null;
      if (filter.unitId) units = isUuid(filter.unitId) ? await ctx.loaders.scope.subtree(filter.unitId, todayInVietnam()) : [];
      const { rows, total } = await listRecognitions(
        ctx.em,
        [...filterConditions(filter, units), await visibleCondition(ctx.auth, ctx.loaders.scope)],
        page,
      );
      return connection(rows, total, page.offset);
    },
  },
  Mutation: {
    revokeRecognition: async (_: unknown, args: { input: unknown }, ctx: RecognitionContext) => {
      const input = parseInput(revokeInput, args.input);
      const current = await recognitionWithCycle(ctx.em, input.id);
      if (current) {
        await requireDecidingAuthority(ctx.em, ctx.auth, ctx.loaders.scope, {
          title: current.title,
          subjectLevel: current.subjectLevel,
          decidingUnitId: current.decidingUnitId,
          asOf: todayInVietnam(),
        });
      }
      const recognition = await ctx.transact((em) => revokeRecognition(em, input, ctx.auth.subject));
      ctx.logger.info({ recognitionId: recognition.id, actor: ctx.auth.subject }, 'recognition revoked');
      return { recognition };
    },
    expireRecognitions: async (_: unknown, _args: unknown, ctx: RecognitionContext) => {
      if (!ctx.auth.isSystemAdmin) throw forbidden('Chỉ quản trị hệ thống được chạy việc hết hiệu lực danh hiệu', 'ROLE_REQUIRED');
      const expiredCount = await expireRecognitions(ctx.em);
      ctx.logger.info({ expiredCount, actor: ctx.auth.subject }, 'recognition expiry run');
      return { expiredCount };
    },
  },
};
