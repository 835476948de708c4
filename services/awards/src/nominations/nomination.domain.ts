import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  badInput,
  conflict,
  findParticipants,
  DomainError,
  notFound,
  rawQuery,
  todayInVietnam,
  uuidArray,
  type AuthContext,
  type CloudEvent,
  type ReplicaScope,
  type Role,
  uuidInput as uuid,
  textInput as text,
  expectedVersionInput as expectedVersion,
} from '@xhht/infra';
import { evidenceInput } from '../evidence-input';
import { formsAt } from '../forms/award-form.repository';
import type { Outcome } from '../councils/council-rules';
import { claimInitiativeForAward } from '../initiatives/initiative.domain';
import { loadInitiatives } from '../initiatives/initiative.repository';
import { recognitionsOf } from '../recognitions/recognition-replica';
import { findRound, type AwardRound } from '../rounds/award-round.repository';
import { evaluateEligibility } from '../rounds/eligibility';
import { NOMINEE_KINDS, NOMINEE_KIND_NAMES, nomineeKindsFor, quotaLimit, type NomineeKind } from '../rounds/eligibility-rules';
import { activeDiscipline } from './discipline.domain';
import {
  nominationApprovedEvent,
  nominationRejectedEvent,
  nominationReturnedEvent,
  nominationSubmittedEvent,
  nominationWithdrawnEvent,
} from './nomination.events';
import {
  loadNominations,
  NOMINATION_STATUS_NAMES,
  type Achievement,
  type NominationRow,
  type NominationStatus,
  type RecognitionSnapshot,
} from './nomination.repository';

/** Who proposes for a unit (their scope covering the proposing unit), besides administrators. */
export const PROPOSER_ROLES: readonly Role[] = ['COMMUNE_OFFICER', 'ORGANIZATION_OFFICER', 'EMULATION_OFFICER'];
/** Who receives, reviews and decides on proposals: the emulation officers of the round's scope unit. */
export const REVIEWER_ROLES: readonly Role[] = ['EMULATION_OFFICER'];

/** Statuses in which a nomination no longer holds its achievement. */
const RELEASED: readonly NominationStatus[] = ['REJECTED', 'WITHDRAWN'];
/** Statuses that count against a form's quota in a round: sent up and not refused (nor withdrawn). */
const COUNTED: readonly NominationStatus[] = ['SUBMITTED', 'RECEIVED', 'UNDER_REVIEW', 'APPROVED', 'RETURNED', 'DECIDED'];

const MAX_EVIDENCE = 30;
const MAX_RECOGNITIONS = 20;

const achievementInput = z
  .object({
    recognitionIds: z
      .array(uuid('danh hiệu'))
      .min(1, 'cần ít nhất một danh hiệu')
      .max(MAX_RECOGNITIONS, `tối đa ${MAX_RECOGNITIONS} danh hiệu`)
      .nullish(),
    initiativeId: uuid('sáng kiến').nullish(),
    free: z
      .object({
        kind: text('loại thành tích', 100),
        year: z.number().int('năm phải là số nguyên').min(1945, 'năm không hợp lệ').max(2100, 'năm không hợp lệ'),
        text: text('nội dung thành tích', 2000),
      })
      .nullish(),
  })
  .refine((a) => [a.recognitionIds, a.initiativeId, a.free].filter((x) => x != null).length === 1, {
    message: 'thành tích phải là đúng một trong: các danh hiệu, một sáng kiến, hoặc một thành tích mô tả (loại, năm, nội dung)',
  });
type AchievementInput = z.infer<typeof achievementInput>;

export const createNominationInput = z.object({
  roundId: uuid('đợt khen thưởng'),
  formCode: z.string().trim().min(1, 'mã hình thức không được để trống'),
  nomineeKind: z.enum(NOMINEE_KINDS),
  nomineeId: uuid('đối tượng đề nghị'),
  proposingUnitId: uuid('đơn vị đề nghị'),
  summary: text('tóm tắt thành tích', 10_000),
  achievement: achievementInput,
  evidence: z.array(evidenceInput).max(MAX_EVIDENCE, `tối đa ${MAX_EVIDENCE} tài liệu minh chứng`).nullish(),
});
export type CreateNominationInput = z.infer<typeof createNominationInput>;

export const updateNominationInput = z.object({
  id: uuid('hồ sơ đề nghị'),
  expectedVersion,
  summary: text('tóm tắt thành tích', 10_000).nullish(),
  achievement: achievementInput.nullish(),
  evidence: z.array(evidenceInput).max(MAX_EVIDENCE, `tối đa ${MAX_EVIDENCE} tài liệu minh chứng`).nullish(),
});
export type UpdateNominationInput = z.infer<typeof updateNominationInput>;

export const nominationStepInput = z.object({ id: uuid('hồ sơ đề nghị'), expectedVersion });
export type NominationStepInput = z.infer<typeof nominationStepInput>;

export const nominationReasonInput = nominationStepInput.extend({ reason: text('lý do', 2000) });
export type NominationReasonInput = z.infer<typeof nominationReasonInput>;

export const escalateNominationInput = nominationStepInput.extend({
  roundId: uuid('đợt khen thưởng cấp trên'),
  formCode: z.string().trim().min(1, 'mã hình thức không được để trống'),
});
export type EscalateNominationInput = z.infer<typeof escalateNominationInput>;

const field = (...names: (string | number)[]) => ['input', ...names.map(String)];

type Result = Promise<{ result: NominationRow; events: CloudEvent[] }>;

const evidenceOf = (items: z.infer<typeof evidenceInput>[]) =>
  items.map((e) => ({ title: e.title, url: e.url ?? null, fileId: e.fileId ?? null }));

const achievementOf = (a: AchievementInput): Achievement =>
  a.recognitionIds
    ? { kind: 'RECOGNITIONS', recognitionIds: [...new Set(a.recognitionIds)] }
    : a.initiativeId
      ? { kind: 'INITIATIVE', initiativeId: a.initiativeId }
      : { kind: 'FREE', achievementKind: a.free!.kind, year: a.free!.year, text: a.free!.text };

/** Case, spacing and letter forms do not make two free achievements different. */
const fold = (s: string) => s.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim();

/**
 * The keys under which the database holds an achievement. A recognition or an initiative is the
 * same achievement whoever is nominated for it; a free achievement belongs to its nominee.
 */
export function achievementKeys(a: Achievement, nomineeId: string): string[] {
  switch (a.kind) {
    case 'RECOGNITIONS':
      return a.recognitionIds.map((id) => `RECOGNITION:${id}`);
    case 'INITIATIVE':
      return [`INITIATIVE:${a.initiativeId}`];
    case 'FREE':
      return [`FREE:${nomineeId}:${fold(a.achievementKind)}:${a.year}:${fold(a.text)}`];
  }
}

const alreadyNominated = () =>
  conflict(
    'Thành tích này đã được đề nghị hoặc đã được khen thưởng; mỗi thành tích chỉ được khen thưởng một lần',
    'ACHIEVEMENT_ALREADY_NOMINATED',
    field('achievement'),
  );

/**
 * Makes the nomination hold its achievement's keys (replacing any it held). A key another live
 * nomination holds is refused: checked first for a clear answer, and by the partial unique index
 * when a concurrent nomination took it in between.
 */
async function holdAchievement(em: EntityManager, nominationId: string, keys: string[]): Promise<void> {
  const taken = await rawQuery<unknown[]>(
    em,
    'select 1 from nomination_achievement where live and achievement_key = any(?::text[]) and nomination_id <> ? limit 1',
    [keys, nominationId],
  );
  if (taken.length) throw alreadyNominated();
  await rawQuery(em, 'delete from nomination_achievement where nomination_id = ?', [nominationId]);
  try {
    await rawQuery(
      em,
      `insert into nomination_achievement (nomination_id, achievement_key, live) select ?, k, true from unnest(?::text[]) as k`,
      [nominationId, keys],
    );
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw alreadyNominated();
    throw err;
  }
}

/**
 * The achievement must be the nominee's own and still stand: recognitions of the nominee in the
 * replica, not revoked; an initiative the council recognised that grounds no award yet.
 */
async function requireAchievement(em: EntityManager, a: Achievement, nomineeId: string): Promise<void> {
  if (a.kind === 'RECOGNITIONS') {
    const own = new Map(((await recognitionsOf(em, [nomineeId])).get(nomineeId) ?? []).map((r) => [r.recognitionId, r]));
    a.recognitionIds.forEach((id, i) => {
      const r = own.get(id);
      if (!r) {
        throw badInput(
          `Danh hiệu ${id} không phải của đối tượng được đề nghị`,
          'RECOGNITION_NOT_OF_NOMINEE',
          field('achievement', 'recognitionIds', i),
        );
      }
      if (r.revoked) {
        throw badInput(
          `Danh hiệu năm ${r.year} đã bị thu hồi, không làm căn cứ được`,
          'RECOGNITION_REVOKED',
          field('achievement', 'recognitionIds', i),
        );
      }
    });
  } else if (a.kind === 'INITIATIVE') {
    const i = (await loadInitiatives(em, [a.initiativeId])).get(a.initiativeId);
    if (!i) throw badInput('Không tìm thấy sáng kiến', 'INITIATIVE_NOT_FOUND', field('achievement', 'initiativeId'));
    if (i.status !== 'RECOGNISED') {
      throw badInput(
        'Sáng kiến chưa được Hội đồng công nhận, chưa làm căn cứ khen thưởng được',
        'INITIATIVE_NOT_RECOGNISED',
        field('achievement', 'initiativeId'),
      );
    }
    if (i.groundsAward) throw alreadyNominated();
  }
}

/** The nominee's unit: a participant's registered unit, or the administrative unit itself. BAD_USER_INPUT when unknown. */
async function nomineeUnit(em: EntityManager, scope: ReplicaScope, kind: NomineeKind, id: string): Promise<string> {
  if (kind === 'ADMIN_UNIT') {
    if ((await scope.unitKinds([id], todayInVietnam())).has(id)) return id;
  } else {
    const p = (await findParticipants(em, [id])).get(id);
    if (p && p.kind === kind) return p.unitId;
  }
  throw badInput(`Không tìm thấy ${NOMINEE_KIND_NAMES[kind].toLowerCase()} có mã ${id}`, 'NOMINEE_NOT_FOUND', field('nomineeId'));
}

async function recordTransition(
  em: EntityManager,
  id: string,
  from: NominationStatus | null,
  to: NominationStatus,
  by: string,
  reason?: string,
) {
  await recordTransitions(em, [{ id, from, to, by, reason }]);
}

/** Many nominations' steps in one statement (a decision moves hundreds at once), each at its own clock_timestamp(). */
async function recordTransitions(
  em: EntityManager,
  steps: { id: string; from: NominationStatus | null; to: NominationStatus; by: string; reason?: string }[],
) {
  if (steps.length === 0) return;
  await rawQuery(
    em,
    `insert into nomination_transition (id, nomination_id, from_status, to_status, reason, at, by)
     select r.tid, r.id, r."from", r."to", r.reason, clock_timestamp(), r.by
     from jsonb_to_recordset(?::jsonb) as r(tid uuid, id uuid, "from" text, "to" text, reason text, by text)`,
    [JSON.stringify(steps.map((t) => ({ ...t, tid: randomUUID(), reason: t.reason ?? null })))],
  );
}

const reload = async (em: EntityManager, id: string) => (await loadNominations(em, [id])).get(id)!;

const requireProposer = (auth: AuthContext, scope: ReplicaScope, unitId: string) => scope.requireCovers(auth, PROPOSER_ROLES, [unitId]);

/** Whether the caller reads the nomination: its proposers in scope, the reviewers of its round, administrators. */
export async function canReadNomination(
  auth: AuthContext,
  scope: ReplicaScope,
  n: NominationRow,
  round: AwardRound | null,
): Promise<boolean> {
  if (auth.isSystemAdmin) return true;
  if (await scope.covers(auth, PROPOSER_ROLES, [n.proposingUnitId])) return true;
  return round !== null && scope.covers(auth, REVIEWER_ROLES, [round.scopeUnitId]);
}

/**
 * Checks where a nomination is proposed and for what, in this order: the round exists and is OPEN;
 * the form is one of the round's and admits the nominee's kind; the caller proposes for the
 * proposing unit (FORBIDDEN, before the nominee is looked up); the nominee is known; the proposing
 * unit lies in the round's scope and the nominee in the proposing unit's area.
 */
async function requirePlace(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  p: { roundId: string; formCode: string; nomineeKind: NomineeKind; nomineeId: string; proposingUnitId: string },
): Promise<AwardRound> {
  const round = await findRound(em, p.roundId);
  if (!round) throw badInput('Không tìm thấy đợt khen thưởng', 'ROUND_NOT_FOUND', field('roundId'));
  if (round.status !== 'OPEN') {
    throw conflict(`Đợt khen thưởng "${round.name}" không đang nhận hồ sơ đề nghị`, 'ROUND_NOT_OPEN', field('roundId'));
  }
  if (!round.forms.some((f) => f.formCode === p.formCode)) {
    throw badInput(`Đợt khen thưởng "${round.name}" không xét hình thức ${p.formCode}`, 'FORM_NOT_IN_ROUND', field('formCode'));
  }
  const form = (await formsAt(em, [p.formCode], round.decisionDeadline)).get(p.formCode);
  if (!form || !nomineeKindsFor(form.recipientKinds).includes(p.nomineeKind)) {
    throw badInput(
      `${form?.name ?? p.formCode} không tặng cho ${NOMINEE_KIND_NAMES[p.nomineeKind].toLowerCase()}`,
      'FORM_NOT_FOR_NOMINEE_KIND',
      field('nomineeKind'),
    );
  }
  // before anything is read about the nominee: an outsider must not learn from the answer whether an id exists
  await requireProposer(auth, scope, p.proposingUnitId);
  const unitOfNominee = await nomineeUnit(em, scope, p.nomineeKind, p.nomineeId);
  const today = todayInVietnam();
  if (!(await scope.subtree(round.scopeUnitId, today)).includes(p.proposingUnitId)) {
    throw badInput('Đơn vị đề nghị phải thuộc phạm vi của đợt khen thưởng', 'PROPOSING_UNIT_OUTSIDE_ROUND', field('proposingUnitId'));
  }
  if (!(await scope.subtree(p.proposingUnitId, today)).includes(unitOfNominee)) {
    throw badInput('Đối tượng được đề nghị phải thuộc địa bàn của đơn vị đề nghị', 'NOMINEE_OUTSIDE_PROPOSING_UNIT', field('nomineeId'));
  }
  return round;
}

/**
 * Creates a DRAFT nomination holding its achievement. A refusal writes nothing: the place
 * (requirePlace), the achievement (the nominee's own, still standing), then one achievement, one award.
 */
export async function createNomination(em: EntityManager, auth: AuthContext, scope: ReplicaScope, input: CreateNominationInput): Result {
  await requirePlace(em, auth, scope, input);
  const achievement = achievementOf(input.achievement);
  await requireAchievement(em, achievement, input.nomineeId);
  const id = randomUUID();
  await rawQuery(
    em,
    `insert into nomination (id, round_id, form_code, nominee_kind, nominee_id, proposing_unit_id, summary, evidence, achievement,
       status, version, created_at, created_by, updated_at, updated_by)
     values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, 'DRAFT', 1, now(), ?, now(), ?)`,
    [
      id,
      input.roundId,
      input.formCode,
      input.nomineeKind,
      input.nomineeId,
      input.proposingUnitId,
      input.summary,
      JSON.stringify(evidenceOf(input.evidence ?? [])),
      JSON.stringify(achievement),
      auth.subject,
      auth.subject,
    ],
  );
  await holdAchievement(em, id, achievementKeys(achievement, input.nomineeId));
  await recordTransition(em, id, null, 'DRAFT', auth.subject);
  return { result: await reload(em, id), events: [] };
}

function wrongStatus(n: NominationRow, action: string, allowed: NominationStatus[]) {
  return conflict(
    `Không thể ${action}: hồ sơ đang ở trạng thái "${NOMINATION_STATUS_NAMES[n.status]}"; chỉ ${action} được khi ${allowed
      .map((s) => `"${NOMINATION_STATUS_NAMES[s]}"`)
      .join(' hoặc ')}`,
    'WRONG_NOMINATION_STATUS',
    field('id'),
  );
}

/**
 * Locks the nomination and checks, in this order: it exists (NOT_FOUND); the caller may take the
 * step (FORBIDDEN); its status allows the step (CONFLICT); the version read (CONFLICT STALE_VERSION).
 */
async function lockForStep(
  em: EntityManager,
  input: NominationStepInput,
  authorize: (n: NominationRow, round: AwardRound) => Promise<void>,
  action: string,
  allowed: NominationStatus[],
  refuse: (n: NominationRow) => DomainError = (n) => wrongStatus(n, action, allowed),
): Promise<{ n: NominationRow; round: AwardRound }> {
  const n = (await loadNominations(em, [input.id], true)).get(input.id);
  if (!n) throw notFound('Không tìm thấy hồ sơ đề nghị', 'NOMINATION_NOT_FOUND', field('id'));
  const round = (await findRound(em, n.roundId))!;
  await authorize(n, round);
  if (!allowed.includes(n.status)) throw refuse(n);
  if (n.version !== input.expectedVersion) {
    throw conflict(
      `Hồ sơ đã được cập nhật bởi người khác (phiên bản hiện tại ${n.version}, bạn gửi ${input.expectedVersion}); hãy tải lại`,
      'STALE_VERSION',
      field('expectedVersion'),
    );
  }
  return { n, round };
}

const asProposer = (auth: AuthContext, scope: ReplicaScope) => (n: NominationRow) => requireProposer(auth, scope, n.proposingUnitId);
const asReviewer = (auth: AuthContext, scope: ReplicaScope) => (_: NominationRow, round: AwardRound) =>
  scope.requireCovers(auth, REVIEWER_ROLES, [round.scopeUnitId]);

/** Changes a draft or a returned nomination (a returned one stays returned until submitted again): only the fields given. */
export async function updateNomination(em: EntityManager, auth: AuthContext, scope: ReplicaScope, input: UpdateNominationInput): Result {
  const { n } = await lockForStep(em, input, asProposer(auth, scope), 'sửa hồ sơ', ['DRAFT', 'RETURNED']);
  const achievement = input.achievement ? achievementOf(input.achievement) : null;
  if (achievement) {
    await requireAchievement(em, achievement, n.nomineeId);
    await holdAchievement(em, n.id, achievementKeys(achievement, n.nomineeId));
  }
  await rawQuery(
    em,
    `update nomination set summary = coalesce(?, summary), achievement = coalesce(?::jsonb, achievement), evidence = coalesce(?::jsonb, evidence),
       version = version + 1, updated_at = now(), updated_by = ? where id = ?`,
    [
      input.summary ?? null,
      achievement ? JSON.stringify(achievement) : null,
      input.evidence ? JSON.stringify(evidenceOf(input.evidence)) : null,
      auth.subject,
      n.id,
    ],
  );
  return { result: await reload(em, n.id), events: [] };
}

/**
 * Sends a draft (or a returned nomination, fixed) up. In this order, a refusal writes nothing: the
 * round is still OPEN; the nominee is not under discipline today (CONFLICT NOMINEE_UNDER_DISCIPLINE);
 * the round's rules for the form hold (BAD_USER_INPUT NOT_ELIGIBLE, with every failed explanation);
 * under the round's row lock, the form's quota has room (CONFLICT QUOTA_EXCEEDED). The nominee's
 * recognitions and the checks are stored with it; publishes nomination.submitted.v1.
 */
export async function submitNomination(em: EntityManager, auth: AuthContext, scope: ReplicaScope, input: NominationStepInput): Result {
  const { n } = await lockForStep(em, input, asProposer(auth, scope), 'gửi hồ sơ', ['DRAFT', 'RETURNED']);
  // the round's row lock serialises every submission to the round, so two cannot both take the last place
  const round = (await findRound(em, n.roundId, true))!;
  if (round.status !== 'OPEN') {
    throw conflict(`Đợt khen thưởng "${round.name}" không còn nhận hồ sơ đề nghị`, 'ROUND_NOT_OPEN', field('id'));
  }
  const today = todayInVietnam();
  const discipline = await activeDiscipline(em, n.nomineeId, today);
  if (discipline) {
    throw conflict(
      `Đối tượng đang trong thời gian bị kỷ luật (${discipline.decisionRef}, từ ${discipline.fromDate}${
        discipline.toDate ? ` đến ${discipline.toDate}` : ''
      }); chưa được đề nghị khen thưởng`,
      'NOMINEE_UNDER_DISCIPLINE',
      field('id'),
    );
  }
  const eligibility = await evaluateEligibility(em, round, n.formCode, { kind: n.nomineeKind, id: n.nomineeId });
  if (!eligibility.eligible) {
    const failed = eligibility.checks.filter((c) => !c.passed).map((c) => c.explanation);
    throw badInput(`Đối tượng chưa đủ điều kiện: ${failed.join('; ')}`, 'NOT_ELIGIBLE', field('id'), { explanations: failed });
  }
  const entry = round.forms.find((f) => f.formCode === n.formCode)!;
  if (entry.quota) {
    const counted = await rawQuery<{ formCode: string; n: number }[]>(
      em,
      `select form_code as "formCode", count(*)::int as n from nomination
       where round_id = ? and status = any(?::text[]) and id <> ? group by form_code`,
      [round.id, COUNTED, n.id],
    );
    const byForm = new Map(counted.map((c) => [c.formCode, c.n]));
    const limit = quotaLimit(entry.quota, byForm);
    const used = byForm.get(n.formCode) ?? 0;
    if (used + 1 > limit) {
      throw new DomainError('CONFLICT', `Đã đủ chỉ tiêu của hình thức ${n.formCode} trong đợt (${used}/${limit}); không gửi thêm được`, {
        messageKey: 'QUOTA_EXCEEDED',
        field: field('id'),
        details: { used, limit },
      });
    }
  }
  const snapshot: RecognitionSnapshot[] = ((await recognitionsOf(em, [n.nomineeId])).get(n.nomineeId) ?? []).map((r) => ({
    recognitionId: r.recognitionId,
    title: r.title,
    level: r.level,
    year: r.year,
    revoked: r.revoked,
    decisionNumber: r.decisionNumber,
    decisionDate: r.decisionDate,
  }));
  await rawQuery(
    em,
    `update nomination set status = 'SUBMITTED', version = version + 1, submitted_at = now(), return_reason = null,
       recognitions = ?::jsonb, eligibility = ?::jsonb, updated_at = now(), updated_by = ? where id = ?`,
    [JSON.stringify(snapshot), JSON.stringify(eligibility), auth.subject, n.id],
  );
  await recordTransition(em, n.id, n.status, 'SUBMITTED', auth.subject);
  const after = await reload(em, n.id);
  return { result: after, events: [nominationSubmittedEvent(after, round)] };
}

/**
 * Moves a locked nomination to `to`, as every step does: the status and its reason, the version, the
 * achievement's keys when it is rejected or withdrawn (and the escalation's give-back), and the transition by `actor`.
 */
async function move(em: EntityManager, n: NominationRow, to: NominationStatus, actor: string, reason?: string): Promise<NominationRow> {
  await rawQuery(
    em,
    `update nomination set status = ?, version = version + 1,
       return_reason = case when ? = 'RETURNED' then ? else return_reason end,
       rejection_reason = case when ? = 'REJECTED' then ? else rejection_reason end,
       withdrawal_reason = case when ? = 'WITHDRAWN' then ? else withdrawal_reason end,
       updated_at = now(), updated_by = ? where id = ?`,
    [to, to, reason ?? null, to, reason ?? null, to, reason ?? null, actor, n.id],
  );
  if (RELEASED.includes(to)) {
    await rawQuery(em, 'update nomination_achievement set live = false where nomination_id = ?', [n.id]);
    // refused at the higher level: the achievement goes back to the approved proposal it was escalated from
    if (n.escalatedFrom) await rawQuery(em, 'update nomination_achievement set live = true where nomination_id = ?', [n.escalatedFrom]);
  }
  await recordTransition(em, n.id, n.status, to, actor, reason);
  return reload(em, n.id);
}

/** The open agenda item a nomination is on, with its session's day and the council's name; null when none. */
async function openAgendaItemOf(
  em: EntityManager,
  nominationId: string,
): Promise<{ itemId: string; sessionDate: string; council: string } | null> {
  const [item] = await rawQuery<{ itemId: string; sessionDate: string; council: string }[]>(
    em,
    `select i.id as "itemId", to_char(s.session_date, 'DD/MM/YYYY') as "sessionDate", c.name as council
     from council_agenda_item i join council_session s on s.id = i.session_id join council c on c.id = s.council_id
     where i.nomination_id = ? and i.status = 'OPEN' limit 1`,
    [nominationId],
  );
  return item ?? null;
}

/** Steps an officer takes on the outcome of a review; none while the council has the nomination before it. */
const OUTCOME_STEPS: readonly NominationStatus[] = ['APPROVED', 'REJECTED', 'RETURNED'];

async function step(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: NominationStepInput & { reason?: string },
  action: string,
  from: NominationStatus[],
  to: NominationStatus,
): Promise<{ n: NominationRow; round: AwardRound; after: NominationRow }> {
  const { n, round } = await lockForStep(em, input, asReviewer(auth, scope), action, from);
  if (OUTCOME_STEPS.includes(to)) {
    // the nomination's row lock is held: an agenda item added after this check waits for this step and then sees its status
    const onAgenda = await openAgendaItemOf(em, n.id);
    if (onAgenda) {
      throw new DomainError(
        'CONFLICT',
        `Không thể ${action}: hồ sơ đang được đưa ra ${onAgenda.council} tại phiên họp ngày ${onAgenda.sessionDate}; chờ kết quả biểu quyết`,
        { messageKey: 'NOMINATION_BEFORE_COUNCIL', field: field('id'), details: { agendaItemId: onAgenda.itemId } },
      );
    }
  }
  if (to === 'APPROVED') {
    const [council] = await rawQuery<{ name: string }[]>(em, 'select name from council where unit_id = ?', [round.scopeUnitId]);
    if (council) {
      throw conflict(
        `Không thể ${action} trực tiếp: đợt khen thưởng của cấp có ${council.name}, hồ sơ được chấp thuận khi Hội đồng biểu quyết thông qua`,
        'COUNCIL_VOTE_REQUIRED',
        field('id'),
      );
    }
  }
  return { n, round, after: await move(em, n, to, auth.subject, input.reason) };
}

/** SUBMITTED → RECEIVED: the round's level takes the proposal in. */
export const receiveNomination = async (em: EntityManager, auth: AuthContext, scope: ReplicaScope, input: NominationStepInput): Result => ({
  result: (await step(em, auth, scope, input, 'tiếp nhận hồ sơ', ['SUBMITTED'], 'RECEIVED')).after,
  events: [],
});

/** RECEIVED → UNDER_REVIEW. */
export const startNominationReview = async (
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: NominationStepInput,
): Result => ({
  result: (await step(em, auth, scope, input, 'bắt đầu thẩm định', ['RECEIVED'], 'UNDER_REVIEW')).after,
  events: [],
});

/**
 * UNDER_REVIEW → APPROVED: proposed for a decision. By hand only where the round's unit has no
 * council (its vote approves, applyCouncilVote) and not while the nomination is before one.
 * Publishes nomination.approved.v1.
 */
export async function approveNomination(em: EntityManager, auth: AuthContext, scope: ReplicaScope, input: NominationStepInput): Result {
  const { round, after } = await step(em, auth, scope, input, 'chấp thuận hồ sơ', ['UNDER_REVIEW'], 'APPROVED');
  return { result: after, events: [nominationApprovedEvent(after, round, 'REVIEW')] };
}

/** RECEIVED or UNDER_REVIEW → REJECTED with a reason (final); the achievement is free again. Publishes nomination.rejected.v1. */
export async function rejectNomination(em: EntityManager, auth: AuthContext, scope: ReplicaScope, input: NominationReasonInput): Result {
  const { round, after } = await step(
    em,
    auth,
    scope,
    input,
    'không chấp thuận hồ sơ',
    ['SUBMITTED', 'RECEIVED', 'UNDER_REVIEW'],
    'REJECTED',
  );
  return { result: after, events: [nominationRejectedEvent(after, round, 'REVIEW')] };
}

/** SUBMITTED, RECEIVED or UNDER_REVIEW → RETURNED with a reason; the proposers fix and resubmit it. Publishes nomination.returned.v1. */
export async function returnNomination(em: EntityManager, auth: AuthContext, scope: ReplicaScope, input: NominationReasonInput): Result {
  const { round, after } = await step(em, auth, scope, input, 'trả lại hồ sơ', ['SUBMITTED', 'RECEIVED', 'UNDER_REVIEW'], 'RETURNED');
  return { result: after, events: [nominationReturnedEvent(after, round)] };
}

/** Where the proposing unit may still take its proposal back: before the round's level starts reviewing it. */
const WITHDRAWABLE: NominationStatus[] = ['DRAFT', 'SUBMITTED', 'RECEIVED', 'RETURNED'];

/**
 * DRAFT, SUBMITTED, RECEIVED or RETURNED → WITHDRAWN with a reason (final): the proposing unit's
 * officers take their own proposal back. Its achievement is free again and it leaves the quota; an
 * escalated one gives the achievement back to the approved proposal it came from, as a rejection
 * does. Once under review the outcome is the reviewers' (CONFLICT NOMINATION_NOT_WITHDRAWABLE).
 * Publishes nomination.withdrawn.v1.
 */
export async function withdrawNomination(em: EntityManager, auth: AuthContext, scope: ReplicaScope, input: NominationReasonInput): Result {
  const { n, round } = await lockForStep(em, input, asProposer(auth, scope), 'rút hồ sơ', WITHDRAWABLE, (n) =>
    conflict(
      `Không thể rút hồ sơ: hồ sơ đang ở trạng thái "${NOMINATION_STATUS_NAMES[n.status]}"; chỉ rút được trước khi cấp xét bắt đầu thẩm định`,
      'NOMINATION_NOT_WITHDRAWABLE',
      field('id'),
    ),
  );
  const after = await move(em, n, 'WITHDRAWN', auth.subject, input.reason);
  return { result: after, events: [nominationWithdrawnEvent(after, round)] };
}

/**
 * APPROVED → DECIDED for the nominations an award decision names, in one transaction with the
 * decision. An initiative a nomination rests on is claimed for the award here, not at submission:
 * the live-achievement index already keeps a second nomination off it, and a proposal rejected on
 * the way must not leave the initiative spent. CONFLICT when one is not APPROVED (nothing changes).
 */
export async function markNominationsDecided(em: EntityManager, ids: readonly string[], decisionRef: string): Promise<NominationRow[]> {
  const ref = decisionRef.trim();
  if (ref === '' || ref.length > 200) throw badInput('Số quyết định khen thưởng không hợp lệ', 'INVALID_DECISION_REF', ['decisionRef']);
  const unique = [...new Set(ids)];
  const found = await loadNominations(em, unique, true);
  for (const id of unique) {
    const n = found.get(id);
    if (!n) throw notFound(`Không tìm thấy hồ sơ đề nghị ${id}`, 'NOMINATION_NOT_FOUND', ['ids']);
    if (n.status !== 'APPROVED') throw wrongStatus(n, 'ghi quyết định khen thưởng', ['APPROVED']);
  }
  for (const n of found.values()) {
    if (n.achievement.kind === 'INITIATIVE') await claimInitiativeForAward(em, n.achievement.initiativeId, n.id);
  }
  await recordTransitions(
    em,
    [...found.values()].map((n) => ({ id: n.id, from: n.status, to: 'DECIDED' as const, by: `decision:${ref}` })),
  );
  await rawQuery(
    em,
    `update nomination set status = 'DECIDED', decision_ref = ?, version = version + 1, updated_at = now(), updated_by = ?
     where id = any(?::uuid[])`,
    [ref, `decision:${ref}`, uuidArray(unique)],
  );
  return [...(await loadNominations(em, unique)).values()];
}

/**
 * Checks a nomination a council is to vote on, under the nomination's row lock, in this order: it
 * exists (NOT_FOUND); its round is the council's unit's own (BAD_USER_INPUT NOMINATION_NOT_FOR_COUNCIL:
 * a level's council advises on that level's awards, which the emulation officers of the round's
 * scope unit review); it is UNDER_REVIEW (CONFLICT NOMINATION_NOT_UNDER_REVIEW); it is on no open
 * agenda item of any session (CONFLICT NOMINATION_ALREADY_ON_AGENDA). Returns it with its form's rank.
 */
export async function requireNominationForCouncil(
  em: EntityManager,
  nominationId: string,
  councilUnitId: string,
  at: string[],
): Promise<{ nomination: NominationRow; formRank: number }> {
  const n = (await loadNominations(em, [nominationId], true)).get(nominationId);
  if (!n) throw notFound('Không tìm thấy hồ sơ đề nghị khen thưởng', 'NOMINATION_NOT_FOUND', at);
  const round = (await findRound(em, n.roundId))!;
  if (round.scopeUnitId !== councilUnitId) {
    throw badInput(
      `Hồ sơ thuộc đợt khen thưởng "${round.name}" của cấp khác; Hội đồng chỉ xét hồ sơ của đợt khen thưởng cấp mình`,
      'NOMINATION_NOT_FOR_COUNCIL',
      at,
    );
  }
  if (n.status !== 'UNDER_REVIEW') {
    throw conflict(
      `Hồ sơ đang ở trạng thái "${NOMINATION_STATUS_NAMES[n.status]}"; chỉ hồ sơ "${NOMINATION_STATUS_NAMES.UNDER_REVIEW}" mới đưa ra Hội đồng xét`,
      'NOMINATION_NOT_UNDER_REVIEW',
      at,
    );
  }
  const onAgenda = await openAgendaItemOf(em, n.id);
  if (onAgenda) {
    throw conflict(
      `Hồ sơ đã có trong chương trình phiên họp ngày ${onAgenda.sessionDate} của ${onAgenda.council}, chưa biểu quyết xong`,
      'NOMINATION_ALREADY_ON_AGENDA',
      at,
    );
  }
  const form = (await formsAt(em, [n.formCode], round.decisionDeadline)).get(n.formCode);
  return { nomination: n, formRank: form?.rank ?? 0 };
}

/**
 * The council's vote on a nomination, in the transaction that closes its agenda item: PASSED
 * approves it, FAILED rejects it (its achievement is free again, and an escalated one's goes back,
 * as with an officer's rejection), NO_QUORUM leaves it under review for a later session. Recorded as
 * `actor`'s step (who closed the item) with `reason`. The nomination (null for an item on no
 * nomination known here) and its nomination.approved.v1 or nomination.rejected.v1.
 */
export async function applyCouncilVote(
  em: EntityManager,
  nominationId: string,
  outcome: Outcome,
  actor: string,
  reason: string,
): Promise<{ nomination: NominationRow | null; events: CloudEvent[] }> {
  const n = (await loadNominations(em, [nominationId], true)).get(nominationId);
  if (!n) return { nomination: null, events: [] };
  if (outcome === 'NO_QUORUM') return { nomination: n, events: [] };
  // an open item keeps its nomination under review: the officer's steps wait for the vote
  if (n.status !== 'UNDER_REVIEW') throw wrongStatus(n, 'ghi kết quả biểu quyết của Hội đồng', ['UNDER_REVIEW']);
  const round = (await findRound(em, n.roundId))!;
  const after = await move(em, n, outcome === 'PASSED' ? 'APPROVED' : 'REJECTED', actor, reason);
  const event = outcome === 'PASSED' ? nominationApprovedEvent(after, round, 'COUNCIL') : nominationRejectedEvent(after, round, 'COUNCIL');
  return { nomination: after, events: [event] };
}

/**
 * Escalates an APPROVED nomination to a higher-ranked form in an OPEN round of the level above (the
 * round's scope unit is the parent of this round's). The new DRAFT nomination is proposed by this
 * round's scope unit, carries the summary, evidence and achievement, and takes over the
 * achievement's keys: the escalated one may rest on it, an unrelated duplicate still may not.
 * Emulation officers of this round's scope unit.
 */
export async function escalateNomination(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: EscalateNominationInput,
): Result {
  const { n, round } = await lockForStep(em, input, asReviewer(auth, scope), 'chuyển hồ sơ lên cấp trên', ['APPROVED']);
  // one live proposal above at a time; once it is rejected or withdrawn there, it may go up again (completed, or in another round)
  const above = n.escalatedTo ? (await loadNominations(em, [n.escalatedTo])).get(n.escalatedTo) : undefined;
  if (above && !RELEASED.includes(above.status)) {
    throw conflict('Hồ sơ đã được chuyển lên cấp trên và đang được xét ở đó', 'ALREADY_ESCALATED', field('id'));
  }
  const target = await findRound(em, input.roundId);
  if (!target) throw badInput('Không tìm thấy đợt khen thưởng cấp trên', 'ROUND_NOT_FOUND', field('roundId'));
  const today = todayInVietnam();
  const parent = await rawQuery<{ parentId: string | null }[]>(
    em,
    `select parent_id as "parentId" from admin_unit_version_replica
     where unit_id = ? and valid_from <= ?::date and (valid_to is null or valid_to >= ?::date) limit 1`,
    [round.scopeUnitId, today, today],
  );
  if (!parent[0]?.parentId || target.scopeUnitId !== parent[0].parentId) {
    throw badInput('Đợt khen thưởng phải là đợt của cấp trên trực tiếp', 'ROUND_NOT_NEXT_LEVEL', field('roundId'));
  }
  if (target.status !== 'OPEN')
    throw conflict(`Đợt khen thưởng "${target.name}" không đang nhận hồ sơ đề nghị`, 'ROUND_NOT_OPEN', field('roundId'));
  if (!target.forms.some((f) => f.formCode === input.formCode)) {
    throw badInput(`Đợt khen thưởng "${target.name}" không xét hình thức ${input.formCode}`, 'FORM_NOT_IN_ROUND', field('formCode'));
  }
  const [current, higher] = [
    (await formsAt(em, [n.formCode], round.decisionDeadline)).get(n.formCode),
    (await formsAt(em, [input.formCode], target.decisionDeadline)).get(input.formCode),
  ];
  if (!higher || !nomineeKindsFor(higher.recipientKinds).includes(n.nomineeKind)) {
    throw badInput(`Hình thức ${input.formCode} không tặng cho đối tượng này`, 'FORM_NOT_FOR_NOMINEE_KIND', field('formCode'));
  }
  if (current && higher.rank <= current.rank) {
    throw badInput(`${higher.name} không phải hình thức cao hơn ${current.name}`, 'FORM_NOT_HIGHER', field('formCode'));
  }
  const id = randomUUID();
  await rawQuery(
    em,
    `insert into nomination (id, round_id, form_code, nominee_kind, nominee_id, proposing_unit_id, summary, evidence, achievement,
       status, version, escalated_from, created_at, created_by, updated_at, updated_by)
     select ?, ?, ?, nominee_kind, nominee_id, ?, summary, evidence, achievement, 'DRAFT', 1, id, now(), ?, now(), ?
     from nomination where id = ?`,
    [id, target.id, input.formCode, round.scopeUnitId, auth.subject, auth.subject, n.id],
  );
  // the achievement moves with the proposal: released here, held by the escalated one in the same transaction
  await rawQuery(em, 'update nomination_achievement set live = false where nomination_id = ?', [n.id]);
  await holdAchievement(em, id, achievementKeys(n.achievement, n.nomineeId));
  await rawQuery(em, 'update nomination set escalated_to = ?, version = version + 1, updated_at = now(), updated_by = ? where id = ?', [
    id,
    auth.subject,
    n.id,
  ]);
  await recordTransition(em, id, null, 'DRAFT', auth.subject, `Chuyển lên từ hồ sơ ${n.id}`);
  return { result: await reload(em, id), events: [] };
}
