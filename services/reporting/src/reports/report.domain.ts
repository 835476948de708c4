import type DataLoader from 'dataloader';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  badInput,
  conflict,
  forbidden,
  isoDateInput,
  notFound,
  rawQuery,
  todayInVietnam,
  uuidArray,
  type AuthContext,
  type CloudEvent,
  type ReplicaScope,
  type Role,
  uuidInput as uuid,
  expectedVersionInput as expectedVersion,
} from '@xhht/infra';
import { acceptedEvent, reportFacts, returnedEvent, submittedEvent } from './report.events';
import { PROGRESS_READER_ROLES } from '../progress/progress-access';
import { judgeUnitYear } from '../progress/targets-judgement';
import { reportFigures } from './report-figures';
import {
  loadReporter,
  loadRequests,
  loadSubmissions,
  lockSubmissionOf,
  submissionTimeliness,
  type ReporterKind,
  type ReporterRow,
  type ReportRequestRow,
  type ReportSection,
  type SectionText,
  type StoredStatus,
  type SubmissionRow,
} from './report.repository';
import { REPORT_KINDS, SUBMISSION_STATUS_NAMES, type Timeliness } from './report-stats';

/** The narrative sections every report has unless its request names others. */
export const DEFAULT_SECTIONS: readonly ReportSection[] = [
  { code: 'RESULTS', title: 'Kết quả đạt được' },
  { code: 'DIFFICULTIES', title: 'Khó khăn, vướng mắc' },
  { code: 'PROPOSALS', title: 'Đề xuất, kiến nghị' },
];

/** Unit kinds that can be asked to report, chosen all at once below the requesting unit. */
export const REPORTER_UNIT_KINDS = ['PROVINCE', 'DISTRICT', 'COMMUNE', 'VILLAGE'] as const;

const MAX_REPORTERS = 5000;
const MAX_SECTION_TEXT = 20_000;

const year = z.number().int('năm phải là số nguyên').min(2000, 'năm từ 2000 đến 2100').max(2100, 'năm từ 2000 đến 2100');

export const createRequestInput = z.object({
  kind: z.enum(REPORT_KINDS),
  year,
  title: z.string().trim().min(1, 'tên báo cáo không được để trống').max(500, 'tên báo cáo dài tối đa 500 ký tự').nullish(),
  periodStart: isoDateInput.nullish(),
  periodEnd: isoDateInput.nullish(),
  requestingUnitId: uuid('đơn vị nhận báo cáo'),
  requestingOrganizationId: uuid('cơ quan nhận báo cáo').nullish(),
  dueDate: isoDateInput,
  sections: z
    .array(
      z.object({
        code: z
          .string()
          .trim()
          .regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'mã mục gồm chữ in hoa, số và dấu gạch dưới (tối đa 40 ký tự)'),
        title: z.string().trim().min(1, 'tên mục không được để trống').max(300, 'tên mục dài tối đa 300 ký tự'),
      }),
    )
    .min(1, 'cần ít nhất một mục')
    .max(30, 'tối đa 30 mục')
    .nullish(),
  reporterUnitKind: z.enum(REPORTER_UNIT_KINDS).nullish(),
  reporterUnitIds: z.array(uuid('đơn vị báo cáo')).max(MAX_REPORTERS, `tối đa ${MAX_REPORTERS} đơn vị`).nullish(),
  reporterOrganizationIds: z.array(uuid('cơ quan báo cáo')).max(MAX_REPORTERS, `tối đa ${MAX_REPORTERS} cơ quan`).nullish(),
});
export type CreateRequestInput = z.infer<typeof createRequestInput>;

const sectionTexts = z
  .array(
    z.object({
      code: z.string().trim().min(1, 'thiếu mã mục'),
      text: z.string().max(MAX_SECTION_TEXT, `nội dung mỗi mục dài tối đa ${MAX_SECTION_TEXT} ký tự`),
    }),
  )
  .max(30, 'tối đa 30 mục');

export const saveDraftInput = z.object({
  requestId: uuid('yêu cầu báo cáo'),
  reporterId: uuid('đơn vị báo cáo'),
  /** Absent for the first draft; the version read otherwise. */
  expectedVersion: expectedVersion.nullish(),
  sections: sectionTexts,
});
export type SaveDraftInput = z.infer<typeof saveDraftInput>;

export const stepInput = z.object({ submissionId: uuid('báo cáo'), expectedVersion });
export type StepInput = z.infer<typeof stepInput>;

export const returnInput = stepInput.extend({
  reason: z.string().trim().min(1, 'cần nêu lý do trả lại').max(2000, 'lý do dài tối đa 2000 ký tự'),
});
export type ReturnInput = z.infer<typeof returnInput>;

const field = (...names: (string | number)[]) => ['input', ...names.map(String)];

/** Who asks for and reviews a request: education officers on the requesting unit or above; the Association's officers too for its own. */
export const reviewerRoles = (q: Pick<ReportRequestRow, 'association'>): Role[] =>
  q.association ? ['EDUCATION_OFFICER', 'ASSOCIATION_OFFICER'] : ['EDUCATION_OFFICER'];

/** Who drafts and submits for a unit: its commune or education officers (association officers for the Association's requests). */
const unitReporterRoles = (q: Pick<ReportRequestRow, 'association'>): Role[] =>
  q.association ? ['COMMUNE_OFFICER', 'EDUCATION_OFFICER', 'ASSOCIATION_OFFICER'] : ['COMMUNE_OFFICER', 'EDUCATION_OFFICER'];

/**
 * Refuses with FORBIDDEN unless the caller may draft and submit the reporter's report: for a unit,
 * its officers (or those of a unit above it); for an organization, its own officers (and, in the
 * Association's own requests, the association officers of its area).
 */
export async function requireReporter(auth: AuthContext, scope: ReplicaScope, q: ReportRequestRow, r: ReporterRow): Promise<void> {
  if (auth.isSystemAdmin) return;
  if (r.reporterKind === 'ORGANIZATION') {
    const own = auth.principal.roles.some((g) => g.role === 'ORGANIZATION_OFFICER' && g.organizationId === r.reporterId);
    if (own) return;
    // the Association's branches report to it through the association officers of their area
    if (q.association && (await scope.covers(auth, ['ASSOCIATION_OFFICER'], [r.unitId]))) return;
    throw forbidden('Chỉ cán bộ của chính cơ quan, tổ chức này được lập và gửi báo cáo của cơ quan', 'OUTSIDE_SCOPE');
  }
  await scope.requireCovers(auth, unitReporterRoles(q), [r.unitId]);
}

/**
 * Refuses with FORBIDDEN unless the caller may read the submission of this reporter: an organization's
 * own officers, and officers whose scope covers the reporter's unit or the requesting unit (those who
 * draft it, those who review it, and those above them).
 */
export async function requireReportReader(auth: AuthContext, scope: ReplicaScope, q: ReportRequestRow, r: ReporterRow): Promise<void> {
  if (auth.isSystemAdmin) return;
  if (
    r.reporterKind === 'ORGANIZATION' &&
    auth.principal.roles.some((g) => g.role === 'ORGANIZATION_OFFICER' && g.organizationId === r.reporterId)
  ) {
    return;
  }
  if (await scope.covers(auth, PROGRESS_READER_ROLES, [r.unitId])) return;
  await scope.requireCovers(auth, PROGRESS_READER_ROLES, [q.requestingUnitId]);
}

/** A submission with its request and reporter, or null; FORBIDDEN unless the caller may read it (requireReportReader). */
export async function readableSubmission(
  auth: AuthContext,
  scope: ReplicaScope,
  loaders: {
    reportSubmissionById: DataLoader<string, SubmissionRow | null>;
    reportRequestById: DataLoader<string, ReportRequestRow | null>;
    reporter: DataLoader<string, ReporterRow | null>;
  },
  submissionId: string,
): Promise<{ submission: SubmissionRow; request: ReportRequestRow; reporter: ReporterRow } | null> {
  const submission = await loaders.reportSubmissionById.load(submissionId);
  if (!submission) return null;
  const [request, reporter] = await Promise.all([
    loaders.reportRequestById.load(submission.requestId),
    loaders.reporter.load(`${submission.requestId}|${submission.reporterId}`),
  ]);
  if (!request || !reporter) return null;
  await requireReportReader(auth, scope, request, reporter);
  return { submission, request, reporter };
}

async function requireReviewer(auth: AuthContext, scope: ReplicaScope, q: ReportRequestRow): Promise<void> {
  await scope.requireCovers(auth, reviewerRoles(q), [q.requestingUnitId]);
}

interface ResolvedReporter {
  reporterId: string;
  reporterKind: ReporterKind;
  level: string;
  unitId: string;
}

/**
 * Creates a request. Checked in this order, a refusal writes nothing: the input (BAD_USER_INPUT
 * with its field); the requesting unit is in force today and the requesting organization is an
 * organization of that unit; the caller may ask for reports there (FORBIDDEN); the reporters are
 * units below the requesting unit or organizations in its area, at least one.
 */
export async function createReportRequest(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: CreateRequestInput,
): Promise<{ result: ReportRequestRow; events: CloudEvent[] }> {
  const today = todayInVietnam();
  const periodStart = input.periodStart ?? `${input.year}-01-01`;
  const periodEnd = input.periodEnd ?? `${input.year}-12-31`;
  if (periodEnd < periodStart) {
    throw badInput(`Kỳ báo cáo kết thúc (${periodEnd}) trước khi bắt đầu (${periodStart})`, 'PERIOD_ENDS_BEFORE_START', field('periodEnd'));
  }
  if (periodStart > `${input.year}-12-31` || periodEnd < `${input.year}-01-01`) {
    throw badInput(`Kỳ báo cáo ${periodStart} – ${periodEnd} không thuộc năm ${input.year}`, 'PERIOD_OUTSIDE_YEAR', field('periodStart'));
  }
  if (input.dueDate < periodStart) {
    throw badInput(`Hạn gửi (${input.dueDate}) trước khi kỳ báo cáo bắt đầu (${periodStart})`, 'DUE_BEFORE_PERIOD', field('dueDate'));
  }
  const sections = input.sections ?? DEFAULT_SECTIONS;
  const seen = new Set<string>();
  sections.forEach((s, i) => {
    if (seen.has(s.code)) throw badInput(`Mã mục ${s.code} bị trùng`, 'DUPLICATE_SECTION', field('sections', i, 'code'));
    seen.add(s.code);
  });
  if (!input.reporterUnitKind && !input.reporterUnitIds?.length && !input.reporterOrganizationIds?.length) {
    throw badInput(
      'Cần chọn đơn vị báo cáo: theo cấp (ví dụ mọi xã của tỉnh), danh sách đơn vị hoặc danh sách cơ quan, tổ chức',
      'NO_REPORTERS',
      field('reporterUnitIds'),
    );
  }

  const kinds = await scope.unitKinds([input.requestingUnitId], today);
  if (!kinds.has(input.requestingUnitId)) {
    throw badInput(
      'Không có đơn vị nhận báo cáo này (hoặc đơn vị không còn hiệu lực)',
      'REQUESTING_UNIT_NOT_FOUND',
      field('requestingUnitId'),
    );
  }
  let association = false;
  if (input.requestingOrganizationId) {
    const [org] = await rawQuery<{ unit_id: string; organization_type: string | null }[]>(
      em,
      `select unit_id, organization_type from participant_replica where id = ? and kind = 'ORGANIZATION'`,
      [input.requestingOrganizationId],
    );
    if (!org || org.unit_id !== input.requestingUnitId) {
      throw badInput(
        'Cơ quan nhận báo cáo phải là một cơ quan, tổ chức của đơn vị nhận báo cáo',
        'REQUESTING_ORGANIZATION_NOT_FOUND',
        field('requestingOrganizationId'),
      );
    }
    association = org.organization_type === 'STUDY_PROMOTION_ASSOCIATION';
  }
  await scope.requireCovers(auth, reviewerRoles({ association }), [input.requestingUnitId]);

  const reporters = await resolveReporters(em, scope, input, today);
  const request: ReportRequestRow = {
    id: randomUUID(),
    kind: input.kind,
    year: input.year,
    title:
      input.title ??
      (input.kind === 'ANNUAL_REPORT'
        ? `Báo cáo kết quả phong trào xây dựng xã hội học tập năm ${input.year}`
        : `Kế hoạch xây dựng xã hội học tập năm ${input.year}`),
    periodStart,
    periodEnd,
    requestingUnitId: input.requestingUnitId,
    requestingOrganizationId: input.requestingOrganizationId ?? null,
    association,
    dueDate: input.dueDate,
    sections: sections.map((s) => ({ code: s.code, title: s.title })),
    createdAt: new Date(),
    createdBy: auth.subject,
  };
  await rawQuery(
    em,
    `insert into report_request (id, kind, year, title, period_start, period_end, requesting_unit_id, requesting_organization_id,
       association, due_date, sections, created_at, created_by)
     values (?, ?, ?, ?, ?::date, ?::date, ?, ?, ?, ?::date, ?::jsonb, ?, ?)`,
    [
      request.id,
      request.kind,
      request.year,
      request.title,
      request.periodStart,
      request.periodEnd,
      request.requestingUnitId,
      request.requestingOrganizationId,
      request.association,
      request.dueDate,
      JSON.stringify(request.sections),
      request.createdAt,
      request.createdBy,
    ],
  );
  await rawQuery(
    em,
    `insert into report_reporter (request_id, reporter_id, reporter_kind, level, unit_id)
     select ?, x."reporterId", x."reporterKind", x.level, x."unitId"
     from jsonb_to_recordset(?::jsonb) as x("reporterId" uuid, "reporterKind" text, level text, "unitId" uuid)`,
    [request.id, JSON.stringify(reporters)],
  );
  return { result: request, events: [] };
}

/** The reporters a request names, each checked to lie in the requesting unit's area today. */
async function resolveReporters(
  em: EntityManager,
  scope: ReplicaScope,
  input: CreateRequestInput,
  today: string,
): Promise<ResolvedReporter[]> {
  const area = await scope.subtree(input.requestingUnitId, today);
  const below = area.filter((id) => id !== input.requestingUnitId);
  const kinds = await scope.unitKinds(below, today);
  const out = new Map<string, ResolvedReporter>();
  if (input.reporterUnitKind) {
    for (const [id, kind] of kinds) {
      if (kind === input.reporterUnitKind) out.set(id, { reporterId: id, reporterKind: 'UNIT', level: kind, unitId: id });
    }
    if (out.size === 0) {
      throw badInput(
        `Không có đơn vị cấp ${input.reporterUnitKind} nào trực thuộc đơn vị nhận báo cáo`,
        'NO_UNITS_OF_KIND',
        field('reporterUnitKind'),
      );
    }
  }
  (input.reporterUnitIds ?? []).forEach((id, i) => {
    const kind = kinds.get(id);
    if (!kind) {
      throw badInput(
        'Đơn vị báo cáo phải là đơn vị trực thuộc đơn vị nhận báo cáo (đang có hiệu lực)',
        'REPORTER_OUTSIDE_AREA',
        field('reporterUnitIds', i),
      );
    }
    out.set(id, { reporterId: id, reporterKind: 'UNIT', level: kind, unitId: id });
  });
  const orgIds = input.reporterOrganizationIds ?? [];
  if (orgIds.length) {
    const inArea = new Set(area);
    const rows = await rawQuery<{ id: string; unit_id: string }[]>(
      em,
      `select id, unit_id from participant_replica where id = any(?::uuid[]) and kind = 'ORGANIZATION'`,
      [uuidArray(orgIds)],
    );
    const unitOf = new Map(rows.map((r) => [r.id, r.unit_id]));
    orgIds.forEach((id, i) => {
      const unitId = unitOf.get(id);
      if (!unitId || !inArea.has(unitId) || id === input.requestingOrganizationId) {
        throw badInput(
          'Cơ quan, tổ chức báo cáo phải ở trên địa bàn của đơn vị nhận báo cáo (và khác cơ quan nhận báo cáo)',
          'REPORTER_OUTSIDE_AREA',
          field('reporterOrganizationIds', i),
        );
      }
      out.set(id, { reporterId: id, reporterKind: 'ORGANIZATION', level: 'ORGANIZATION', unitId });
    });
  }
  if (out.size > MAX_REPORTERS) {
    throw badInput(`Tối đa ${MAX_REPORTERS} đơn vị báo cáo cho một yêu cầu`, 'TOO_MANY_REPORTERS', field('reporterUnitIds'));
  }
  return [...out.values()];
}

/** Section texts checked against the request's sections and laid over what the draft had. */
function mergeSections(q: ReportRequestRow, previous: SectionText[], given: SaveDraftInput['sections']): SectionText[] {
  const known = new Set(q.sections.map((s) => s.code));
  const texts = new Map(previous.map((s) => [s.code, s.text]));
  const seen = new Set<string>();
  given.forEach((s, i) => {
    if (!known.has(s.code)) {
      throw badInput(
        `Mục ${s.code} không có trong yêu cầu báo cáo (các mục: ${[...known].join(', ')})`,
        'UNKNOWN_SECTION',
        field('sections', i, 'code'),
      );
    }
    if (seen.has(s.code)) throw badInput(`Mục ${s.code} bị trùng`, 'DUPLICATE_SECTION', field('sections', i, 'code'));
    seen.add(s.code);
    texts.set(s.code, s.text);
  });
  return q.sections.map((s) => ({ code: s.code, text: texts.get(s.code) ?? '' }));
}

function staleVersion(current: number, sent: number | null | undefined) {
  return conflict(
    sent == null
      ? `Báo cáo đã có bản đang soạn (phiên bản ${current}); hãy tải lại`
      : `Báo cáo đã được cập nhật bởi người khác (phiên bản hiện tại ${current}, bạn gửi ${sent}); hãy tải lại`,
    'STALE_VERSION',
    field('expectedVersion'),
  );
}

function wrongStatus(s: SubmissionRow, action: string, allowed: StoredStatus[], path: string[]) {
  return conflict(
    `Không thể ${action}: báo cáo đang ở trạng thái ${SUBMISSION_STATUS_NAMES[s.status]}; chỉ ${action} được khi báo cáo ${allowed
      .map((a) => SUBMISSION_STATUS_NAMES[a])
      .join(' hoặc ')}`,
    'WRONG_REPORT_STATUS',
    path,
  );
}

async function recordTransition(
  em: EntityManager,
  submissionId: string,
  from: StoredStatus | null,
  to: StoredStatus,
  by: string,
  reason?: string,
) {
  await rawQuery(
    em,
    `insert into report_submission_transition (id, submission_id, from_status, to_status, reason, at, by)
     values (?, ?, ?, ?, ?, clock_timestamp(), ?)`,
    [randomUUID(), submissionId, from, to, reason ?? null, by],
  );
}

async function requestOf(em: EntityManager, requestId: string, path: string[]): Promise<ReportRequestRow> {
  const q = (await loadRequests(em, [requestId])).get(requestId);
  if (!q) throw notFound('Không tìm thấy yêu cầu báo cáo', 'REPORT_REQUEST_NOT_FOUND', path);
  return q;
}

const reload = async (em: EntityManager, id: string) => (await loadSubmissions(em, [id])).get(id)!;

/**
 * Saves the reporter's draft: creates it on the first save (no expectedVersion), then replaces the
 * texts of the sections given; a returned report goes back to DRAFT. Each save snapshots the
 * reporter's figures as of today. Order: request and reporter exist; the caller may report for it
 * (FORBIDDEN); version; status (DRAFT or RETURNED, CONFLICT otherwise); sections.
 */
export async function saveReportDraft(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: SaveDraftInput,
): Promise<{ result: SubmissionRow; events: CloudEvent[] }> {
  const q = await requestOf(em, input.requestId, field('requestId'));
  const r = await loadReporter(em, input.requestId, input.reporterId, true);
  if (!r) throw badInput('Đơn vị này không thuộc danh sách đơn vị báo cáo của yêu cầu', 'REPORTER_NOT_EXPECTED', field('reporterId'));
  await requireReporter(auth, scope, q, r);
  const existing = await lockSubmissionOf(em, q.id, r.reporterId);
  if (existing && existing.version !== input.expectedVersion) throw staleVersion(existing.version, input.expectedVersion);
  if (!existing && input.expectedVersion != null) {
    throw conflict('Báo cáo chưa có bản soạn nào; lần lưu đầu không gửi phiên bản', 'STALE_VERSION', field('expectedVersion'));
  }
  if (existing && !['DRAFT', 'RETURNED'].includes(existing.status)) {
    throw wrongStatus(existing, 'sửa báo cáo', ['DRAFT', 'RETURNED'], field('requestId'));
  }
  const sections = mergeSections(q, existing?.sections ?? [], input.sections);
  const today = todayInVietnam();
  const figures = await reportFigures(em, r.unitId, q.year, today);

  if (!existing) {
    const id = randomUUID();
    await rawQuery(
      em,
      `insert into report_submission (id, request_id, reporter_id, status, version, sections, figures, figures_as_of,
         created_at, created_by, updated_at, updated_by)
       values (?, ?, ?, 'DRAFT', 1, ?::jsonb, ?::jsonb, ?::date, now(), ?, now(), ?)`,
      [id, q.id, r.reporterId, JSON.stringify(sections), JSON.stringify(figures), today, auth.subject, auth.subject],
    );
    await recordTransition(em, id, null, 'DRAFT', auth.subject);
    return { result: await reload(em, id), events: [] };
  }
  await rawQuery(
    em,
    `update report_submission set status = 'DRAFT', version = version + 1, sections = ?::jsonb, figures = ?::jsonb,
       figures_as_of = ?::date, updated_at = now(), updated_by = ? where id = ?`,
    [JSON.stringify(sections), JSON.stringify(figures), today, auth.subject, existing.id],
  );
  if (existing.status !== 'DRAFT') await recordTransition(em, existing.id, existing.status, 'DRAFT', auth.subject);
  return { result: await reload(em, existing.id), events: [] };
}

/**
 * The submission, its request and reporter, with the reporter's row locked first (the overdue
 * sweep's lock), then the submission's; after the caller's right, the version and the statuses
 * the step starts from are checked — in that order.
 */
async function lockForStep(
  em: EntityManager,
  input: StepInput,
  authorize: (q: ReportRequestRow, r: ReporterRow) => Promise<void>,
  action: string,
  allowed: StoredStatus[],
): Promise<{ q: ReportRequestRow; r: ReporterRow; s: SubmissionRow }> {
  const seen = (await loadSubmissions(em, [input.submissionId])).get(input.submissionId);
  if (!seen) throw notFound('Không tìm thấy báo cáo', 'REPORT_SUBMISSION_NOT_FOUND', field('submissionId'));
  const q = await requestOf(em, seen.requestId, field('submissionId'));
  const r = (await loadReporter(em, seen.requestId, seen.reporterId, true))!;
  const s = (await loadSubmissions(em, [input.submissionId], true)).get(input.submissionId)!;
  await authorize(q, r);
  if (s.version !== input.expectedVersion) throw staleVersion(s.version, input.expectedVersion);
  if (!allowed.includes(s.status)) throw wrongStatus(s, action, allowed, field('submissionId'));
  return { q, r, s };
}

const currentTimeliness = (q: ReportRequestRow, s: SubmissionRow): Timeliness =>
  submissionTimeliness(q.dueDate, s) as Exclude<Timeliness, 'MISSING'>;

/**
 * Submits a draft (or a returned report, again) to the requesting level with every section
 * written, snapshotting the figures as of today: they stay as submitted. Late when the first
 * submission, or this one, comes after the due date.
 */
export async function submitReport(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: StepInput,
): Promise<{ result: SubmissionRow; events: CloudEvent[] }> {
  const { q, r, s } = await lockForStep(em, input, (q, r) => requireReporter(auth, scope, q, r), 'gửi báo cáo', ['DRAFT', 'RETURNED']);
  const empty = s.sections.filter((t) => t.text.trim() === '').map((t) => t.code);
  if (empty.length) {
    const titles = q.sections.filter((x) => empty.includes(x.code)).map((x) => `${x.code} "${x.title}"`);
    throw badInput(`Chưa viết nội dung mục: ${titles.join(', ')}`, 'SECTION_EMPTY', field('submissionId'), { sections: empty });
  }
  const today = todayInVietnam();
  const figures = await reportFigures(em, r.unitId, q.year, today);
  await rawQuery(
    em,
    `update report_submission set status = 'SUBMITTED', version = version + 1, figures = ?::jsonb, figures_as_of = ?::date,
       first_submitted_at = coalesce(first_submitted_at, now()), submitted_at = now(), return_reason = null,
       updated_at = now(), updated_by = ? where id = ?`,
    [JSON.stringify(figures), today, auth.subject, s.id],
  );
  await recordTransition(em, s.id, s.status, 'SUBMITTED', auth.subject);
  const after = await reload(em, s.id);
  const event = submittedEvent(reportFacts(q, r, currentTimeliness(q, after)), {
    submissionId: s.id,
    submittedAt: after.submittedAt!,
    resubmission: s.firstSubmittedAt !== null,
    version: after.version,
    submittedBy: auth.subject,
  });
  return { result: after, events: [event] };
}

/**
 * The requesting level accepts a submitted report; it is final. A unit's accepted annual report
 * closes its year: the unit is judged against its targets as of that day (targets.judged), and again
 * whenever another annual report of it for that year is accepted. Organizations report their unit's
 * figures and have no targets of their own, so their reports judge nothing.
 */
export async function acceptReport(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: StepInput,
): Promise<{ result: SubmissionRow; events: CloudEvent[] }> {
  const { q, r, s } = await lockForStep(em, input, (q) => requireReviewer(auth, scope, q), 'tiếp nhận báo cáo', ['SUBMITTED']);
  await rawQuery(
    em,
    `update report_submission set status = 'ACCEPTED', version = version + 1, updated_at = now(), updated_by = ? where id = ?`,
    [auth.subject, s.id],
  );
  await recordTransition(em, s.id, s.status, 'ACCEPTED', auth.subject);
  const after = await reload(em, s.id);
  const event = acceptedEvent(reportFacts(q, r, currentTimeliness(q, after)), {
    submissionId: s.id,
    acceptedAt: after.updatedAt,
    version: after.version,
    acceptedBy: auth.subject,
  });
  if (q.kind !== 'ANNUAL_REPORT' || r.reporterKind !== 'UNIT') return { result: after, events: [event] };
  const judged = await judgeUnitYear(em, r.unitId, q.year, { requestId: q.id, submissionId: s.id }, after.updatedAt);
  return { result: after, events: [event, judged] };
}

/** The requesting level returns a submitted report with a reason; the reporter redrafts and submits again. */
export async function returnReport(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: ReturnInput,
): Promise<{ result: SubmissionRow; events: CloudEvent[] }> {
  const { q, r, s } = await lockForStep(em, input, (q) => requireReviewer(auth, scope, q), 'trả lại báo cáo', ['SUBMITTED']);
  await rawQuery(
    em,
    `update report_submission set status = 'RETURNED', version = version + 1, return_reason = ?, updated_at = now(), updated_by = ? where id = ?`,
    [input.reason, auth.subject, s.id],
  );
  await recordTransition(em, s.id, s.status, 'RETURNED', auth.subject, input.reason);
  const after = await reload(em, s.id);
  const event = returnedEvent(reportFacts(q, r, currentTimeliness(q, after)), {
    submissionId: s.id,
    reason: input.reason,
    returnedAt: after.updatedAt,
    version: after.version,
    returnedBy: auth.subject,
  });
  return { result: after, events: [event] };
}
