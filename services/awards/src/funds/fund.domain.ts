import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  badInput,
  conflict,
  DomainError,
  forbidden,
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
} from '@xhht/infra';
import { movementRecordedEvent } from './fund.events';
import {
  loadFunds,
  loadMovements,
  loadProgrammes,
  type Direction,
  type FundRow,
  type MovementKind,
  type MovementRow,
  type ProgrammeRow,
} from './fund.repository';

/** Who keeps a fund's books: the Association's officers and the emulation officers whose scope covers its unit. */
export const FUND_KEEPER_ROLES: readonly Role[] = ['ASSOCIATION_OFFICER', 'EMULATION_OFFICER'];
/** Who reads a fund's movements (recipients' names aside): its keepers and the steering committee in scope. */
export const FUND_READER_ROLES: readonly Role[] = ['ASSOCIATION_OFFICER', 'EMULATION_OFFICER', 'STEERING_COMMITTEE'];
/** The unit kinds that define their own scholarship programmes. */
export const PROGRAMME_UNIT_KINDS = ['PROVINCE', 'COMMUNE'] as const;

/** 10,000 billion đồng: far above any fund, and sums of many such stay exact in a JavaScript number. */
export const MAX_AMOUNT = 10_000_000_000_000;

/** Refuses unless the caller may read the funds' balances and totals: readers in scope, partners, administrators. */
export async function requireFundTotalsReader(auth: AuthContext, scope: ReplicaScope, unitIds: readonly string[]): Promise<void> {
  if (auth.hasRole('PARTNER')) return;
  await scope.requireCovers(auth, FUND_READER_ROLES, unitIds);
}

/** Refuses unless the caller may read the fund's movements; partners read totals only. */
export async function requireMovementReader(auth: AuthContext, scope: ReplicaScope, unitId: string): Promise<void> {
  if (await scope.covers(auth, FUND_READER_ROLES, [unitId])) return;
  if (auth.hasRole('PARTNER')) {
    throw forbidden('Cơ quan đối tác chỉ xem được số dư và tổng thu, chi của quỹ, không xem từng khoản', 'OUTSIDE_SCOPE');
  }
  await scope.requireCovers(auth, FUND_READER_ROLES, [unitId]);
}

/** Recipients' names are personal data: only the fund's keepers in scope (and administrators) read them. */
export const readsRecipients = (auth: AuthContext, scope: ReplicaScope, unitId: string): Promise<boolean> =>
  scope.covers(auth, FUND_KEEPER_ROLES, [unitId]);

const amount = z
  .number({ message: 'số tiền phải là một số (đồng)' })
  .int('số tiền phải là số nguyên đồng')
  .positive('số tiền phải lớn hơn 0')
  .max(MAX_AMOUNT, `số tiền tối đa ${MAX_AMOUNT.toLocaleString('vi-VN')} đồng`);
const note = text('ghi chú', 2000).nullish();

export const openFundInput = z.object({
  unitId: uuid('đơn vị'),
  organizationId: uuid('cơ quan, tổ chức').nullish(),
  name: text('tên quỹ', 300),
  openedOn: isoDateInput.nullish(),
});
export type OpenFundInput = z.infer<typeof openFundInput>;

export const closeFundInput = z.object({ fundId: uuid('quỹ'), closedOn: isoDateInput.nullish() });
export type CloseFundInput = z.infer<typeof closeFundInput>;

export const donationInput = z
  .object({
    fundId: uuid('quỹ'),
    donorName: text('tên người, đơn vị ủng hộ', 300).nullish(),
    donorOrganizationId: uuid('cơ quan, tổ chức ủng hộ').nullish(),
    amount,
    receivedOn: isoDateInput.nullish(),
    receiptNumber: text('số biên lai', 100).nullish(),
    note,
  })
  .refine((d) => d.donorName || d.donorOrganizationId, {
    message: 'cần tên người, đơn vị ủng hộ hoặc mã cơ quan, tổ chức ủng hộ',
    path: ['donorName'],
  });
export type DonationInput = z.infer<typeof donationInput>;

const recipient = {
  recipientPersonId: uuid('người nhận').nullish(),
  recipientName: text('tên người nhận', 300).nullish(),
};
const hasRecipient = (d: { recipientPersonId?: string | null; recipientName?: string | null }) =>
  Boolean(d.recipientPersonId || d.recipientName);
const recipientMissing = { message: 'cần mã người nhận hoặc tên người nhận', path: ['recipientName'] };

export const scholarshipInput = z
  .object({
    fundId: uuid('quỹ'),
    ...recipient,
    programmeCode: text('mã chương trình học bổng', 60),
    amount,
    grantedOn: isoDateInput.nullish(),
    decisionReference: text('số quyết định', 100).nullish(),
    note,
  })
  .refine(hasRecipient, recipientMissing);
export type ScholarshipInput = z.infer<typeof scholarshipInput>;

export const awardPaymentInput = z
  .object({
    fundId: uuid('quỹ'),
    ...recipient,
    amount,
    awardDecisionId: uuid('quyết định khen thưởng'),
    paidOn: isoDateInput.nullish(),
    note,
  })
  .refine(hasRecipient, recipientMissing);
export type AwardPaymentInput = z.infer<typeof awardPaymentInput>;

export const reverseInput = z.object({
  movementId: uuid('khoản thu, chi'),
  reason: text('lý do điều chỉnh', 2000),
  reversedOn: isoDateInput.nullish(),
});
export type ReverseInput = z.infer<typeof reverseInput>;

export const programmeInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z][A-Z0-9_]{1,59}$/, 'mã chương trình gồm chữ in hoa, số và dấu gạch dưới (2 đến 60 ký tự)'),
  name: text('tên chương trình học bổng', 300),
  criteria: text('tiêu chí xét chọn', 5000).nullish(),
  unitId: uuid('đơn vị'),
});
export type ProgrammeInput = z.infer<typeof programmeInput>;

const field = (...names: string[]) => ['input', ...names];

/** SQLSTATE 23505: a concurrent write took the same key after our own check; the same refusal as the check's. */
async function refusingDuplicates<T>(write: Promise<T>, refusal: () => Error): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw refusal();
    throw err;
  }
}

/** The balance does not cover the withdrawal: CONFLICT with message key INSUFFICIENT_FUNDS and the figures. */
export const insufficientFunds = (balance: number, withdrawal: number) =>
  new DomainError(
    'CONFLICT',
    `Số dư quỹ không đủ: còn ${balance.toLocaleString('vi-VN')} đồng, cần chi ${withdrawal.toLocaleString('vi-VN')} đồng`,
    { messageKey: 'INSUFFICIENT_FUNDS', field: field('amount'), details: { balance, amount: withdrawal } },
  );

/** A day of a movement: default today; not in the future, not before the fund opened. */
function movementDay(day: string | null | undefined, fund: FundRow, name: string, earliest?: string): string {
  const today = todayInVietnam();
  const d = day ?? today;
  if (d > today) throw badInput('Ngày thu, chi không được sau hôm nay', 'DATE_IN_FUTURE', field(name));
  if (d < fund.openedOn)
    throw badInput(`Ngày thu, chi không được trước ngày lập quỹ (${fund.openedOn})`, 'BEFORE_FUND_OPENED', field(name));
  if (earliest && d < earliest) {
    throw badInput(
      `Ngày điều chỉnh không được trước ngày của khoản được điều chỉnh (${earliest})`,
      'BEFORE_REVERSED_MOVEMENT',
      field(name),
    );
  }
  return d;
}

/** The fund, locked for the caller's transaction: every movement of one fund waits for the one before it. */
async function lockFund(em: EntityManager, fundId: string, name = 'fundId'): Promise<FundRow> {
  const fund = (await loadFunds(em, [fundId], true)).get(fundId);
  if (!fund) throw notFound('Không tìm thấy quỹ khuyến học', 'FUND_NOT_FOUND', field(name));
  return fund;
}

async function requireKnownParticipant(em: EntityManager, id: string, kind: 'PERSON' | 'ORGANIZATION', name: string) {
  const rows = await rawQuery<{ unitId: string }[]>(em, `select unit_id as "unitId" from participant_replica where id = ? and kind = ?`, [
    id,
    kind,
  ]);
  if (!rows[0]) {
    throw notFound(
      kind === 'PERSON' ? 'Không tìm thấy người này' : 'Không tìm thấy cơ quan, tổ chức này',
      `${kind}_NOT_FOUND`,
      field(name),
    );
  }
  return rows[0];
}

interface NewMovement {
  kind: MovementKind;
  direction: Direction;
  amount: number;
  occurredOn: string;
  donorName?: string | null;
  donorOrganizationId?: string | null;
  receiptNumber?: string | null;
  recipientPersonId?: string | null;
  recipientName?: string | null;
  programmeCode?: string | null;
  decisionReference?: string | null;
  awardDecisionId?: string | null;
  reversesId?: string | null;
  reason?: string | null;
  note?: string | null;
}

export interface MovementResult {
  movement: MovementRow;
  fund: FundRow;
}

/**
 * Appends a movement to a fund locked by the caller's transaction, with the balance after it, and
 * moves the fund's balance and totals. An outflow the balance does not cover is refused before
 * anything is written; the table's check constraint refuses it again should this ever be wrong.
 */
async function appendMovement(
  em: EntityManager,
  actor: string,
  fund: FundRow,
  m: NewMovement,
): Promise<{ result: MovementResult; events: CloudEvent[] }> {
  if (fund.status === 'CLOSED') throw conflict('Quỹ đã đóng, không ghi thêm khoản thu, chi', 'FUND_CLOSED', field('fundId'));
  const balanceAfter = fund.balance + (m.direction === 'IN' ? m.amount : -m.amount);
  if (balanceAfter < 0) throw insufficientFunds(fund.balance, m.amount);
  if (balanceAfter > Number.MAX_SAFE_INTEGER) throw badInput('Số dư quỹ vượt giới hạn ghi nhận', 'BALANCE_TOO_LARGE', field('amount'));
  const id = randomUUID();
  const sequence = fund.movementCount + 1;
  const now = new Date();
  try {
    await rawQuery(
      em,
      `update study_promotion_fund set balance = balance + ?, total_in = total_in + ?, total_out = total_out + ?,
         movement_count = ?, updated_at = ?, updated_by = ?
       where id = ?`,
      [
        balanceAfter - fund.balance,
        m.direction === 'IN' ? m.amount : 0,
        m.direction === 'OUT' ? m.amount : 0,
        sequence,
        now,
        actor,
        fund.id,
      ],
    );
  } catch (err) {
    // SQLSTATE 23514: the balance check refused it (the lock makes this unreachable; the database has the last word)
    if ((err as { code?: string }).code === '23514') throw insufficientFunds(fund.balance, m.amount);
    throw err;
  }
  await rawQuery(
    em,
    `insert into fund_movement (id, fund_id, seq, kind, direction, amount, balance_after, occurred_on, donor_name, donor_organization_id,
       receipt_number, recipient_person_id, recipient_name, programme_code, decision_reference, award_decision_id, reverses_id, reason,
       note, recorded_at, recorded_by)
     values (?, ?, ?, ?, ?, ?, ?, ?::date, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      fund.id,
      sequence,
      m.kind,
      m.direction,
      m.amount,
      balanceAfter,
      m.occurredOn,
      m.donorName ?? null,
      m.donorOrganizationId ?? null,
      m.receiptNumber ?? null,
      m.recipientPersonId ?? null,
      m.recipientName ?? null,
      m.programmeCode ?? null,
      m.decisionReference ?? null,
      m.awardDecisionId ?? null,
      m.reversesId ?? null,
      m.reason ?? null,
      m.note ?? null,
      now,
      actor,
    ],
  );
  const movement: MovementRow = {
    id,
    fundId: fund.id,
    unitId: fund.unitId,
    sequence,
    kind: m.kind,
    direction: m.direction,
    amount: m.amount,
    balanceAfter,
    occurredOn: m.occurredOn,
    donorName: m.donorName ?? null,
    donorOrganizationId: m.donorOrganizationId ?? null,
    receiptNumber: m.receiptNumber ?? null,
    recipientPersonId: m.recipientPersonId ?? null,
    recipientName: m.recipientName ?? null,
    programmeCode: m.programmeCode ?? null,
    decisionReference: m.decisionReference ?? null,
    awardDecisionId: m.awardDecisionId ?? null,
    reversesId: m.reversesId ?? null,
    reversedById: null,
    reason: m.reason ?? null,
    note: m.note ?? null,
    recordedAt: now,
    recordedBy: actor,
  };
  const after: FundRow = {
    ...fund,
    balance: balanceAfter,
    totalIn: fund.totalIn + (m.direction === 'IN' ? m.amount : 0),
    totalOut: fund.totalOut + (m.direction === 'OUT' ? m.amount : 0),
    movementCount: sequence,
    updatedAt: now,
    updatedBy: actor,
  };
  return { result: { movement, fund: after }, events: [movementRecordedEvent(fund, movement)] };
}

export async function openFund(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: OpenFundInput,
): Promise<{ result: FundRow; events: CloudEvent[] }> {
  await scope.requireCovers(auth, FUND_KEEPER_ROLES, [input.unitId]);
  const today = todayInVietnam();
  const openedOn = input.openedOn ?? today;
  if (openedOn > today) throw badInput('Ngày lập quỹ không được sau hôm nay', 'DATE_IN_FUTURE', field('openedOn'));
  if (!(await scope.unitKinds([input.unitId], today)).has(input.unitId)) {
    throw notFound('Không tìm thấy đơn vị hành chính này (hoặc đơn vị không còn hiệu lực)', 'UNIT_NOT_FOUND', field('unitId'));
  }
  if (input.organizationId) {
    const org = await requireKnownParticipant(em, input.organizationId, 'ORGANIZATION', 'organizationId');
    if (org.unitId !== input.unitId) {
      throw badInput('Cơ quan, tổ chức này không thuộc đơn vị đã chọn', 'ORGANIZATION_NOT_IN_UNIT', field('organizationId'));
    }
  }
  const existing = await rawQuery<{ id: string }[]>(
    em,
    input.organizationId
      ? 'select id from study_promotion_fund where organization_id = ?'
      : 'select id from study_promotion_fund where unit_id = ? and organization_id is null',
    [input.organizationId ?? input.unitId],
  );
  const exists = () =>
    conflict(
      input.organizationId ? 'Cơ quan, tổ chức này đã có quỹ khuyến học' : 'Đơn vị này đã có quỹ khuyến học',
      'FUND_EXISTS',
      field(input.organizationId ? 'organizationId' : 'unitId'),
    );
  if (existing[0]) throw exists();
  const id = randomUUID();
  const now = new Date();
  await refusingDuplicates(
    rawQuery(
      em,
      `insert into study_promotion_fund (id, unit_id, organization_id, name, opened_on, status, created_at, created_by, updated_at, updated_by)
       values (?, ?, ?, ?, ?::date, 'OPEN', ?, ?, ?, ?)`,
      [id, input.unitId, input.organizationId ?? null, input.name, openedOn, now, auth.subject, now, auth.subject],
    ),
    exists,
  );
  return { result: (await loadFunds(em, [id])).get(id)!, events: [] };
}

export async function closeFund(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: CloseFundInput,
): Promise<{ result: FundRow; events: CloudEvent[] }> {
  const fund = await lockFund(em, input.fundId);
  await scope.requireCovers(auth, FUND_KEEPER_ROLES, [fund.unitId]);
  if (fund.status === 'CLOSED') throw conflict('Quỹ đã đóng', 'FUND_CLOSED', field('fundId'));
  if (fund.balance !== 0) {
    throw conflict(
      `Quỹ còn ${fund.balance.toLocaleString('vi-VN')} đồng, chỉ đóng được khi số dư bằng 0`,
      'FUND_NOT_EMPTY',
      field('fundId'),
    );
  }
  const closedOn = movementDay(input.closedOn, fund, 'closedOn');
  await rawQuery(
    em,
    `update study_promotion_fund set status = 'CLOSED', closed_on = ?::date, updated_at = now(), updated_by = ? where id = ?`,
    [closedOn, auth.subject, fund.id],
  );
  return { result: (await loadFunds(em, [fund.id])).get(fund.id)!, events: [] };
}

export async function recordDonation(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: DonationInput,
): Promise<{ result: MovementResult; events: CloudEvent[] }> {
  const fund = await lockFund(em, input.fundId);
  await scope.requireCovers(auth, FUND_KEEPER_ROLES, [fund.unitId]);
  if (input.donorOrganizationId) await requireKnownParticipant(em, input.donorOrganizationId, 'ORGANIZATION', 'donorOrganizationId');
  return appendMovement(em, auth.subject, fund, {
    kind: 'DONATION',
    direction: 'IN',
    amount: input.amount,
    occurredOn: movementDay(input.receivedOn, fund, 'receivedOn'),
    donorName: input.donorName,
    donorOrganizationId: input.donorOrganizationId,
    receiptNumber: input.receiptNumber,
    note: input.note,
  });
}

/** The programme, if a fund of `unitId` may pay it: national, or defined by the unit or a unit above it today. */
async function programmeFor(em: EntityManager, scope: ReplicaScope, code: string, unitId: string): Promise<ProgrammeRow> {
  const programme = (await loadProgrammes(em, [code])).get(code);
  if (!programme) throw notFound('Không tìm thấy chương trình học bổng này', 'PROGRAMME_NOT_FOUND', field('programmeCode'));
  if (programme.unitId && !(await scope.subtree(programme.unitId, todayInVietnam())).includes(unitId)) {
    throw badInput(
      'Chương trình học bổng này thuộc địa phương khác, quỹ của đơn vị này không chi được',
      'PROGRAMME_NOT_AVAILABLE',
      field('programmeCode'),
    );
  }
  return programme;
}

export async function grantScholarship(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: ScholarshipInput,
): Promise<{ result: MovementResult; events: CloudEvent[] }> {
  const fund = await lockFund(em, input.fundId);
  await scope.requireCovers(auth, FUND_KEEPER_ROLES, [fund.unitId]);
  const programme = await programmeFor(em, scope, input.programmeCode, fund.unitId);
  if (input.recipientPersonId) await requireKnownParticipant(em, input.recipientPersonId, 'PERSON', 'recipientPersonId');
  return appendMovement(em, auth.subject, fund, {
    kind: 'SCHOLARSHIP',
    direction: 'OUT',
    amount: input.amount,
    occurredOn: movementDay(input.grantedOn, fund, 'grantedOn'),
    recipientPersonId: input.recipientPersonId,
    recipientName: input.recipientName,
    programmeCode: programme.code,
    decisionReference: input.decisionReference,
    note: input.note,
  });
}

export async function payAward(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: AwardPaymentInput,
): Promise<{ result: MovementResult; events: CloudEvent[] }> {
  const fund = await lockFund(em, input.fundId);
  await scope.requireCovers(auth, FUND_KEEPER_ROLES, [fund.unitId]);
  if (input.recipientPersonId) await requireKnownParticipant(em, input.recipientPersonId, 'PERSON', 'recipientPersonId');
  return appendMovement(em, auth.subject, fund, {
    kind: 'AWARD',
    direction: 'OUT',
    amount: input.amount,
    occurredOn: movementDay(input.paidOn, fund, 'paidOn'),
    recipientPersonId: input.recipientPersonId,
    recipientName: input.recipientName,
    awardDecisionId: input.awardDecisionId,
    note: input.note,
  });
}

/** A correction the opposite way of the movement, for its amount; the movement itself is never changed. */
export async function reverseMovement(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: ReverseInput,
): Promise<{ result: MovementResult; events: CloudEvent[] }> {
  const found = (await loadMovements(em, [input.movementId])).get(input.movementId);
  if (!found) throw notFound('Không tìm thấy khoản thu, chi này', 'MOVEMENT_NOT_FOUND', field('movementId'));
  const fund = await lockFund(em, found.fundId, 'movementId');
  await scope.requireCovers(auth, FUND_KEEPER_ROLES, [fund.unitId]);
  // read again under the fund's lock: a correction recorded meanwhile is seen
  const original = (await loadMovements(em, [input.movementId])).get(input.movementId)!;
  if (original.kind === 'CORRECTION') {
    throw badInput(
      'Không điều chỉnh một bút toán điều chỉnh; hãy ghi khoản đúng thay vào',
      'CANNOT_REVERSE_CORRECTION',
      field('movementId'),
    );
  }
  if (original.reversedById) throw conflict('Khoản thu, chi này đã được điều chỉnh', 'ALREADY_REVERSED', field('movementId'));
  return appendMovement(em, auth.subject, fund, {
    kind: 'CORRECTION',
    direction: original.direction === 'IN' ? 'OUT' : 'IN',
    amount: original.amount,
    occurredOn: movementDay(input.reversedOn, fund, 'reversedOn', original.occurredOn),
    recipientPersonId: original.recipientPersonId,
    donorOrganizationId: original.donorOrganizationId,
    programmeCode: original.programmeCode,
    awardDecisionId: original.awardDecisionId,
    reversesId: original.id,
    reason: input.reason,
  });
}

export async function defineProgramme(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: ProgrammeInput,
): Promise<{ result: ProgrammeRow; events: CloudEvent[] }> {
  await scope.requireCovers(auth, ['ASSOCIATION_OFFICER'], [input.unitId]);
  const kind = (await scope.unitKinds([input.unitId], todayInVietnam())).get(input.unitId);
  if (!kind) throw notFound('Không tìm thấy đơn vị hành chính này (hoặc đơn vị không còn hiệu lực)', 'UNIT_NOT_FOUND', field('unitId'));
  if (!(PROGRAMME_UNIT_KINDS as readonly string[]).includes(kind)) {
    throw badInput('Chỉ cấp tỉnh hoặc cấp xã đặt chương trình học bổng riêng', 'PROGRAMME_UNIT_KIND', field('unitId'));
  }
  const taken = () => conflict('Mã chương trình học bổng này đã được dùng', 'PROGRAMME_EXISTS', field('code'));
  if ((await loadProgrammes(em, [input.code])).has(input.code)) throw taken();
  await refusingDuplicates(
    rawQuery(
      em,
      `insert into scholarship_programme (code, name, criteria, unit_id, created_at, created_by) values (?, ?, ?, ?, now(), ?)`,
      [input.code, input.name, input.criteria ?? null, input.unitId, auth.subject],
    ),
    taken,
  );
  return { result: { code: input.code, name: input.name, criteria: input.criteria ?? null, unitId: input.unitId }, events: [] };
}
