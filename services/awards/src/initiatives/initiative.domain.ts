import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  badInput,
  conflict,
  findParticipants,
  isoDateInput,
  notFound,
  rawQuery,
  todayInVietnam,
  type AuthContext,
  type CloudEvent,
  type ReplicaScope,
  type Role,
  uuidInput as uuid,
  textInput as text,
  expectedVersionInput as expectedVersion,
} from '@xhht/infra';
import { evidenceInput } from '../evidence-input';
import { recognisedEvent } from './initiative.events';
import { loadAuthors, loadInitiatives, writeAuthors, type InitiativeRow } from './initiative.repository';
import {
  EFFECT_SCOPES,
  EFFECT_SCOPE_NAMES,
  INITIATIVE_FIELDS,
  INITIATIVE_KINDS,
  INITIATIVE_STATUS_NAMES,
  WIDEST_EFFECT_BY_UNIT_KIND,
  type InitiativeStatus,
} from './initiative-vocabulary';

/** Who registers and submits an initiative for a unit (with their scope covering it), besides administrators. */
export const REGISTRAR_ROLES: readonly Role[] = ['COMMUNE_OFFICER', 'ORGANIZATION_OFFICER', 'ASSOCIATION_OFFICER', 'EDUCATION_OFFICER'];
/** Who records the council's recognition, returns and rejects: the emulation officers of the unit or above. */
export const COUNCIL_ROLES: readonly Role[] = ['EMULATION_OFFICER'];

const MAX_AUTHORS = 50;
const MAX_EVIDENCE = 30;

const editable = {
  kind: z.enum(INITIATIVE_KINDS),
  title: text('tên sáng kiến', 300),
  description: text('nội dung', 10_000),
  field: z.enum(INITIATIVE_FIELDS),
  authorPersonIds: z.array(uuid('tác giả')).max(MAX_AUTHORS, `tối đa ${MAX_AUTHORS} tác giả`),
  authorOrganizationIds: z.array(uuid('tổ chức tác giả')).max(MAX_AUTHORS, `tối đa ${MAX_AUTHORS} tổ chức tác giả`),
  appliedSince: isoDateInput,
  effectScope: z.enum(EFFECT_SCOPES),
  effectDescription: text('mô tả hiệu quả, phạm vi ảnh hưởng', 5000),
  evidence: z.array(evidenceInput).max(MAX_EVIDENCE, `tối đa ${MAX_EVIDENCE} tài liệu minh chứng`),
};

export const registerInput = z.object({
  ...editable,
  authorPersonIds: editable.authorPersonIds.nullish(),
  authorOrganizationIds: editable.authorOrganizationIds.nullish(),
  evidence: editable.evidence.nullish(),
  unitId: uuid('đơn vị đăng ký'),
  organizationId: uuid('cơ quan, tổ chức đăng ký').nullish(),
});
export type RegisterInput = z.infer<typeof registerInput>;

export const updateInput = z.object({
  id: uuid('sáng kiến'),
  expectedVersion,
  kind: editable.kind.nullish(),
  title: editable.title.nullish(),
  description: editable.description.nullish(),
  field: editable.field.nullish(),
  authorPersonIds: editable.authorPersonIds.nullish(),
  authorOrganizationIds: editable.authorOrganizationIds.nullish(),
  appliedSince: editable.appliedSince.nullish(),
  effectScope: editable.effectScope.nullish(),
  effectDescription: editable.effectDescription.nullish(),
  evidence: editable.evidence.nullish(),
});
export type UpdateInput = z.infer<typeof updateInput>;

export const stepInput = z.object({ id: uuid('sáng kiến'), expectedVersion });
export type StepInput = z.infer<typeof stepInput>;

export const reasonInput = stepInput.extend({ reason: text('lý do', 2000) });
export type ReasonInput = z.infer<typeof reasonInput>;

export const recognizeInput = stepInput.extend({
  councilSessionRef: text('số, ngày phiên họp Hội đồng', 200),
  recognisedEffectScope: z.enum(EFFECT_SCOPES),
  recognisingUnitId: uuid('đơn vị công nhận'),
});
export type RecognizeInput = z.infer<typeof recognizeInput>;

const field = (...names: (string | number)[]) => ['input', ...names.map(String)];

const ownOrganization = (auth: AuthContext, organizationId: string | null) =>
  organizationId !== null && auth.principal.roles.some((g) => g.role === 'ORGANIZATION_OFFICER' && g.organizationId === organizationId);

/**
 * Refuses with FORBIDDEN (OUTSIDE_SCOPE) unless the caller may register and submit for the unit:
 * an officer of REGISTRAR_ROLES whose scope covers it, or the registering organization's own officer.
 */
export async function requireRegistrar(
  auth: AuthContext,
  scope: ReplicaScope,
  unitId: string,
  organizationId: string | null,
): Promise<void> {
  if (auth.isSystemAdmin || ownOrganization(auth, organizationId)) return;
  await scope.requireCovers(auth, REGISTRAR_ROLES, [unitId]);
}

/**
 * Whether the caller reads the initiative: a recognised one is public to everyone signed in; until
 * then only its registrars in scope, the emulation officers covering its unit and administrators.
 */
export async function canRead(auth: AuthContext, scope: ReplicaScope, i: InitiativeRow): Promise<boolean> {
  if (i.status === 'RECOGNISED' || auth.isSystemAdmin || ownOrganization(auth, i.organizationId)) return true;
  return scope.covers(auth, [...REGISTRAR_ROLES, ...COUNCIL_ROLES], [i.unitId]);
}

function staleVersion(current: number, sent: number) {
  return conflict(
    `Sáng kiến đã được cập nhật bởi người khác (phiên bản hiện tại ${current}, bạn gửi ${sent}); hãy tải lại`,
    'STALE_VERSION',
    field('expectedVersion'),
  );
}

function wrongStatus(i: InitiativeRow, action: string, allowed: InitiativeStatus[]) {
  return conflict(
    `Không thể ${action}: sáng kiến đang ở trạng thái "${INITIATIVE_STATUS_NAMES[i.status]}"; chỉ ${action} được khi ${allowed
      .map((s) => `"${INITIATIVE_STATUS_NAMES[s]}"`)
      .join(' hoặc ')}`,
    'WRONG_INITIATIVE_STATUS',
    field('id'),
  );
}

async function recordTransition(
  em: EntityManager,
  initiativeId: string,
  from: InitiativeStatus | null,
  to: InitiativeStatus,
  by: string,
  reason?: string,
) {
  await rawQuery(
    em,
    `insert into initiative_transition (id, initiative_id, from_status, to_status, reason, at, by)
     values (?, ?, ?, ?, ?, clock_timestamp(), ?)`,
    [randomUUID(), initiativeId, from, to, reason ?? null, by],
  );
}

const reload = async (em: EntityManager, id: string) => (await loadInitiatives(em, [id])).get(id)!;

function requireAppliedSince(appliedSince: string) {
  const today = todayInVietnam();
  if (appliedSince > today) {
    throw badInput(
      `Ngày bắt đầu áp dụng (${appliedSince}) không được sau hôm nay (${today})`,
      'APPLIED_SINCE_IN_FUTURE',
      field('appliedSince'),
    );
  }
}

/**
 * The authors must be participants org registered, of the kind named: persons in authorPersonIds,
 * organizations in authorOrganizationIds, each once. Refuses the first one that is not.
 */
async function requireAuthors(em: EntityManager, personIds: string[], organizationIds: string[]): Promise<void> {
  const found = await findParticipants(em, [...personIds, ...organizationIds]);
  const check = (ids: string[], kind: 'PERSON' | 'ORGANIZATION', name: string) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) throw badInput(`Tác giả ${id} được nêu hai lần`, 'DUPLICATE_AUTHOR', field(name, i));
      seen.add(id);
      if (found.get(id)?.kind !== kind) {
        throw badInput(
          kind === 'PERSON' ? `Không tìm thấy người có mã ${id}` : `Không tìm thấy cơ quan, tổ chức có mã ${id}`,
          'AUTHOR_NOT_FOUND',
          field(name, i),
        );
      }
    });
  };
  check(personIds, 'PERSON', 'authorPersonIds');
  check(organizationIds, 'ORGANIZATION', 'authorOrganizationIds');
}

/**
 * Registers a draft initiative. Checked in this order, a refusal writes nothing: the applied-since
 * date; the registering unit is in force today and the organization (if any) lies in its area;
 * the caller may register there (FORBIDDEN); every author is a known person or organization.
 */
export async function registerInitiative(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: RegisterInput,
): Promise<{ result: InitiativeRow; events: CloudEvent[] }> {
  requireAppliedSince(input.appliedSince);
  const today = todayInVietnam();
  const kinds = await scope.unitKinds([input.unitId], today);
  if (!kinds.has(input.unitId)) {
    throw badInput('Không có đơn vị đăng ký này (hoặc đơn vị không còn hiệu lực)', 'UNIT_NOT_FOUND', field('unitId'));
  }
  const organizationId = input.organizationId ?? null;
  if (organizationId) {
    const org = (await findParticipants(em, [organizationId])).get(organizationId);
    const area = org?.kind === 'ORGANIZATION' ? await scope.subtree(input.unitId, today) : [];
    if (!org || !area.includes(org.unitId)) {
      throw badInput(
        'Cơ quan, tổ chức đăng ký phải là một cơ quan, tổ chức trên địa bàn của đơn vị đăng ký',
        'ORGANIZATION_NOT_IN_UNIT',
        field('organizationId'),
      );
    }
  }
  await requireRegistrar(auth, scope, input.unitId, organizationId);
  const personIds = input.authorPersonIds ?? [];
  const organizationIds = input.authorOrganizationIds ?? [];
  await requireAuthors(em, personIds, organizationIds);

  const id = randomUUID();
  await rawQuery(
    em,
    `insert into initiative (id, kind, title, description, field, unit_id, organization_id, applied_since, effect_scope,
       effect_description, evidence, status, version, created_at, created_by, updated_at, updated_by)
     values (?, ?, ?, ?, ?, ?, ?, ?::date, ?, ?, ?::jsonb, 'DRAFT', 1, now(), ?, now(), ?)`,
    [
      id,
      input.kind,
      input.title,
      input.description,
      input.field,
      input.unitId,
      organizationId,
      input.appliedSince,
      input.effectScope,
      input.effectDescription,
      JSON.stringify(evidenceOf(input.evidence ?? [])),
      auth.subject,
      auth.subject,
    ],
  );
  await writeAuthors(em, id, personIds, organizationIds);
  await recordTransition(em, id, null, 'DRAFT', auth.subject);
  return { result: await reload(em, id), events: [] };
}

const evidenceOf = (items: z.infer<typeof evidenceInput>[]) =>
  items.map((e) => ({ title: e.title, url: e.url ?? null, fileId: e.fileId ?? null }));

/**
 * Locks the initiative and checks, in this order: it exists (NOT_FOUND); the caller may take the
 * step (FORBIDDEN); its status allows the step (CONFLICT: so a second recognition says it was
 * recognised, whatever version it sends); the version read (CONFLICT STALE_VERSION).
 */
async function lockForStep(
  em: EntityManager,
  input: StepInput,
  authorize: (i: InitiativeRow) => Promise<void>,
  action: string,
  allowed: InitiativeStatus[],
): Promise<InitiativeRow> {
  const i = (await loadInitiatives(em, [input.id], true)).get(input.id);
  if (!i) throw notFound('Không tìm thấy sáng kiến', 'INITIATIVE_NOT_FOUND', field('id'));
  await authorize(i);
  if (i.status === 'RECOGNISED' && !allowed.includes('RECOGNISED')) {
    throw conflict(
      `Sáng kiến đã được công nhận (${i.councilSessionRef ?? ''}); việc công nhận chỉ ghi một lần và không sửa được nữa`,
      'INITIATIVE_ALREADY_RECOGNISED',
      field('id'),
    );
  }
  if (!allowed.includes(i.status)) throw wrongStatus(i, action, allowed);
  if (i.version !== input.expectedVersion) throw staleVersion(i.version, input.expectedVersion);
  return i;
}

/** Changes a draft (or a returned initiative, which goes back to draft): only the fields given. */
export async function updateInitiative(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: UpdateInput,
): Promise<{ result: InitiativeRow; events: CloudEvent[] }> {
  const i = await lockForStep(em, input, (i) => requireRegistrar(auth, scope, i.unitId, i.organizationId), 'sửa sáng kiến', [
    'DRAFT',
    'RETURNED',
  ]);
  if (input.appliedSince) requireAppliedSince(input.appliedSince);
  if (input.authorPersonIds || input.authorOrganizationIds) {
    const current = await loadAuthors(em, [i.id]);
    const personIds = input.authorPersonIds ?? current.filter((a) => a.authorKind === 'PERSON').map((a) => a.authorId);
    const organizationIds = input.authorOrganizationIds ?? current.filter((a) => a.authorKind === 'ORGANIZATION').map((a) => a.authorId);
    await requireAuthors(em, personIds, organizationIds);
    await writeAuthors(em, i.id, personIds, organizationIds);
  }
  await rawQuery(
    em,
    `update initiative set kind = coalesce(?, kind), title = coalesce(?, title), description = coalesce(?, description),
       field = coalesce(?, field), applied_since = coalesce(?::date, applied_since), effect_scope = coalesce(?, effect_scope),
       effect_description = coalesce(?, effect_description), evidence = coalesce(?::jsonb, evidence),
       status = 'DRAFT', version = version + 1, updated_at = now(), updated_by = ?
     where id = ?`,
    [
      input.kind ?? null,
      input.title ?? null,
      input.description ?? null,
      input.field ?? null,
      input.appliedSince ?? null,
      input.effectScope ?? null,
      input.effectDescription ?? null,
      input.evidence ? JSON.stringify(evidenceOf(input.evidence)) : null,
      auth.subject,
      i.id,
    ],
  );
  if (i.status !== 'DRAFT') await recordTransition(em, i.id, i.status, 'DRAFT', auth.subject);
  return { result: await reload(em, i.id), events: [] };
}

/** Sends a draft (or a returned initiative, fixed) to the council. */
export async function submitInitiative(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: StepInput,
): Promise<{ result: InitiativeRow; events: CloudEvent[] }> {
  const i = await lockForStep(em, input, (i) => requireRegistrar(auth, scope, i.unitId, i.organizationId), 'gửi sáng kiến', [
    'DRAFT',
    'RETURNED',
  ]);
  await rawQuery(
    em,
    `update initiative set status = 'SUBMITTED', version = version + 1, submitted_at = now(), return_reason = null,
       updated_at = now(), updated_by = ? where id = ?`,
    [auth.subject, i.id],
  );
  await recordTransition(em, i.id, i.status, 'SUBMITTED', auth.subject);
  return { result: await reload(em, i.id), events: [] };
}

const requireCouncilOfficer = (auth: AuthContext, scope: ReplicaScope) => (i: InitiativeRow) =>
  scope.requireCovers(auth, COUNCIL_ROLES, [i.unitId]);

const RANK = Object.fromEntries(EFFECT_SCOPES.map((s, n) => [s, n])) as Record<(typeof EFFECT_SCOPES)[number], number>;

/**
 * Records the council's recognition of a submitted initiative, once: the council session, the
 * effect recognised and the recognising unit, which must be the initiative's unit or one above it,
 * covered by the caller, and whose council can recognise an effect that wide. Publishes
 * vn.xhht.awards.initiative.recognised.v1 in the same transaction (outbox).
 */
export async function recognizeInitiative(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: RecognizeInput,
): Promise<{ result: InitiativeRow; events: CloudEvent[] }> {
  const i = await lockForStep(em, input, requireCouncilOfficer(auth, scope), 'công nhận sáng kiến', ['SUBMITTED']);
  const today = todayInVietnam();
  const kind = (await scope.unitKinds([input.recognisingUnitId], today)).get(input.recognisingUnitId);
  if (!kind) {
    throw badInput('Không có đơn vị công nhận này (hoặc đơn vị không còn hiệu lực)', 'UNIT_NOT_FOUND', field('recognisingUnitId'));
  }
  if (!(await scope.subtree(input.recognisingUnitId, today)).includes(i.unitId)) {
    throw badInput(
      'Đơn vị công nhận phải là đơn vị đăng ký sáng kiến hoặc đơn vị cấp trên của đơn vị đó',
      'RECOGNISING_UNIT_NOT_ABOVE',
      field('recognisingUnitId'),
    );
  }
  const widest = WIDEST_EFFECT_BY_UNIT_KIND[kind] ?? 'UNIT';
  if (RANK[input.recognisedEffectScope] > RANK[widest]) {
    throw badInput(
      `Hội đồng của đơn vị này chỉ công nhận được phạm vi ảnh hưởng đến mức "${EFFECT_SCOPE_NAMES[widest]}"`,
      'EFFECT_BEYOND_RECOGNISING_UNIT',
      field('recognisedEffectScope'),
    );
  }
  await scope.requireCovers(auth, COUNCIL_ROLES, [input.recognisingUnitId]);
  await rawQuery(
    em,
    `update initiative set status = 'RECOGNISED', version = version + 1, council_session_ref = ?, recognised_effect_scope = ?,
       recognising_unit_id = ?, recognised_at = now(), recognised_by = ?, updated_at = now(), updated_by = ?
     where id = ?`,
    [input.councilSessionRef, input.recognisedEffectScope, input.recognisingUnitId, auth.subject, auth.subject, i.id],
  );
  await recordTransition(em, i.id, i.status, 'RECOGNISED', auth.subject);
  const after = await reload(em, i.id);
  return { result: after, events: [recognisedEvent(after, await loadAuthors(em, [i.id]))] };
}

/** The council sends a submitted initiative back with a reason; its registrars fix it and submit again. */
export async function returnInitiative(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: ReasonInput,
): Promise<{ result: InitiativeRow; events: CloudEvent[] }> {
  const i = await lockForStep(em, input, requireCouncilOfficer(auth, scope), 'trả lại sáng kiến', ['SUBMITTED']);
  await rawQuery(
    em,
    `update initiative set status = 'RETURNED', version = version + 1, return_reason = ?, updated_at = now(), updated_by = ? where id = ?`,
    [input.reason, auth.subject, i.id],
  );
  await recordTransition(em, i.id, i.status, 'RETURNED', auth.subject, input.reason);
  return { result: await reload(em, i.id), events: [] };
}

/** The council does not recognise a submitted initiative; final. */
export async function rejectInitiative(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: ReasonInput,
): Promise<{ result: InitiativeRow; events: CloudEvent[] }> {
  const i = await lockForStep(em, input, requireCouncilOfficer(auth, scope), 'không công nhận sáng kiến', ['SUBMITTED']);
  await rawQuery(
    em,
    `update initiative set status = 'REJECTED', version = version + 1, rejection_reason = ?, updated_at = now(), updated_by = ? where id = ?`,
    [input.reason, auth.subject, i.id],
  );
  await recordTransition(em, i.id, i.status, 'REJECTED', auth.subject, input.reason);
  return { result: await reload(em, i.id), events: [] };
}

/**
 * An initiative grounds at most one award (one achievement earns one award): records `awardRef`
 * on a recognised initiative that grounds none yet, in the caller's transaction. A second claim,
 * also a concurrent one (it waits for the first's row lock, then finds the award set), is refused
 * with CONFLICT INITIATIVE_ALREADY_AWARDED; an initiative not recognised with CONFLICT
 * INITIATIVE_NOT_RECOGNISED.
 */
export async function claimInitiativeForAward(em: EntityManager, initiativeId: string, awardRef: string): Promise<InitiativeRow> {
  const ref = awardRef.trim();
  if (ref === '' || ref.length > 200) throw badInput('Mã khen thưởng không hợp lệ', 'INVALID_AWARD_REF', ['awardRef']);
  const claimed = await rawQuery<{ id: string }[]>(
    em,
    `update initiative set grounds_award = ?, awarded_at = now()
     where id = ? and status = 'RECOGNISED' and grounds_award is null returning id`,
    [ref, initiativeId],
  );
  if (claimed.length === 1) return reload(em, initiativeId);
  const i = (await loadInitiatives(em, [initiativeId])).get(initiativeId);
  if (!i) throw notFound('Không tìm thấy sáng kiến', 'INITIATIVE_NOT_FOUND', ['initiativeId']);
  if (i.status !== 'RECOGNISED') {
    throw conflict(
      `Sáng kiến chưa được Hội đồng công nhận (trạng thái "${INITIATIVE_STATUS_NAMES[i.status]}"), chưa thể làm căn cứ khen thưởng`,
      'INITIATIVE_NOT_RECOGNISED',
      ['initiativeId'],
    );
  }
  throw conflict(
    'Sáng kiến đã là căn cứ của một khen thưởng khác; mỗi thành tích chỉ được khen thưởng một lần',
    'INITIATIVE_ALREADY_AWARDED',
    ['initiativeId'],
  );
}
