import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, uuidArray } from '@xhht/infra';
import type { EligibilityRule, Quota } from './eligibility-rules';

export type AwardRoundStatus = 'DRAFT' | 'OPEN' | 'CLOSED';

/** A form a round awards, with its quota (null = none) and eligibility rules. */
export interface RoundForm {
  formCode: string;
  quota: Quota | null;
  rules: EligibilityRule[];
}

/** An award round (table award_round). Dates are ISO days. */
export interface AwardRound {
  id: string;
  scopeUnitId: string;
  kind: string;
  year: number;
  name: string;
  status: AwardRoundStatus;
  nominationDeadline: string;
  decisionDeadline: string;
  forms: RoundForm[];
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
  openedAt: Date | null;
  openedBy: string | null;
  closedAt: Date | null;
  closedBy: string | null;
}

export const ROUND_COLUMNS = `r.id, r.scope_unit_id as "scopeUnitId", r.kind, r.year, r.name, r.status,
  r.nomination_deadline::text as "nominationDeadline", r.decision_deadline::text as "decisionDeadline", r.forms,
  r.created_at as "createdAt", r.created_by as "createdBy", r.updated_at as "updatedAt", r.updated_by as "updatedBy",
  r.opened_at as "openedAt", r.opened_by as "openedBy", r.closed_at as "closedAt", r.closed_by as "closedBy"`;

/** One round, locked for update when `lock` (the caller is in a transaction). */
export async function findRound(em: EntityManager, id: string, lock = false): Promise<AwardRound | null> {
  const rows = await rawQuery<AwardRound[]>(em, `select ${ROUND_COLUMNS} from award_round r where r.id = ?${lock ? ' for update' : ''}`, [
    id,
  ]);
  return rows[0] ?? null;
}

/** Rounds by id, one statement per batch. */
export const roundByIdLoader = (em: EntityManager) =>
  new DataLoader<string, AwardRound | null>(async (ids) => {
    const rows = await rawQuery<AwardRound[]>(em, `select ${ROUND_COLUMNS} from award_round r where r.id = any(?::uuid[])`, [
      uuidArray(ids),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/** Key of roundsOfUnitLoader: a scope unit and a year, or every year when the year is absent. */
export const unitYearKey = (unitId: string, year?: number | null) => `${unitId}|${year ?? ''}`;

/**
 * The rounds of scope units, newest year first, then by nomination deadline; every unit of a batch in
 * one statement, filtered by the key's year.
 */
export const roundsOfUnitLoader = (em: EntityManager) =>
  new DataLoader<string, AwardRound[]>(async (keys) => {
    const wanted = keys.map((k) => {
      const [unitId, year] = k.split('|');
      return { unitId: unitId!, year: year ? Number(year) : null };
    });
    const rows = await rawQuery<AwardRound[]>(
      em,
      `select ${ROUND_COLUMNS} from award_round r where r.scope_unit_id = any(?::uuid[])
       order by r.year desc, r.nomination_deadline, r.name, r.id`,
      [uuidArray(wanted.map((w) => w.unitId))],
    );
    return wanted.map((w) => rows.filter((r) => r.scopeUnitId === w.unitId && (w.year === null || r.year === w.year)));
  });
