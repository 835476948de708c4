import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { connection, pageWindow, rawQuery, textArray, uuidArray, type Connection, type PageArgs } from '@xhht/infra';

export const MOVEMENT_KINDS = ['DONATION', 'SCHOLARSHIP', 'AWARD', 'CORRECTION'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];
export type Direction = 'IN' | 'OUT';
export type FundStatus = 'OPEN' | 'CLOSED';

export const MOVEMENT_KIND_NAMES: Record<MovementKind, string> = {
  DONATION: 'Tiền ủng hộ quỹ',
  SCHOLARSHIP: 'Chi học bổng',
  AWARD: 'Chi khen thưởng',
  CORRECTION: 'Bút toán điều chỉnh',
};

export const FUND_STATUS_NAMES: Record<FundStatus, string> = { OPEN: 'Đang hoạt động', CLOSED: 'Đã đóng' };

export interface FundRow {
  id: string;
  unitId: string;
  organizationId: string | null;
  name: string;
  openedOn: string;
  status: FundStatus;
  closedOn: string | null;
  balance: number;
  totalIn: number;
  totalOut: number;
  movementCount: number;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

export interface MovementRow {
  id: string;
  fundId: string;
  /** The fund's unit: who may read the recipient's name is decided by it. */
  unitId: string;
  sequence: number;
  kind: MovementKind;
  direction: Direction;
  amount: number;
  balanceAfter: number;
  occurredOn: string;
  donorName: string | null;
  donorOrganizationId: string | null;
  receiptNumber: string | null;
  recipientPersonId: string | null;
  recipientName: string | null;
  programmeCode: string | null;
  decisionReference: string | null;
  awardDecisionId: string | null;
  reversesId: string | null;
  reversedById: string | null;
  reason: string | null;
  note: string | null;
  recordedAt: Date;
  recordedBy: string;
}

export interface ProgrammeRow {
  code: string;
  name: string;
  criteria: string | null;
  unitId: string | null;
}

/** bigint and timestamps come back as text or Date depending on the driver's parsers: numbers and Dates here. */
const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));
const fundOf = (r: FundRow): FundRow => ({
  ...r,
  balance: Number(r.balance),
  totalIn: Number(r.totalIn),
  totalOut: Number(r.totalOut),
  createdAt: toDate(r.createdAt),
  updatedAt: toDate(r.updatedAt),
});
const movementOf = (r: MovementRow): MovementRow => ({
  ...r,
  amount: Number(r.amount),
  balanceAfter: Number(r.balanceAfter),
  recordedAt: toDate(r.recordedAt),
});

const FUND_COLUMNS = `f.id, f.unit_id as "unitId", f.organization_id as "organizationId", f.name,
  to_char(f.opened_on, 'YYYY-MM-DD') as "openedOn", f.status, to_char(f.closed_on, 'YYYY-MM-DD') as "closedOn",
  f.balance, f.total_in as "totalIn", f.total_out as "totalOut", f.movement_count as "movementCount",
  f.created_at as "createdAt", f.created_by as "createdBy", f.updated_at as "updatedAt", f.updated_by as "updatedBy"`;

const MOVEMENT_COLUMNS = `m.id, m.fund_id as "fundId", f.unit_id as "unitId", m.seq as "sequence", m.kind, m.direction, m.amount,
  m.balance_after as "balanceAfter", to_char(m.occurred_on, 'YYYY-MM-DD') as "occurredOn", m.donor_name as "donorName",
  m.donor_organization_id as "donorOrganizationId", m.receipt_number as "receiptNumber", m.recipient_person_id as "recipientPersonId",
  m.recipient_name as "recipientName", m.programme_code as "programmeCode", m.decision_reference as "decisionReference",
  m.award_decision_id as "awardDecisionId", m.reverses_id as "reversesId", r.id as "reversedById", m.reason, m.note,
  m.recorded_at as "recordedAt", m.recorded_by as "recordedBy"`;

const MOVEMENT_FROM = `fund_movement m join study_promotion_fund f on f.id = m.fund_id left join fund_movement r on r.reverses_id = m.id`;

const PROGRAMME_COLUMNS = `p.code, p.name, p.criteria, p.unit_id as "unitId"`;

/** Funds by id; `lock` takes their row locks for the caller's transaction (every movement of a fund waits for the one before). */
export async function loadFunds(em: EntityManager, ids: readonly string[], lock = false): Promise<Map<string, FundRow>> {
  if (ids.length === 0) return new Map();
  const rows = await rawQuery<FundRow[]>(
    em,
    `select ${FUND_COLUMNS} from study_promotion_fund f where f.id = any(?::uuid[])${lock ? ' for update' : ''}`,
    [uuidArray(ids)],
  );
  return new Map(rows.map((r) => [r.id, fundOf(r)]));
}

export async function loadMovements(em: EntityManager, ids: readonly string[]): Promise<Map<string, MovementRow>> {
  if (ids.length === 0) return new Map();
  const rows = await rawQuery<MovementRow[]>(em, `select ${MOVEMENT_COLUMNS} from ${MOVEMENT_FROM} where m.id = any(?::uuid[])`, [
    uuidArray(ids),
  ]);
  return new Map(rows.map((r) => [r.id, movementOf(r)]));
}

/** Funds of the units: their own and their organizations', the unit's own first, then by name. */
export async function fundsOfUnits(em: EntityManager, unitIds: readonly string[]): Promise<FundRow[]> {
  if (unitIds.length === 0) return [];
  const rows = await rawQuery<FundRow[]>(
    em,
    `select ${FUND_COLUMNS} from study_promotion_fund f where f.unit_id = any(?::uuid[])
     order by f.unit_id, f.organization_id nulls first, f.name collate "vi-x-icu", f.id`,
    [uuidArray(unitIds)],
  );
  return rows.map(fundOf);
}

export async function loadProgrammes(em: EntityManager, codes: readonly string[]): Promise<Map<string, ProgrammeRow>> {
  if (codes.length === 0) return new Map();
  const rows = await rawQuery<ProgrammeRow[]>(
    em,
    `select ${PROGRAMME_COLUMNS} from scholarship_programme p where p.code = any(?::text[])`,
    [textArray(codes)],
  );
  return new Map(rows.map((r) => [r.code, r]));
}

/**
 * The programmes a unit's funds may pay: the national ones and those defined by the unit or a unit
 * above it today (every programme when `unitId` is null), by name.
 */
export async function programmesFor(em: EntityManager, unitId: string | null, asOf: string): Promise<ProgrammeRow[]> {
  if (!unitId) {
    return rawQuery<ProgrammeRow[]>(
      em,
      `select ${PROGRAMME_COLUMNS} from scholarship_programme p order by p.name collate "vi-x-icu", p.code`,
      [],
    );
  }
  return rawQuery<ProgrammeRow[]>(
    em,
    `with recursive up(id, depth) as (
       select ?::uuid, 0
       union
       select v.parent_id, up.depth + 1 from up
       join admin_unit_version_replica v on v.unit_id = up.id
       where v.parent_id is not null and v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date) and up.depth < 20
     )
     select ${PROGRAMME_COLUMNS} from scholarship_programme p
     where p.unit_id is null or p.unit_id in (select id from up)
     order by p.unit_id nulls first, p.name collate "vi-x-icu", p.code`,
    [unitId, asOf, asOf],
  );
}

export const fundByIdLoader = (em: EntityManager) =>
  new DataLoader<string, FundRow | null>(async (ids) => {
    const byId = await loadFunds(em, ids);
    return ids.map((id) => byId.get(id) ?? null);
  });

/** Each unit's own fund (organization funds aside), one statement per batch. */
export const fundByUnitLoader = (em: EntityManager) =>
  new DataLoader<string, FundRow | null>(async (unitIds) => {
    const rows = await rawQuery<FundRow[]>(
      em,
      `select ${FUND_COLUMNS} from study_promotion_fund f where f.unit_id = any(?::uuid[]) and f.organization_id is null`,
      [uuidArray(unitIds)],
    );
    const byUnit = new Map(rows.map((r) => [r.unitId, fundOf(r)]));
    return unitIds.map((id) => byUnit.get(id) ?? null);
  });

export const movementByIdLoader = (em: EntityManager) =>
  new DataLoader<string, MovementRow | null>(async (ids) => {
    const byId = await loadMovements(em, ids);
    return ids.map((id) => byId.get(id) ?? null);
  });

export const programmeByCodeLoader = (em: EntityManager) =>
  new DataLoader<string, ProgrammeRow | null>(async (codes) => {
    const byCode = await loadProgrammes(em, codes);
    return codes.map((c) => byCode.get(c) ?? null);
  });

export interface MovementListArgs extends PageArgs {
  kind?: MovementKind | null;
  from?: string | null;
  to?: string | null;
}

/**
 * One page of movements for each fund asked for, latest recorded first. Keys are
 * `${fundId}|${JSON of the arguments}`; funds asked with the same arguments (a list of funds, each
 * with its movements) are read with one statement.
 */
export const movementPageLoader = (em: EntityManager) =>
  new DataLoader<string, Connection<MovementRow>>(async (keys) => {
    const groups = new Map<string, string[]>();
    for (const key of keys) {
      const at = key.indexOf('|');
      const argsJson = key.slice(at + 1);
      groups.set(argsJson, [...(groups.get(argsJson) ?? []), key.slice(0, at)]);
    }
    const pages = new Map<string, Connection<MovementRow>>();
    for (const [argsJson, fundIds] of groups) {
      const args = JSON.parse(argsJson) as MovementListArgs;
      const { limit, offset } = pageWindow(args);
      const filters = [args.kind ?? null, args.kind ?? null, args.from ?? null, args.from ?? null, args.to ?? null, args.to ?? null];
      const rows = await rawQuery<(MovementRow & { total: string; rn: string })[]>(
        em,
        `select * from (
           select ${MOVEMENT_COLUMNS}, count(*) over (partition by m.fund_id) as total,
             row_number() over (partition by m.fund_id order by m.seq desc) as rn
           from ${MOVEMENT_FROM}
           where m.fund_id = any(?::uuid[]) and (?::text is null or m.kind = ?::text)
             and (?::date is null or m.occurred_on >= ?::date) and (?::date is null or m.occurred_on <= ?::date)
         ) x where x.rn > ? and x.rn <= ? order by x."fundId", x.rn`,
        [uuidArray(fundIds), ...filters, offset, offset + limit],
      );
      const totals = new Map<string, number>();
      for (const r of rows) totals.set(r.fundId, Number(r.total));
      // a page past the end has no rows to carry the total: those funds are counted apart (a client paging too far)
      const uncounted = fundIds.filter((id) => !totals.has(id));
      if (offset > 0 && uncounted.length > 0) {
        const counts = await rawQuery<{ fundId: string; n: string }[]>(
          em,
          `select m.fund_id as "fundId", count(*) as n from fund_movement m
           where m.fund_id = any(?::uuid[]) and (?::text is null or m.kind = ?::text)
             and (?::date is null or m.occurred_on >= ?::date) and (?::date is null or m.occurred_on <= ?::date)
           group by m.fund_id`,
          [uuidArray(uncounted), ...filters],
        );
        for (const c of counts) totals.set(c.fundId, Number(c.n));
      }
      for (const fundId of fundIds) {
        const nodes = rows
          .filter((r) => r.fundId === fundId)
          // the window columns (total, rn) ride along unseen: GraphQL reads only the fields asked for
          .map(movementOf);
        pages.set(`${fundId}|${argsJson}`, connection(nodes, totals.get(fundId) ?? 0, offset));
      }
    }
    return keys.map((k) => pages.get(k)!);
  });

export interface KindTotal {
  kind: MovementKind;
  amountIn: number;
  amountOut: number;
  count: number;
}

export interface YearTotals {
  year: number;
  totalIn: number;
  totalOut: number;
  net: number;
  byKind: KindTotal[];
}

/** In and out per kind of the movements dated in a year, keyed `${fundId}|${year}`, one statement per batch. */
export const yearTotalsLoader = (em: EntityManager) =>
  new DataLoader<string, YearTotals>(async (keys) => {
    const pairs = keys.map((k) => k.split('|') as [string, string]);
    const rows = await rawQuery<{ fundId: string; year: number; kind: MovementKind; amountIn: string; amountOut: string; n: string }[]>(
      em,
      `select m.fund_id as "fundId", k.year, m.kind,
         coalesce(sum(m.amount) filter (where m.direction = 'IN'), 0) as "amountIn",
         coalesce(sum(m.amount) filter (where m.direction = 'OUT'), 0) as "amountOut", count(*) as n
       from unnest(?::uuid[], ?::int[]) as k(fund_id, year)
       join fund_movement m on m.fund_id = k.fund_id
         and m.occurred_on >= make_date(k.year, 1, 1) and m.occurred_on < make_date(k.year + 1, 1, 1)
       group by m.fund_id, k.year, m.kind`,
      [`{${pairs.map((p) => p[0]).join(',')}}`, `{${pairs.map((p) => p[1]).join(',')}}`],
    );
    return pairs.map(([fundId, y]) => {
      const year = Number(y);
      const byKind = MOVEMENT_KINDS.map((kind) => {
        const r = rows.find((x) => x.fundId === fundId && Number(x.year) === year && x.kind === kind);
        return { kind, amountIn: Number(r?.amountIn ?? 0), amountOut: Number(r?.amountOut ?? 0), count: Number(r?.n ?? 0) };
      });
      const totalIn = byKind.reduce((s, k) => s + k.amountIn, 0);
      const totalOut = byKind.reduce((s, k) => s + k.amountOut, 0);
      return { year, totalIn, totalOut, net: totalIn - totalOut, byKind };
    });
  });
