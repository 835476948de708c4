import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { forbidden, isUuid, parseInput } from '@xhht/infra';
import type { ReportingContext } from '../context';
import { PROGRESS_READER_ROLES } from '../progress/progress-access';
import {
  acceptReport,
  createReportRequest,
  createRequestInput,
  readableSubmission,
  returnInput,
  returnReport,
  saveDraftInput,
  saveReportDraft,
  stepInput,
  submitReport,
} from './report.domain';
import { sweepOverdueReports } from './report-overdue';
import {
  listReporters,
  listRequests,
  submissionTimeliness,
  type ReporterListArgs,
  type ReporterView,
  type ReportRequestRow,
  type RequestListArgs,
  type SubmissionRow,
  type TransitionRow,
} from './report.repository';
import {
  LEVEL_NAMES,
  REPORT_KIND_NAMES,
  SUBMISSION_STATUS_NAMES,
  TIMELINESS_NAMES,
  levelStatistics,
  type LevelStatistics,
  type Timeliness,
} from './report-stats';

const unitRef = (id: string) => ({ __typename: 'AdminUnit', id });
const organizationRef = (kind: string, id: string) => (kind === 'ORGANIZATION' ? { __typename: 'Organization', id } : null);
const emptyPage = {
  totalCount: 0,
  edges: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
};
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const timelinessName = (t: Timeliness | null) => (t ? TIMELINESS_NAMES[t] : null);

/** The submission's reporter row (level, unit, kind), batched per request. */
const reporterOf = (s: SubmissionRow, ctx: ReportingContext) => ctx.loaders.reporter.load(`${s.requestId}|${s.reporterId}`);

async function timelinessOf(s: SubmissionRow, ctx: ReportingContext): Promise<Timeliness | null> {
  const q = await ctx.loaders.reportRequestById.load(s.requestId);
  return q ? submissionTimeliness(q.dueDate, s) : null;
}

const logStep = (ctx: ReportingContext, s: SubmissionRow, what: string) =>
  ctx.logger.info(
    { submissionId: s.id, requestId: s.requestId, reporterId: s.reporterId, status: s.status, version: s.version, actor: ctx.auth.subject },
    what,
  );

export const reportResolvers: GraphQLResolverMap<ReportingContext> = {
  AdminUnit: {
    // the unit's own reports: for officers whose scope covers it (as its progress, partners excepted)
    reportSubmissions: async (u: { id: string }, args: { year: number }, ctx: ReportingContext) => {
      if (!isUuid(u.id)) return [];
      await ctx.loaders.scope.requireCovers(ctx.auth, PROGRESS_READER_ROLES, [u.id]);
      return ctx.loaders.submissionsByUnitYear.load(`${u.id}|${args.year}`);
    },
  },
  ReportRequest: {
    __resolveReference: (ref: { id: string }, ctx: ReportingContext) =>
      isUuid(ref.id) ? ctx.loaders.reportRequestById.load(ref.id) : null,
    kindName: (q: ReportRequestRow) => REPORT_KIND_NAMES[q.kind],
    requestingUnit: (q: ReportRequestRow) => unitRef(q.requestingUnitId),
    requestingOrganization: (q: ReportRequestRow) =>
      q.requestingOrganizationId ? { __typename: 'Organization', id: q.requestingOrganizationId } : null,
    reporterCount: (q: ReportRequestRow, _: unknown, ctx: ReportingContext) => ctx.loaders.reporterCount.load(q.id),
    reporters: (q: ReportRequestRow, args: ReporterListArgs, ctx: ReportingContext) => listReporters(ctx.em, q.id, args),
    statistics: async (q: ReportRequestRow, _: unknown, ctx: ReportingContext) =>
      levelStatistics(await ctx.loaders.reporterStates.load(q.id)),
    createdAt: (q: ReportRequestRow) => q.createdAt.toISOString(),
  },
  ReportReporter: {
    unit: (r: ReporterView) => unitRef(r.unitId),
    organization: (r: ReporterView) => organizationRef(r.reporterKind, r.reporterId),
    levelName: (r: ReporterView) => LEVEL_NAMES[r.level] ?? r.level,
    statusName: (r: ReporterView) => SUBMISSION_STATUS_NAMES[r.status],
    timelinessName: (r: ReporterView) => timelinessName(r.timeliness),
    submission: (r: ReporterView, _: unknown, ctx: ReportingContext) =>
      r.submissionId ? ctx.loaders.reportSubmissionById.load(r.submissionId) : null,
    overdueAt: (r: ReporterView) => iso(r.overdueAt),
  },
  ReportLevelStatistics: {
    levelName: (s: LevelStatistics) => LEVEL_NAMES[s.level] ?? s.level,
  },
  ReportTransition: {
    fromStatus: (t: TransitionRow) => t.fromStatus ?? 'NOT_STARTED',
    at: (t: TransitionRow) => t.at.toISOString(),
  },
  ReportSubmission: {
    __resolveReference: (ref: { id: string }, ctx: ReportingContext) =>
      isUuid(ref.id) ? ctx.loaders.reportSubmissionById.load(ref.id) : null,
    request: (s: SubmissionRow, _: unknown, ctx: ReportingContext) => ctx.loaders.reportRequestById.load(s.requestId),
    reporterKind: async (s: SubmissionRow, _: unknown, ctx: ReportingContext) => (await reporterOf(s, ctx))!.reporterKind,
    unit: async (s: SubmissionRow, _: unknown, ctx: ReportingContext) => unitRef((await reporterOf(s, ctx))!.unitId),
    organization: async (s: SubmissionRow, _: unknown, ctx: ReportingContext) =>
      organizationRef((await reporterOf(s, ctx))!.reporterKind, s.reporterId),
    level: async (s: SubmissionRow, _: unknown, ctx: ReportingContext) => (await reporterOf(s, ctx))!.level,
    statusName: (s: SubmissionRow) => SUBMISSION_STATUS_NAMES[s.status],
    sections: async (s: SubmissionRow, _: unknown, ctx: ReportingContext) => {
      const q = await ctx.loaders.reportRequestById.load(s.requestId);
      const titles = new Map((q?.sections ?? []).map((x) => [x.code, x.title]));
      return s.sections.map((x) => ({ ...x, title: titles.get(x.code) ?? x.code }));
    },
    firstSubmittedAt: (s: SubmissionRow) => iso(s.firstSubmittedAt),
    submittedAt: (s: SubmissionRow) => iso(s.submittedAt),
    timeliness: (s: SubmissionRow, _: unknown, ctx: ReportingContext) => timelinessOf(s, ctx),
    timelinessName: async (s: SubmissionRow, _: unknown, ctx: ReportingContext) => timelinessName(await timelinessOf(s, ctx)),
    late: async (s: SubmissionRow, _: unknown, ctx: ReportingContext) => (await timelinessOf(s, ctx)) === 'LATE',
    transitions: (s: SubmissionRow, _: unknown, ctx: ReportingContext) => ctx.loaders.transitionsBySubmission.load(s.id),
    createdAt: (s: SubmissionRow) => s.createdAt.toISOString(),
    updatedAt: (s: SubmissionRow) => s.updatedAt.toISOString(),
  },
  Query: {
    reportRequest: (_: unknown, args: { id: string }, ctx: ReportingContext) =>
      isUuid(args.id) ? ctx.loaders.reportRequestById.load(args.id) : null,
    reportRequests: (_: unknown, args: RequestListArgs, ctx: ReportingContext) =>
      args.unitId && !isUuid(args.unitId) ? emptyPage : listRequests(ctx.em, args),
    reportSubmission: async (_: unknown, args: { id: string }, ctx: ReportingContext) =>
      isUuid(args.id) ? ((await readableSubmission(ctx.auth, ctx.loaders.scope, ctx.loaders, args.id))?.submission ?? null) : null,
  },
  Mutation: {
    createReportRequest: async (_: unknown, args: { input: unknown }, ctx: ReportingContext) => {
      const input = parseInput(createRequestInput, args.input);
      const request = await ctx.transact((em) => createReportRequest(em, ctx.auth, ctx.loaders.scope, input));
      ctx.logger.info(
        { requestId: request.id, kind: request.kind, year: request.year, unitId: request.requestingUnitId, actor: ctx.auth.subject },
        'report request created',
      );
      return { request };
    },
    saveReportDraft: async (_: unknown, args: { input: unknown }, ctx: ReportingContext) => {
      const input = parseInput(saveDraftInput, args.input);
      const submission = await ctx.transact((em) => saveReportDraft(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, submission, 'report draft saved');
      return { submission };
    },
    submitReport: async (_: unknown, args: { input: unknown }, ctx: ReportingContext) => {
      const input = parseInput(stepInput, args.input);
      const submission = await ctx.transact((em) => submitReport(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, submission, 'report submitted');
      return { submission };
    },
    acceptReport: async (_: unknown, args: { input: unknown }, ctx: ReportingContext) => {
      const input = parseInput(stepInput, args.input);
      const submission = await ctx.transact((em) => acceptReport(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, submission, 'report accepted');
      return { submission };
    },
    returnReport: async (_: unknown, args: { input: unknown }, ctx: ReportingContext) => {
      const input = parseInput(returnInput, args.input);
      const submission = await ctx.transact((em) => returnReport(em, ctx.auth, ctx.loaders.scope, input));
      logStep(ctx, submission, 'report returned');
      return { submission };
    },
    runReportOverdueSweep: async (_: unknown, _args: unknown, ctx: ReportingContext) => {
      if (!ctx.auth.isSystemAdmin) throw forbidden('Chỉ quản trị hệ thống được chạy việc đánh dấu báo cáo quá hạn', 'ROLE_REQUIRED');
      const overdueCount = await sweepOverdueReports(ctx.em);
      ctx.logger.info({ overdueCount, actor: ctx.auth.subject }, 'report overdue sweep run');
      return { overdueCount };
    },
  },
};
