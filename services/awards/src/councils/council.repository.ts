import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, uuidArray } from '@xhht/infra';
import type { Outcome, ThresholdBase, ThresholdComparator, Tally, VoteChoice } from './council-rules';

export type SessionStatus = 'PLANNED' | 'OPEN' | 'CLOSED' | 'CANCELLED';
export type ItemStatus = 'OPEN' | 'CLOSED' | 'REMOVED';
export type AgendaSubjectKind = 'NOMINATION' | 'INITIATIVE';

export const SESSION_STATUS_NAMES: Record<SessionStatus, string> = {
  PLANNED: 'Dự kiến',
  OPEN: 'Đang họp',
  CLOSED: 'Đã kết thúc',
  CANCELLED: 'Đã hủy',
};
export const ITEM_STATUS_NAMES: Record<ItemStatus, string> = {
  OPEN: 'Đang biểu quyết',
  CLOSED: 'Đã kết thúc biểu quyết',
  REMOVED: 'Đã rút khỏi chương trình',
};
export const SUBJECT_KIND_NAMES: Record<AgendaSubjectKind, string> = {
  NOMINATION: 'Hồ sơ đề nghị khen thưởng',
  INITIATIVE: 'Sáng kiến, mô hình hay',
};

export interface CouncilRow {
  id: string;
  unitId: string;
  name: string;
  quorumNumerator: number;
  quorumDenominator: number;
  thresholdBase: ThresholdBase;
  thresholdComparator: ThresholdComparator;
  thresholdPercent: number;
  secretBallot: boolean;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

export interface MemberRow {
  id: string;
  councilId: string;
  subject: string;
  displayName: string;
  personId: string | null;
  isChair: boolean;
  validFrom: string;
  validTo: string | null;
}

export interface SessionRow {
  id: string;
  councilId: string;
  unitId: string;
  sessionDate: string;
  place: string;
  status: SessionStatus;
  openedAt: Date | null;
  closedAt: Date | null;
  minutes: string | null;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  cancelReason: string | null;
  createdAt: Date;
  createdBy: string;
}

export interface ItemRow {
  id: string;
  sessionId: string;
  councilId: string;
  unitId: string;
  position: number;
  subjectKind: AgendaSubjectKind;
  nominationId: string | null;
  initiativeId: string | null;
  title: string;
  secretBallot: boolean;
  status: ItemStatus;
  outcome: Outcome | null;
  tally: Tally | null;
  closedAt: Date | null;
  removedAt: Date | null;
  removedBy: string | null;
  removalReason: string | null;
}

export interface ConflictRow {
  itemId: string;
  memberId: string;
  reason: string;
  declaredAt: Date;
  declaredBy: string;
}

export interface OpenVoteRow {
  itemId: string;
  memberId: string;
  choice: VoteChoice;
}

const COUNCIL_COLUMNS = `c.id, c.unit_id as "unitId", c.name, c.quorum_numerator as "quorumNumerator",
  c.quorum_denominator as "quorumDenominator", c.threshold_base as "thresholdBase", c.threshold_comparator as "thresholdComparator",
  c.threshold_percent::float8 as "thresholdPercent", c.secret_ballot as "secretBallot", c.created_at as "createdAt",
  c.created_by as "createdBy", c.updated_at as "updatedAt", c.updated_by as "updatedBy"`;
const MEMBER_COLUMNS = `m.id, m.council_id as "councilId", m.subject, m.display_name as "displayName", m.person_id as "personId",
  m.is_chair as "isChair", to_char(m.valid_from, 'YYYY-MM-DD') as "validFrom", to_char(m.valid_to, 'YYYY-MM-DD') as "validTo"`;
const SESSION_COLUMNS = `s.id, s.council_id as "councilId", c.unit_id as "unitId", to_char(s.session_date, 'YYYY-MM-DD') as "sessionDate",
  s.place, s.status, s.opened_at as "openedAt", s.closed_at as "closedAt", s.minutes, s.cancelled_at as "cancelledAt",
  s.cancelled_by as "cancelledBy", s.cancel_reason as "cancelReason", s.created_at as "createdAt", s.created_by as "createdBy"`;
const ITEM_COLUMNS = `i.id, i.session_id as "sessionId", s.council_id as "councilId", c.unit_id as "unitId", i.position,
  i.subject_kind as "subjectKind", i.nomination_id as "nominationId", i.initiative_id as "initiativeId", i.title,
  i.secret_ballot as "secretBallot", i.status, i.outcome, i.tally, i.closed_at as "closedAt", i.removed_at as "removedAt",
  i.removed_by as "removedBy", i.removal_reason as "removalReason"`;
const ITEM_FROM = 'council_agenda_item i join council_session s on s.id = i.session_id join council c on c.id = s.council_id';

// timestamps come back as strings through raw queries
const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));
const orNull = (v: Date | string | null): Date | null => (v === null ? null : toDate(v));
const councilOf = (r: CouncilRow): CouncilRow => ({ ...r, createdAt: toDate(r.createdAt), updatedAt: toDate(r.updatedAt) });
const sessionOf = (r: SessionRow): SessionRow => ({
  ...r,
  openedAt: orNull(r.openedAt),
  closedAt: orNull(r.closedAt),
  cancelledAt: orNull(r.cancelledAt),
  createdAt: toDate(r.createdAt),
});
const itemOf = (r: ItemRow): ItemRow => ({ ...r, closedAt: orNull(r.closedAt), removedAt: orNull(r.removedAt) });
const conflictOf = (r: ConflictRow): ConflictRow => ({ ...r, declaredAt: toDate(r.declaredAt) });

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
const lockClause = (lock: boolean, of: string) => (lock ? ` for update of ${of}` : '');

export async function loadCouncils(em: EntityManager, ids: readonly string[], lock = false): Promise<Map<string, CouncilRow>> {
  if (ids.length === 0) return new Map();
  const rows = await rawQuery<CouncilRow[]>(
    em,
    `select ${COUNCIL_COLUMNS} from council c where c.id = any(?::uuid[])${lockClause(lock, 'c')}`,
    [uuidArray(ids)],
  );
  return byId(rows.map(councilOf));
}

export async function loadMembers(em: EntityManager, ids: readonly string[]): Promise<Map<string, MemberRow>> {
  if (ids.length === 0) return new Map();
  return byId(
    await rawQuery<MemberRow[]>(em, `select ${MEMBER_COLUMNS} from council_member m where m.id = any(?::uuid[])`, [uuidArray(ids)]),
  );
}

/** Every membership of the councils, history included, in the order they were added. */
export async function membersOfCouncils(em: EntityManager, councilIds: readonly string[]): Promise<MemberRow[]> {
  if (councilIds.length === 0) return [];
  return rawQuery<MemberRow[]>(
    em,
    `select ${MEMBER_COLUMNS} from council_member m where m.council_id = any(?::uuid[]) order by m.is_chair desc, m.valid_from, m.display_name, m.id`,
    [uuidArray(councilIds)],
  );
}

/** Membership in force on `day` (from and to inclusive). */
export const memberOn = (m: MemberRow, day: string) => m.validFrom <= day && (m.validTo === null || m.validTo >= day);

export async function loadSessions(em: EntityManager, ids: readonly string[], lock = false): Promise<Map<string, SessionRow>> {
  if (ids.length === 0) return new Map();
  const rows = await rawQuery<SessionRow[]>(
    em,
    `select ${SESSION_COLUMNS} from council_session s join council c on c.id = s.council_id where s.id = any(?::uuid[])${lockClause(lock, 's')}`,
    [uuidArray(ids)],
  );
  return byId(rows.map(sessionOf));
}

export async function loadItems(em: EntityManager, ids: readonly string[], lock = false): Promise<Map<string, ItemRow>> {
  if (ids.length === 0) return new Map();
  const rows = await rawQuery<ItemRow[]>(
    em,
    `select ${ITEM_COLUMNS} from ${ITEM_FROM} where i.id = any(?::uuid[])${lockClause(lock, 'i')}`,
    [uuidArray(ids)],
  );
  return byId(rows.map(itemOf));
}

export async function itemsOfSessions(em: EntityManager, sessionIds: readonly string[]): Promise<ItemRow[]> {
  if (sessionIds.length === 0) return [];
  const rows = await rawQuery<ItemRow[]>(
    em,
    `select ${ITEM_COLUMNS} from ${ITEM_FROM} where i.session_id = any(?::uuid[]) order by i.position`,
    [uuidArray(sessionIds)],
  );
  return rows.map(itemOf);
}

export async function attendanceOfSessions(
  em: EntityManager,
  sessionIds: readonly string[],
): Promise<{ sessionId: string; memberId: string }[]> {
  if (sessionIds.length === 0) return [];
  return rawQuery(
    em,
    `select a.session_id as "sessionId", a.member_id as "memberId" from council_attendance a
     join council_member m on m.id = a.member_id
     where a.session_id = any(?::uuid[]) order by m.is_chair desc, m.display_name, m.id`,
    [uuidArray(sessionIds)],
  );
}

export async function conflictsOfItems(em: EntityManager, itemIds: readonly string[]): Promise<ConflictRow[]> {
  if (itemIds.length === 0) return [];
  const rows = await rawQuery<ConflictRow[]>(
    em,
    `select item_id as "itemId", member_id as "memberId", reason, declared_at as "declaredAt", declared_by as "declaredBy"
     from council_conflict where item_id = any(?::uuid[]) order by declared_at`,
    [uuidArray(itemIds)],
  );
  return rows.map(conflictOf);
}

/** Per-member votes of open (not secret) items only; secret ballots have no voter to return. */
export async function openVotesOfItems(em: EntityManager, itemIds: readonly string[]): Promise<OpenVoteRow[]> {
  if (itemIds.length === 0) return [];
  return rawQuery<OpenVoteRow[]>(
    em,
    `select v.item_id as "itemId", v.member_id as "memberId", v.choice from council_open_vote v
     join council_member m on m.id = v.member_id
     where v.item_id = any(?::uuid[]) order by m.is_chair desc, m.display_name, m.id`,
    [uuidArray(itemIds)],
  );
}

const grouped = <T, K extends keyof T>(rows: T[], key: K, keys: readonly string[]): T[][] => {
  const out = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const r of rows) out.get(r[key] as unknown as string)?.push(r);
  return keys.map((k) => out.get(k) ?? []);
};

export const councilByIdLoader = (em: EntityManager) =>
  new DataLoader<string, CouncilRow | null>(async (ids) => {
    const m = await loadCouncils(em, ids);
    return ids.map((id) => m.get(id) ?? null);
  });

export const councilByUnitLoader = (em: EntityManager) =>
  new DataLoader<string, CouncilRow | null>(async (unitIds) => {
    const rows = await rawQuery<CouncilRow[]>(em, `select ${COUNCIL_COLUMNS} from council c where c.unit_id = any(?::uuid[])`, [
      uuidArray(unitIds),
    ]);
    const m = new Map(rows.map((r) => [r.unitId, councilOf(r)]));
    return unitIds.map((id) => m.get(id) ?? null);
  });

export const memberByIdLoader = (em: EntityManager) =>
  new DataLoader<string, MemberRow | null>(async (ids) => {
    const m = await loadMembers(em, ids);
    return ids.map((id) => m.get(id) ?? null);
  });

export const membersByCouncilLoader = (em: EntityManager) =>
  new DataLoader<string, MemberRow[]>(async (ids) => grouped(await membersOfCouncils(em, ids), 'councilId', ids));

export const sessionByIdLoader = (em: EntityManager) =>
  new DataLoader<string, SessionRow | null>(async (ids) => {
    const m = await loadSessions(em, ids);
    return ids.map((id) => m.get(id) ?? null);
  });

export const sessionsByCouncilLoader = (em: EntityManager) =>
  new DataLoader<string, SessionRow[]>(async (ids) => {
    const rows = await rawQuery<SessionRow[]>(
      em,
      `select ${SESSION_COLUMNS} from council_session s join council c on c.id = s.council_id
       where s.council_id = any(?::uuid[]) order by s.session_date desc, s.created_at desc`,
      [uuidArray(ids)],
    );
    return grouped(rows.map(sessionOf), 'councilId', ids);
  });

export const itemByIdLoader = (em: EntityManager) =>
  new DataLoader<string, ItemRow | null>(async (ids) => {
    const m = await loadItems(em, ids);
    return ids.map((id) => m.get(id) ?? null);
  });

export const itemsBySessionLoader = (em: EntityManager) =>
  new DataLoader<string, ItemRow[]>(async (ids) => grouped(await itemsOfSessions(em, ids), 'sessionId', ids));

export const attendanceBySessionLoader = (em: EntityManager) =>
  new DataLoader<string, string[]>(async (ids) =>
    grouped(await attendanceOfSessions(em, ids), 'sessionId', ids).map((rows) => rows.map((r) => r.memberId)),
  );

export const conflictsByItemLoader = (em: EntityManager) =>
  new DataLoader<string, ConflictRow[]>(async (ids) => grouped(await conflictsOfItems(em, ids), 'itemId', ids));

export const openVotesByItemLoader = (em: EntityManager) =>
  new DataLoader<string, OpenVoteRow[]>(async (ids) => grouped(await openVotesOfItems(em, ids), 'itemId', ids));
