import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
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
  uuidArray,
  type AuthContext,
  type CloudEvent,
  type ReplicaScope,
  type Role,
  textInput as text,
} from '@xhht/infra';
import { NOMINEE_KINDS, NOMINEE_KIND_NAMES, type NomineeKind } from '../rounds/eligibility-rules';

/** Who keeps and reads the discipline registry (personal data), on the subject's unit or above; administrators too. */
export const DISCIPLINE_ROLES: readonly Role[] = ['EMULATION_OFFICER'];

/** A disciplinary measure against a possible nominee (kỷ luật), from `fromDate` to `toDate` inclusive (open-ended without). */
export interface DisciplineRow {
  id: string;
  subjectKind: NomineeKind;
  subjectId: string;
  /** The subject's unit when recorded: whose emulation officers keep the record. */
  unitId: string;
  fromDate: string;
  toDate: string | null;
  decisionRef: string;
  reason: string;
  recordedAt: Date;
  recordedBy: string;
  endedAt: Date | null;
  endedBy: string | null;
}

const COLUMNS = `d.id, d.subject_kind as "subjectKind", d.subject_id as "subjectId", d.unit_id as "unitId",
  d.from_date::text as "fromDate", d.to_date::text as "toDate", d.decision_ref as "decisionRef", d.reason,
  d.recorded_at as "recordedAt", d.recorded_by as "recordedBy", d.ended_at as "endedAt", d.ended_by as "endedBy"`;

export const recordDisciplineInput = z.object({
  subjectKind: z.enum(NOMINEE_KINDS),
  subjectId: z.string().uuid('mã đối tượng không hợp lệ'),
  fromDate: isoDateInput,
  toDate: isoDateInput.nullish(),
  decisionRef: text('số, ngày quyết định kỷ luật', 200),
  reason: text('lý do kỷ luật', 2000),
});
export type RecordDisciplineInput = z.infer<typeof recordDisciplineInput>;

export const endDisciplineInput = z.object({
  id: z.string().uuid('mã kỷ luật không hợp lệ'),
  toDate: isoDateInput,
});
export type EndDisciplineInput = z.infer<typeof endDisciplineInput>;

const field = (...names: string[]) => ['input', ...names];
const toDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));
const rowOf = (r: DisciplineRow): DisciplineRow => ({ ...r, recordedAt: toDate(r.recordedAt)!, endedAt: toDate(r.endedAt) });

/** The discipline in force on `day` for the subject, if any (the latest started). */
export async function activeDiscipline(em: EntityManager, subjectId: string, day: string): Promise<DisciplineRow | null> {
  return (await activeDisciplines(em, [subjectId], day)).get(subjectId) ?? null;
}

/** `activeDiscipline` for many subjects in one statement: the latest measure in force on `day`, by subject. */
export async function activeDisciplines(
  em: EntityManager,
  subjectIds: readonly string[],
  day: string,
): Promise<Map<string, DisciplineRow>> {
  if (subjectIds.length === 0) return new Map();
  const rows = await rawQuery<DisciplineRow[]>(
    em,
    `select distinct on (d.subject_id) ${COLUMNS} from discipline d
     where d.subject_id = any(?::uuid[]) and d.from_date <= ?::date and (d.to_date is null or d.to_date >= ?::date)
     order by d.subject_id, d.from_date desc`,
    [uuidArray(subjectIds), day, day],
  );
  return new Map(rows.map((r) => [r.subjectId, rowOf(r)]));
}

/** The subject's unit, from the replicas; BAD_USER_INPUT when awards does not know the subject. */
async function subjectUnit(em: EntityManager, scope: ReplicaScope, kind: NomineeKind, id: string): Promise<string> {
  if (kind === 'ADMIN_UNIT') {
    if ((await scope.unitKinds([id], todayInVietnam())).has(id)) return id;
  } else {
    const p = (await findParticipants(em, [id])).get(id);
    if (p && p.kind === kind) return p.unitId;
  }
  throw badInput(`Không tìm thấy ${NOMINEE_KIND_NAMES[kind].toLowerCase()} có mã ${id}`, 'SUBJECT_NOT_FOUND', field('subjectId'));
}

const reload = async (em: EntityManager, id: string) =>
  rowOf((await rawQuery<DisciplineRow[]>(em, `select ${COLUMNS} from discipline d where d.id = ?`, [id]))[0]!);

/** Records a disciplinary measure. Emulation officers covering the subject's unit, administrators. */
export async function recordDiscipline(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: RecordDisciplineInput,
): Promise<{ result: DisciplineRow; events: CloudEvent[] }> {
  if (input.toDate && input.toDate < input.fromDate) {
    throw badInput(
      `Ngày kết thúc (${input.toDate}) phải từ ngày bắt đầu (${input.fromDate}) trở đi`,
      'DATES_OUT_OF_ORDER',
      field('toDate'),
    );
  }
  const unitId = await subjectUnit(em, scope, input.subjectKind, input.subjectId);
  await scope.requireCovers(auth, DISCIPLINE_ROLES, [unitId]);
  const id = randomUUID();
  await rawQuery(
    em,
    `insert into discipline (id, subject_kind, subject_id, unit_id, from_date, to_date, decision_ref, reason, recorded_at, recorded_by)
     values (?, ?, ?, ?, ?::date, ?::date, ?, ?, now(), ?)`,
    [id, input.subjectKind, input.subjectId, unitId, input.fromDate, input.toDate ?? null, input.decisionRef, input.reason, auth.subject],
  );
  return { result: await reload(em, id), events: [] };
}

/** Ends a measure on `toDate` (the last day it bars), not before it began nor after an end already set. */
export async function endDiscipline(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: EndDisciplineInput,
): Promise<{ result: DisciplineRow; events: CloudEvent[] }> {
  const [d] = await rawQuery<DisciplineRow[]>(em, `select ${COLUMNS} from discipline d where d.id = ? for update`, [input.id]);
  if (!d) throw notFound('Không tìm thấy quyết định kỷ luật', 'DISCIPLINE_NOT_FOUND', field('id'));
  await scope.requireCovers(auth, DISCIPLINE_ROLES, [d.unitId]);
  if (input.toDate < d.fromDate) {
    throw badInput(`Ngày kết thúc (${input.toDate}) phải từ ngày bắt đầu (${d.fromDate}) trở đi`, 'DATES_OUT_OF_ORDER', field('toDate'));
  }
  if (d.toDate !== null && d.toDate <= input.toDate) {
    throw conflict(`Kỷ luật đã kết thúc ngày ${d.toDate}`, 'DISCIPLINE_ALREADY_ENDED', field('toDate'));
  }
  await rawQuery(em, 'update discipline set to_date = ?::date, ended_at = now(), ended_by = ? where id = ?', [
    input.toDate,
    auth.subject,
    d.id,
  ]);
  return { result: await reload(em, d.id), events: [] };
}

/** Each subject's discipline records, newest first; one statement per batch. */
export const disciplinesOfSubjectsLoader = (em: EntityManager) =>
  new DataLoader<string, DisciplineRow[]>(async (ids) => {
    const rows = (
      await rawQuery<DisciplineRow[]>(
        em,
        `select ${COLUMNS} from discipline d where d.subject_id = any(?::uuid[]) order by d.from_date desc, d.id`,
        [uuidArray(ids)],
      )
    ).map(rowOf);
    return ids.map((id) => rows.filter((r) => r.subjectId === id));
  });
