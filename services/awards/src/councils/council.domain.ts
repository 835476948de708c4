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
  textInput as text,
} from '@xhht/infra';
import { applyCouncilVote, requireNominationForCouncil } from '../nominations/nomination.domain';
import {
  decide,
  describeThreshold,
  OUTCOME_NAMES,
  passThresholdInput,
  quorumInput,
  VOTE_CHOICES,
  type CouncilRules,
  type Outcome,
  type Tally,
  type VoteChoice,
} from './council-rules';
import { nominationVotedEvent } from './council.events';
import { buildMinutes, vnDate } from './council-minutes';
import {
  conflictsOfItems,
  itemsOfSessions,
  loadCouncils,
  loadItems,
  loadMembers,
  loadSessions,
  memberOn,
  membersOfCouncils,
  openVotesOfItems,
  attendanceOfSessions,
  type CouncilRow,
  type ItemRow,
  type MemberRow,
  type SessionRow,
} from './council.repository';

/** Who manages a council, its members, sessions and agenda: emulation officers covering its unit (and administrators). */
export const COUNCIL_MANAGER_ROLES: readonly Role[] = ['EMULATION_OFFICER'];
/** Who reads a council, its sessions, tallies and the votes of open items: its managers and council members in scope. */
export const COUNCIL_READER_ROLES: readonly Role[] = ['EMULATION_OFFICER', 'COUNCIL_MEMBER'];
const VOTER_ROLES: readonly Role[] = ['COUNCIL_MEMBER'];
/** Forms of this rank and above (Bằng khen and higher) are put to a secret ballot unless the item says otherwise. */
export const SECRET_BALLOT_FROM_RANK = 40;

const field = (...names: (string | number)[]) => ['input', ...names.map(String)];

export const createCouncilInput = z.object({
  unitId: uuid('đơn vị'),
  name: text('tên hội đồng', 300),
  quorum: quorumInput,
  passThreshold: passThresholdInput,
  secretBallot: z.boolean(),
});
export type CreateCouncilInput = z.infer<typeof createCouncilInput>;

export const setRulesInput = z.object({
  councilId: uuid('hội đồng'),
  quorum: quorumInput.nullish(),
  passThreshold: passThresholdInput.nullish(),
  secretBallot: z.boolean().nullish(),
});
export type SetRulesInput = z.infer<typeof setRulesInput>;

export const addMemberInput = z.object({
  councilId: uuid('hội đồng'),
  subject: text('tài khoản của thành viên', 200),
  displayName: text('họ và tên thành viên', 200),
  personId: uuid('người').nullish(),
  chair: z.boolean().nullish(),
  from: isoDateInput.nullish(),
});
export type AddMemberInput = z.infer<typeof addMemberInput>;

export const endMembershipInput = z.object({ memberId: uuid('thành viên'), to: isoDateInput });
export type EndMembershipInput = z.infer<typeof endMembershipInput>;

export const planSessionInput = z.object({ councilId: uuid('hội đồng'), date: isoDateInput, place: text('địa điểm họp', 300) });
export type PlanSessionInput = z.infer<typeof planSessionInput>;

export const addAgendaItemInput = z.object({
  sessionId: uuid('phiên họp'),
  subjectKind: z.enum(['NOMINATION', 'INITIATIVE']),
  subjectId: uuid('hồ sơ, sáng kiến được xét'),
  title: text('nội dung xét', 500),
  secretBallot: z.boolean().nullish(),
});
export type AddAgendaItemInput = z.infer<typeof addAgendaItemInput>;

export const openSessionInput = z.object({
  sessionId: uuid('phiên họp'),
  presentMemberIds: z.array(uuid('thành viên')).max(500, 'tối đa 500 thành viên'),
});
export type OpenSessionInput = z.infer<typeof openSessionInput>;

export const conflictInput = z.object({ itemId: uuid('nội dung xét'), memberId: uuid('thành viên'), reason: text('lý do', 2000) });
export type ConflictInput = z.infer<typeof conflictInput>;

export const castVoteInput = z.object({ itemId: uuid('nội dung xét'), choice: z.enum(VOTE_CHOICES) });
export type CastVoteInput = z.infer<typeof castVoteInput>;

export const closeItemInput = z.object({ itemId: uuid('nội dung xét') });
export const removeItemInput = z.object({ itemId: uuid('nội dung xét'), reason: text('lý do', 2000) });
export type RemoveItemInput = z.infer<typeof removeItemInput>;
export const cancelSessionInput = z.object({ sessionId: uuid('phiên họp'), reason: text('lý do', 2000) });
export type CancelSessionInput = z.infer<typeof cancelSessionInput>;
export const closeSessionInput = z.object({ sessionId: uuid('phiên họp') });

export const rulesOf = (c: CouncilRow): CouncilRules => ({
  quorum: { numerator: c.quorumNumerator, denominator: c.quorumDenominator },
  passThreshold: { base: c.thresholdBase, comparator: c.thresholdComparator, percent: c.thresholdPercent },
  secretBallot: c.secretBallot,
});

export const requireManager = (auth: AuthContext, scope: ReplicaScope, unitId: string) =>
  scope.requireCovers(auth, COUNCIL_MANAGER_ROLES, [unitId]);
export const requireReader = (auth: AuthContext, scope: ReplicaScope, unitId: string) =>
  scope.requireCovers(auth, COUNCIL_READER_ROLES, [unitId]);

/** SQLSTATE 23505: a concurrent write took the same key after our own check; the same refusal as the check's. */
async function refusingDuplicates<T>(write: Promise<T>, refusal: () => Error): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw refusal();
    throw err;
  }
}

async function councilOf(em: EntityManager, id: string, name: string, lock = false): Promise<CouncilRow> {
  const c = (await loadCouncils(em, [id], lock)).get(id);
  if (!c) throw notFound('Không tìm thấy hội đồng', 'COUNCIL_NOT_FOUND', field(name));
  return c;
}
async function sessionOf(em: EntityManager, id: string, name: string, lock = false): Promise<SessionRow> {
  const s = (await loadSessions(em, [id], lock)).get(id);
  if (!s) throw notFound('Không tìm thấy phiên họp', 'SESSION_NOT_FOUND', field(name));
  return s;
}
async function itemOf(em: EntityManager, id: string, lock = false): Promise<ItemRow> {
  const i = (await loadItems(em, [id], lock)).get(id);
  if (!i) throw notFound('Không tìm thấy nội dung xét trong chương trình họp', 'AGENDA_ITEM_NOT_FOUND', field('itemId'));
  return i;
}
const reloadCouncil = async (em: EntityManager, id: string) => (await loadCouncils(em, [id])).get(id)!;
const reloadSession = async (em: EntityManager, id: string) => (await loadSessions(em, [id])).get(id)!;
const reloadItem = async (em: EntityManager, id: string) => (await loadItems(em, [id])).get(id)!;
const itemRemoved = () => conflict('Nội dung này đã được rút khỏi chương trình họp', 'ITEM_REMOVED', field('itemId'));
const sessionCancelled = (name: string) => conflict('Phiên họp đã bị hủy', 'SESSION_CANCELLED', field(name));

export async function createCouncil(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: CreateCouncilInput,
): Promise<{ result: CouncilRow; events: CloudEvent[] }> {
  await requireManager(auth, scope, input.unitId);
  if (!(await scope.unitKinds([input.unitId], todayInVietnam())).has(input.unitId)) {
    throw badInput('Không có đơn vị này (hoặc đơn vị không còn hiệu lực)', 'UNIT_NOT_FOUND', field('unitId'));
  }
  const exists = () => conflict('Đơn vị này đã có Hội đồng Thi đua – Khen thưởng', 'COUNCIL_EXISTS', field('unitId'));
  const [found] = await rawQuery<{ id: string }[]>(em, 'select id from council where unit_id = ?', [input.unitId]);
  if (found) throw exists();
  const id = randomUUID();
  const now = new Date();
  await refusingDuplicates(
    rawQuery(
      em,
      `insert into council (id, unit_id, name, quorum_numerator, quorum_denominator, threshold_base, threshold_comparator,
         threshold_percent, secret_ballot, created_at, created_by, updated_at, updated_by)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        input.unitId,
        input.name,
        input.quorum.numerator,
        input.quorum.denominator,
        input.passThreshold.base,
        input.passThreshold.comparator,
        input.passThreshold.percent,
        input.secretBallot,
        now,
        auth.subject,
        now,
        auth.subject,
      ],
    ),
    exists,
  );
  return { result: await reloadCouncil(em, id), events: [] };
}

/** New rules apply to items closed from now on; closed items keep the rules they were decided by. */
export async function setCouncilRules(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: SetRulesInput,
): Promise<{ result: CouncilRow; events: CloudEvent[] }> {
  const c = await councilOf(em, input.councilId, 'councilId', true);
  await requireManager(auth, scope, c.unitId);
  const r = rulesOf(c);
  const q = input.quorum ?? r.quorum;
  const t = input.passThreshold ?? r.passThreshold;
  await rawQuery(
    em,
    `update council set quorum_numerator = ?, quorum_denominator = ?, threshold_base = ?, threshold_comparator = ?,
       threshold_percent = ?, secret_ballot = ?, updated_at = now(), updated_by = ? where id = ?`,
    [q.numerator, q.denominator, t.base, t.comparator, t.percent, input.secretBallot ?? r.secretBallot, auth.subject, c.id],
  );
  return { result: await reloadCouncil(em, c.id), events: [] };
}

export async function addCouncilMember(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: AddMemberInput,
): Promise<{ result: MemberRow; events: CloudEvent[] }> {
  // the council row is locked: two additions of one account, or of two chairs, wait for each other
  const c = await councilOf(em, input.councilId, 'councilId', true);
  await requireManager(auth, scope, c.unitId);
  if (input.personId) {
    const [p] = await rawQuery<{ id: string }[]>(em, `select id from participant_replica where id = ? and kind = 'PERSON'`, [
      input.personId,
    ]);
    if (!p) throw notFound('Không tìm thấy người này', 'PERSON_NOT_FOUND', field('personId'));
  }
  const from = input.from ?? todayInVietnam();
  const members = (await membersOfCouncils(em, [c.id])).filter((m) => m.validTo === null || m.validTo >= from);
  if (members.some((m) => m.subject === input.subject)) {
    throw conflict('Tài khoản này đã là thành viên của hội đồng', 'ALREADY_MEMBER', field('subject'));
  }
  if (input.chair && members.some((m) => m.isChair)) {
    throw conflict('Hội đồng đã có Chủ tịch; kết thúc nhiệm kỳ của Chủ tịch cũ trước', 'COUNCIL_HAS_CHAIR', field('chair'));
  }
  const id = randomUUID();
  await refusingDuplicates(
    rawQuery(
      em,
      `insert into council_member (id, council_id, subject, display_name, person_id, is_chair, valid_from, valid_to, created_at, created_by)
       values (?, ?, ?, ?, ?, ?, ?::date, null, now(), ?)`,
      [id, c.id, input.subject, input.displayName, input.personId ?? null, input.chair ?? false, from, auth.subject],
    ),
    () => conflict('Tài khoản này đã là thành viên của hội đồng', 'ALREADY_MEMBER', field('subject')),
  );
  return { result: (await loadMembers(em, [id])).get(id)!, events: [] };
}

export async function endCouncilMembership(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: EndMembershipInput,
): Promise<{ result: MemberRow; events: CloudEvent[] }> {
  const m = (await loadMembers(em, [input.memberId])).get(input.memberId);
  if (!m) throw notFound('Không tìm thấy thành viên hội đồng', 'MEMBER_NOT_FOUND', field('memberId'));
  const c = await councilOf(em, m.councilId, 'memberId', true);
  await requireManager(auth, scope, c.unitId);
  if (m.validTo !== null) throw conflict('Thành viên này đã kết thúc nhiệm kỳ', 'MEMBERSHIP_ENDED', field('memberId'));
  if (input.to < m.validFrom) {
    throw badInput(`Ngày kết thúc không được trước ngày bắt đầu (${m.validFrom})`, 'END_BEFORE_START', field('to'));
  }
  await rawQuery(em, 'update council_member set valid_to = ?::date where id = ?', [input.to, m.id]);
  return { result: (await loadMembers(em, [m.id])).get(m.id)!, events: [] };
}

export async function planCouncilSession(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: PlanSessionInput,
): Promise<{ result: SessionRow; events: CloudEvent[] }> {
  const c = await councilOf(em, input.councilId, 'councilId');
  await requireManager(auth, scope, c.unitId);
  const id = randomUUID();
  await rawQuery(
    em,
    `insert into council_session (id, council_id, session_date, place, status, created_at, created_by) values (?, ?, ?::date, ?, 'PLANNED', now(), ?)`,
    [id, c.id, input.date, input.place, auth.subject],
  );
  return { result: await reloadSession(em, id), events: [] };
}

export async function addAgendaItem(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: AddAgendaItemInput,
): Promise<{ result: ItemRow; events: CloudEvent[] }> {
  // locked: positions are numbered one after another
  const s = await sessionOf(em, input.sessionId, 'sessionId', true);
  await requireManager(auth, scope, s.unitId);
  if (s.status === 'CLOSED') throw conflict('Phiên họp đã kết thúc', 'SESSION_CLOSED', field('sessionId'));
  if (s.status === 'CANCELLED') throw sessionCancelled('sessionId');
  const c = await councilOf(em, s.councilId, 'sessionId');
  let secretByForm = false;
  if (input.subjectKind === 'INITIATIVE') {
    const [i] = await rawQuery<{ id: string }[]>(em, 'select id from initiative where id = ?', [input.subjectId]);
    if (!i) throw notFound('Không tìm thấy sáng kiến, mô hình hay này', 'INITIATIVE_NOT_FOUND', field('subjectId'));
  } else {
    // locks the nomination: the officer's approval and another session's agenda wait for this item
    const { formRank } = await requireNominationForCouncil(em, input.subjectId, c.unitId, field('subjectId'));
    secretByForm = formRank >= SECRET_BALLOT_FROM_RANK;
  }
  const [{ next }] = (await rawQuery<{ next: number }[]>(
    em,
    'select coalesce(max(position), 0) + 1 as next from council_agenda_item where session_id = ?',
    [s.id],
  )) as [{ next: number }];
  const id = randomUUID();
  const onAgenda = () => conflict('Hồ sơ đã có trong chương trình một phiên họp khác', 'NOMINATION_ALREADY_ON_AGENDA', field('subjectId'));
  await refusingDuplicates(
    rawQuery(
      em,
      `insert into council_agenda_item (id, session_id, position, subject_kind, nomination_id, initiative_id, title, secret_ballot, status,
       created_at, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', now(), ?)`,
      [
        id,
        s.id,
        next,
        input.subjectKind,
        input.subjectKind === 'NOMINATION' ? input.subjectId : null,
        input.subjectKind === 'INITIATIVE' ? input.subjectId : null,
        input.title,
        input.secretBallot ?? (c.secretBallot || secretByForm),
        auth.subject,
      ],
    ),
    onAgenda,
  );
  return { result: await reloadItem(em, id), events: [] };
}

/** Opens a planned session with the members present; only members in force on the session's day may be recorded. */
export async function openCouncilSession(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: OpenSessionInput,
): Promise<{ result: SessionRow; events: CloudEvent[] }> {
  const s = await sessionOf(em, input.sessionId, 'sessionId', true);
  await requireManager(auth, scope, s.unitId);
  if (s.status === 'CANCELLED') throw sessionCancelled('sessionId');
  if (s.status !== 'PLANNED') throw conflict('Phiên họp đã được khai mạc', 'SESSION_NOT_PLANNED', field('sessionId'));
  const members = new Map((await membersOfCouncils(em, [s.councilId])).filter((m) => memberOn(m, s.sessionDate)).map((m) => [m.id, m]));
  const present = [...new Set(input.presentMemberIds)];
  present.forEach((id, n) => {
    if (!members.has(id)) {
      throw badInput('Người này không phải thành viên hội đồng vào ngày họp', 'NOT_A_MEMBER', field('presentMemberIds', n));
    }
  });
  if (present.length > 0) {
    await rawQuery(em, 'insert into council_attendance (session_id, member_id) select ?, unnest(?::uuid[])', [s.id, uuidArray(present)]);
  }
  await rawQuery(em, `update council_session set status = 'OPEN', opened_at = now(), opened_by = ? where id = ?`, [auth.subject, s.id]);
  return { result: await reloadSession(em, s.id), events: [] };
}

/** The caller's membership in force on the day, by the token's subject, with a COUNCIL_MEMBER role covering the unit. */
async function callerMembership(auth: AuthContext, scope: ReplicaScope, em: EntityManager, s: SessionRow): Promise<MemberRow> {
  await scope.requireCovers(auth, VOTER_ROLES, [s.unitId]);
  const m = (await membersOfCouncils(em, [s.councilId])).find((x) => x.subject === auth.subject && memberOn(x, s.sessionDate));
  if (!m) throw forbidden('Bạn không phải thành viên hội đồng này vào ngày họp', 'NOT_COUNCIL_MEMBER');
  return m;
}

const hasVoted = async (em: EntityManager, itemId: string, memberId: string) =>
  (await rawQuery<unknown[]>(em, 'select 1 from council_vote_cast where item_id = ? and member_id = ?', [itemId, memberId])).length > 0;

/**
 * A member declares (or a manager records) a conflict of interest on an item not yet closed. The
 * member then may not vote on it and leaves its base. Declared after voting on an open item, the
 * vote is left out of the tally; on a secret item the vote cannot be found any more, so it is refused.
 */
export async function declareConflictOfInterest(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: ConflictInput,
): Promise<{ result: ItemRow; events: CloudEvent[] }> {
  const i = await itemOf(em, input.itemId, true);
  const s = await sessionOf(em, i.sessionId, 'itemId');
  const m = (await loadMembers(em, [input.memberId])).get(input.memberId);
  if (!m || m.councilId !== i.councilId || !memberOn(m, s.sessionDate)) {
    throw badInput('Người này không phải thành viên hội đồng vào ngày họp', 'NOT_A_MEMBER', field('memberId'));
  }
  const self = m.subject === auth.subject && (await scope.covers(auth, VOTER_ROLES, [i.unitId]));
  if (!self) await requireManager(auth, scope, i.unitId);
  if (i.status === 'REMOVED') throw itemRemoved();
  if (i.status === 'CLOSED' || s.status === 'CLOSED') throw conflict('Nội dung này đã kết thúc biểu quyết', 'ITEM_CLOSED', field('itemId'));
  if (i.secretBallot && (await hasVoted(em, i.id, m.id))) {
    throw conflict(
      'Thành viên đã bỏ phiếu kín cho nội dung này; phiếu kín không tách ra được nên xung đột lợi ích phải khai trước khi bỏ phiếu',
      'ALREADY_VOTED_SECRET',
      field('memberId'),
    );
  }
  await refusingDuplicates(
    rawQuery(em, 'insert into council_conflict (item_id, member_id, reason, declared_at, declared_by) values (?, ?, ?, now(), ?)', [
      i.id,
      m.id,
      input.reason,
      auth.subject,
    ]),
    () => conflict('Xung đột lợi ích của thành viên này đã được ghi nhận', 'CONFLICT_ALREADY_DECLARED', field('memberId')),
  );
  return { result: i, events: [] };
}

/**
 * One vote per present member per item. The "has voted" row is written first (its primary key
 * refuses a second vote, even a concurrent one); a secret choice goes to a ballot without voter.
 */
export async function castVote(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: CastVoteInput,
): Promise<{ result: ItemRow; events: CloudEvent[] }> {
  const i = await itemOf(em, input.itemId);
  const s = await sessionOf(em, i.sessionId, 'itemId');
  const m = await callerMembership(auth, scope, em, s);
  // shared lock: votes go in side by side, closing the item (for update) waits for them
  await rawQuery(em, 'select 1 from council_agenda_item where id = ? for share', [i.id]);
  const now = (await loadItems(em, [i.id])).get(i.id)!;
  const session = await reloadSession(em, s.id);
  if (session.status !== 'OPEN') throw conflict('Phiên họp không trong thời gian họp', 'SESSION_NOT_OPEN', field('itemId'));
  if (now.status === 'REMOVED') throw itemRemoved();
  if (now.status !== 'OPEN') throw conflict('Nội dung này đã kết thúc biểu quyết', 'ITEM_CLOSED', field('itemId'));
  const [present] = await rawQuery<unknown[]>(em, 'select 1 from council_attendance where session_id = ? and member_id = ?', [s.id, m.id]);
  if (!present) throw conflict('Bạn không có mặt trong phiên họp nên không được biểu quyết', 'NOT_PRESENT', field('itemId'));
  const [conflicted] = await rawQuery<unknown[]>(em, 'select 1 from council_conflict where item_id = ? and member_id = ?', [i.id, m.id]);
  if (conflicted)
    throw conflict('Bạn đã khai xung đột lợi ích với nội dung này nên không được biểu quyết', 'CONFLICT_OF_INTEREST', field('itemId'));
  const already = () => conflict('Bạn đã biểu quyết nội dung này', 'ALREADY_VOTED', field('itemId'));
  if (await hasVoted(em, i.id, m.id)) throw already();
  // a concurrent second vote waits on this key and is refused here; its transaction writes nothing
  await refusingDuplicates(
    rawQuery(em, 'insert into council_vote_cast (item_id, member_id, cast_at) values (?, ?, now())', [i.id, m.id]),
    already,
  );
  if (now.secretBallot) {
    await rawQuery(em, 'insert into council_secret_ballot (id, item_id, choice) values (?, ?, ?)', [randomUUID(), i.id, input.choice]);
  } else {
    await rawQuery(em, 'insert into council_open_vote (item_id, member_id, choice) values (?, ?, ?)', [i.id, m.id, input.choice]);
  }
  return { result: now, events: [] };
}

/** Counts an item's votes under the council's rules: stored once closed, as it stands while open. */
async function count(em: EntityManager, i: ItemRow, s: SessionRow, c: CouncilRow): Promise<{ outcome: Outcome; tally: Tally }> {
  const members = (await membersOfCouncils(em, [c.id])).filter((m) => memberOn(m, s.sessionDate)).map((m) => m.id);
  const present = new Set((await attendanceOfSessions(em, [s.id])).map((a) => a.memberId));
  const conflicted = new Set((await conflictsOfItems(em, [i.id])).map((x) => x.memberId));
  const counts: Record<VoteChoice, number> = { APPROVE: 0, REJECT: 0, ABSTAIN: 0 };
  let excluded = 0;
  if (i.secretBallot) {
    const rows = await rawQuery<{ choice: VoteChoice; n: number }[]>(
      em,
      'select choice, count(*)::int as n from council_secret_ballot where item_id = ? group by choice',
      [i.id],
    );
    for (const r of rows) counts[r.choice] = r.n;
  } else {
    for (const v of await openVotesOfItems(em, [i.id])) {
      if (conflicted.has(v.memberId)) excluded += 1;
      else counts[v.choice] += 1;
    }
  }
  const memberSet = new Set(members);
  return decide(
    {
      members: members.length,
      present: [...present].filter((id) => memberSet.has(id)).length,
      conflicted: [...conflicted].filter((id) => memberSet.has(id)).length,
      conflictedPresent: [...conflicted].filter((id) => memberSet.has(id) && present.has(id)).length,
      approve: counts.APPROVE,
      reject: counts.REJECT,
      abstain: counts.ABSTAIN,
      excluded,
    },
    rulesOf(c),
  );
}

export interface AgendaOutcome {
  itemId: string;
  subjectKind: ItemRow['subjectKind'];
  nominationId: string | null;
  initiativeId: string | null;
  closed: boolean;
  outcome: Outcome;
  tally: Tally;
}

/**
 * The outcome of an agenda item with its tally: as decided when it closed, or as it would be now
 * while it is still open. For the nominations module (and anyone reacting to a council's vote).
 * Null for an unknown item and for one removed from the agenda (never put to the vote).
 */
export async function agendaOutcome(em: EntityManager, itemId: string): Promise<AgendaOutcome | null> {
  const i = (await loadItems(em, [itemId])).get(itemId);
  if (!i || i.status === 'REMOVED') return null;
  const base = { itemId: i.id, subjectKind: i.subjectKind, nominationId: i.nominationId, initiativeId: i.initiativeId };
  if (i.status === 'CLOSED') return { ...base, closed: true, outcome: i.outcome!, tally: i.tally! };
  const s = (await loadSessions(em, [i.sessionId])).get(i.sessionId)!;
  const c = (await loadCouncils(em, [i.councilId])).get(i.councilId)!;
  return { ...base, closed: false, ...(await count(em, i, s, c)) };
}

/** The transition's reason: the council, the session and the tally, as the minutes put them. */
const voteReason = (c: CouncilRow, s: SessionRow, outcome: Outcome, t: Tally) =>
  `${c.name}, phiên họp ngày ${vnDate(s.sessionDate)} tại ${s.place}: ${OUTCOME_NAMES[outcome].toLowerCase()} — ` +
  `đồng ý ${t.approve}, không đồng ý ${t.reject}, không biểu quyết ${t.abstain} trên ${t.base} thành viên ` +
  `(thông qua khi số phiếu đồng ý ${describeThreshold(t.rules.passThreshold)})`;

/**
 * Closes an open item: counts under the rules in force, stores tally and outcome; on a nomination,
 * moves it by the outcome (applyCouncilVote) and tells of the vote.
 */
async function closeItem(em: EntityManager, actor: string, i: ItemRow, s: SessionRow): Promise<{ item: ItemRow; events: CloudEvent[] }> {
  const c = (await loadCouncils(em, [i.councilId])).get(i.councilId)!;
  const { outcome, tally } = await count(em, i, s, c);
  await rawQuery(
    em,
    `update council_agenda_item set status = 'CLOSED', outcome = ?, tally = ?::jsonb, closed_at = now(), closed_by = ? where id = ?`,
    [outcome, JSON.stringify(tally), actor, i.id],
  );
  const item = await reloadItem(em, i.id);
  if (!item.nominationId) return { item, events: [] };
  // the vote moves the nomination in this transaction: both happen, or neither
  const moved = await applyCouncilVote(em, item.nominationId, outcome, actor, voteReason(c, s, outcome, tally));
  return { item, events: [nominationVotedEvent(item, s), ...moved.events] };
}

export async function closeAgendaItem(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: { itemId: string },
): Promise<{ result: ItemRow; events: CloudEvent[] }> {
  const i = await itemOf(em, input.itemId, true);
  await requireManager(auth, scope, i.unitId);
  const s = await sessionOf(em, i.sessionId, 'itemId');
  if (s.status !== 'OPEN') throw conflict('Phiên họp không trong thời gian họp', 'SESSION_NOT_OPEN', field('itemId'));
  if (i.status === 'REMOVED') throw itemRemoved();
  if (i.status !== 'OPEN') throw conflict('Nội dung này đã kết thúc biểu quyết', 'ITEM_CLOSED', field('itemId'));
  const { item, events } = await closeItem(em, auth.subject, i, s);
  return { result: item, events };
}

/** Closes the session: items still open are closed and counted, and the minutes are written and frozen. */
export async function closeCouncilSession(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: { sessionId: string },
): Promise<{ result: SessionRow; events: CloudEvent[] }> {
  const s = await sessionOf(em, input.sessionId, 'sessionId', true);
  await requireManager(auth, scope, s.unitId);
  if (s.status !== 'OPEN') throw conflict('Phiên họp không trong thời gian họp', 'SESSION_NOT_OPEN', field('sessionId'));
  const events: CloudEvent[] = [];
  const open = (await itemsOfSessions(em, [s.id])).filter((i) => i.status === 'OPEN').map((i) => i.id);
  for (const i of (await loadItems(em, open, true)).values()) {
    events.push(...(await closeItem(em, auth.subject, i, s)).events);
  }
  const c = (await loadCouncils(em, [s.councilId])).get(s.councilId)!;
  const members = await membersOfCouncils(em, [c.id]);
  const items = await itemsOfSessions(em, [s.id]);
  const itemIds = items.map((i) => i.id);
  const minutes = buildMinutes({
    council: c,
    session: s,
    members: new Map(members.map((m) => [m.id, m])),
    inForce: members.filter((m) => memberOn(m, s.sessionDate)).map((m) => m.id),
    present: (await attendanceOfSessions(em, [s.id])).map((a) => a.memberId),
    items,
    conflicts: await conflictsOfItems(em, itemIds),
    openVotes: await openVotesOfItems(em, itemIds),
  });
  await rawQuery(em, `update council_session set status = 'CLOSED', closed_at = now(), closed_by = ?, minutes = ? where id = ?`, [
    auth.subject,
    minutes,
    s.id,
  ]);
  return { result: await reloadSession(em, s.id), events };
}

/**
 * Takes an item off its session's agenda before anyone votes on it: while the session is PLANNED or
 * OPEN, the item open and no vote cast (CONFLICT VOTES_CAST after the first: the item must then be
 * closed and counted). The session's lock, then the item's, are taken in the order closing the
 * session takes them; a vote waits for the removal and then finds the item removed. The item stays
 * on record as REMOVED with who, when and why, outside every count and the minutes' votes; a
 * nomination on it is free for another agenda and for the officer's own steps again.
 */
export async function removeAgendaItem(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: RemoveItemInput,
): Promise<{ result: ItemRow; events: CloudEvent[] }> {
  const found = await itemOf(em, input.itemId);
  const s = await sessionOf(em, found.sessionId, 'itemId', true);
  const i = await itemOf(em, input.itemId, true);
  await requireManager(auth, scope, i.unitId);
  if (s.status === 'CLOSED') throw conflict('Phiên họp đã kết thúc', 'SESSION_CLOSED', field('itemId'));
  if (s.status === 'CANCELLED') throw sessionCancelled('itemId');
  if (i.status === 'REMOVED') throw itemRemoved();
  if (i.status !== 'OPEN') throw conflict('Nội dung này đã kết thúc biểu quyết', 'ITEM_CLOSED', field('itemId'));
  const [{ n }] = (await rawQuery<{ n: number }[]>(em, 'select count(*)::int as n from council_vote_cast where item_id = ?', [i.id])) as [
    { n: number },
  ];
  if (n > 0) {
    throw conflict(
      `Đã có ${n} thành viên biểu quyết nội dung này; không rút khỏi chương trình được, hãy kết thúc biểu quyết`,
      'VOTES_CAST',
      field('itemId'),
    );
  }
  await rawQuery(
    em,
    `update council_agenda_item set status = 'REMOVED', removed_at = now(), removed_by = ?, removal_reason = ? where id = ?`,
    [auth.subject, input.reason, i.id],
  );
  return { result: await reloadItem(em, i.id), events: [] };
}

/**
 * Cancels a PLANNED session (CONFLICT SESSION_NOT_PLANNED once opened: an open session is closed,
 * with its minutes). No vote can have been cast; its items are removed with the session's reason.
 */
export async function cancelCouncilSession(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: CancelSessionInput,
): Promise<{ result: SessionRow; events: CloudEvent[] }> {
  const s = await sessionOf(em, input.sessionId, 'sessionId', true);
  await requireManager(auth, scope, s.unitId);
  if (s.status === 'CANCELLED') throw sessionCancelled('sessionId');
  if (s.status !== 'PLANNED') {
    throw conflict('Phiên họp đã khai mạc; chỉ hủy được phiên họp chưa khai mạc', 'SESSION_NOT_PLANNED', field('sessionId'));
  }
  await rawQuery(
    em,
    `update council_agenda_item set status = 'REMOVED', removed_at = now(), removed_by = ?, removal_reason = ?
     where session_id = ? and status = 'OPEN'`,
    [auth.subject, `Phiên họp bị hủy: ${input.reason}`, s.id],
  );
  await rawQuery(
    em,
    `update council_session set status = 'CANCELLED', cancelled_at = now(), cancelled_by = ?, cancel_reason = ? where id = ?`,
    [auth.subject, input.reason, s.id],
  );
  return { result: await reloadSession(em, s.id), events: [] };
}
