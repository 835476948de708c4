import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, todayInVietnam, uuidArray, type ReplicaScope } from '@xhht/infra';
import type { NomineeKind } from '../rounds/eligibility-rules';

export interface AwardDecisionRow {
  id: string;
  roundId: string;
  formCode: string;
  formVersionId: string;
  number: string;
  decidedOn: string;
  issuingUnitId: string;
  issuingBody: string[];
  grantor: string;
  place: string;
  signerName: string;
  signerTitle: string;
  citation: string;
  createdAt: Date;
  createdBy: string;
}

export interface AwardRow {
  id: string;
  decisionId: string;
  position: number;
  nominationId: string;
  nomineeKind: NomineeKind;
  nomineeId: string;
  /** The nominee's unit when decided: the participant's unit, or the administrative unit itself. */
  nomineeUnitId: string;
  awardeeName: string;
  awardeeDetail: string | null;
  /** The awardee's own citation, when the decision's common one does not fit. */
  citation: string | null;
  issuingUnitId: string;
  /** The decision's year. */
  year: number;
  registerNumber: string;
  revokedOn: string | null;
  revocationRef: string | null;
  revocationReason: string | null;
  revokedAt: Date | null;
  revokedBy: string | null;
  version: number;
}

const DECISION_COLUMNS = `d.id, d.round_id as "roundId", d.form_code as "formCode", d.form_version_id as "formVersionId", d.number,
  d.decided_on::text as "decidedOn", d.issuing_unit_id as "issuingUnitId", d.issuing_body as "issuingBody", d.grantor, d.place,
  d.signer_name as "signerName", d.signer_title as "signerTitle", d.citation, d.created_at as "createdAt", d.created_by as "createdBy"`;

export const AWARD_COLUMNS = `a.id, a.decision_id as "decisionId", a.position, a.nomination_id as "nominationId",
  a.nominee_kind as "nomineeKind", a.nominee_id as "nomineeId", a.nominee_unit_id as "nomineeUnitId",
  a.awardee_name as "awardeeName", a.awardee_detail as "awardeeDetail", a.citation, a.issuing_unit_id as "issuingUnitId", a.year,
  a.register_number as "registerNumber", a.revoked_on::text as "revokedOn", a.revocation_ref as "revocationRef",
  a.revocation_reason as "revocationReason", a.revoked_at as "revokedAt", a.revoked_by as "revokedBy", a.version`;

const toDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));
const decisionOf = (r: AwardDecisionRow): AwardDecisionRow => ({ ...r, createdAt: toDate(r.createdAt)! });
const awardOf = (r: AwardRow): AwardRow => ({ ...r, revokedAt: toDate(r.revokedAt) });

export async function loadDecisions(em: EntityManager, ids: readonly string[]): Promise<Map<string, AwardDecisionRow>> {
  if (ids.length === 0) return new Map();
  const rows = await rawQuery<AwardDecisionRow[]>(em, `select ${DECISION_COLUMNS} from award_decision d where d.id = any(?::uuid[])`, [
    uuidArray(ids),
  ]);
  return new Map(rows.map((r) => [r.id, decisionOf(r)]));
}

/** Awards by id; `lock` takes their row locks for the caller's transaction. */
export async function loadAwards(em: EntityManager, ids: readonly string[], lock = false): Promise<Map<string, AwardRow>> {
  if (ids.length === 0) return new Map();
  const rows = await rawQuery<AwardRow[]>(
    em,
    `select ${AWARD_COLUMNS} from award a where a.id = any(?::uuid[]) order by a.id${lock ? ' for update' : ''}`,
    [uuidArray(ids)],
  );
  return new Map(rows.map((r) => [r.id, awardOf(r)]));
}

export const decisionByIdLoader = (em: EntityManager) =>
  new DataLoader<string, AwardDecisionRow | null>(async (ids) => {
    const byId = await loadDecisions(em, ids);
    return ids.map((id) => byId.get(id) ?? null);
  });

export const awardByIdLoader = (em: EntityManager) =>
  new DataLoader<string, AwardRow | null>(async (ids) => {
    const byId = await loadAwards(em, ids);
    return ids.map((id) => byId.get(id) ?? null);
  });

/** The awards of the decisions, in each decision's order; one statement. */
export async function awardsOfDecisions(em: EntityManager, ids: readonly string[]): Promise<AwardRow[]> {
  if (ids.length === 0) return [];
  return (
    await rawQuery<AwardRow[]>(em, `select ${AWARD_COLUMNS} from award a where a.decision_id = any(?::uuid[]) order by a.position`, [
      uuidArray(ids),
    ])
  ).map(awardOf);
}

/** Each decision's awards in the decision's order; one statement per batch. */
export const awardsByDecisionLoader = (em: EntityManager) =>
  new DataLoader<string, AwardRow[]>(async (ids) => {
    const rows = await awardsOfDecisions(em, ids);
    return ids.map((id) => rows.filter((r) => r.decisionId === id));
  });

/** Each round's decisions, oldest first; one statement per batch. */
export const decisionsByRoundLoader = (em: EntityManager) =>
  new DataLoader<string, AwardDecisionRow[]>(async (ids) => {
    const rows = (
      await rawQuery<AwardDecisionRow[]>(
        em,
        `select ${DECISION_COLUMNS} from award_decision d where d.round_id = any(?::uuid[]) order by d.decided_on, d.created_at, d.id`,
        [uuidArray(ids)],
      )
    ).map(decisionOf);
    return ids.map((id) => rows.filter((r) => r.roundId === id));
  });

/** The award each nomination led to, or null; one statement per batch. */
export const awardByNominationLoader = (em: EntityManager) =>
  new DataLoader<string, AwardRow | null>(async (ids) => {
    const rows = (
      await rawQuery<AwardRow[]>(em, `select ${AWARD_COLUMNS} from award a where a.nomination_id = any(?::uuid[])`, [uuidArray(ids)])
    ).map(awardOf);
    return ids.map((id) => rows.find((r) => r.nominationId === id) ?? null);
  });

/** Awards granted to each nominee (person, household, clan, organization, unit), newest first; one statement per batch. */
export const awardsByNomineeLoader = (em: EntityManager) =>
  new DataLoader<string, AwardRow[]>(async (ids) => {
    const rows = (
      await rawQuery<AwardRow[]>(
        em,
        `select ${AWARD_COLUMNS} from award a join award_decision d on d.id = a.decision_id
         where a.nominee_id = any(?::uuid[]) order by d.decided_on desc, a.position`,
        [uuidArray(ids)],
      )
    ).map(awardOf);
    return ids.map((id) => rows.filter((r) => r.nomineeId === id));
  });

/** One page of a unit's awards: to the unit itself, or (area) to anyone whose unit is in its area today. */
export interface UnitAwardsKey {
  unitId: string;
  area: boolean;
  year: number | null;
  limit: number;
  offset: number;
}

/**
 * Pages of awards by the awardees' units, newest decision first. A batch takes its areas in one
 * statement (`subtreesOf`) and every page in another (a lateral page per key, with its total).
 */
export const unitAwardsLoader = (em: EntityManager, scope: ReplicaScope) =>
  new DataLoader<UnitAwardsKey, { total: number; rows: AwardRow[] }, string>(
    async (keys) => {
      // the area as it is today, with the units merged into it: awards stay with the successor
      const areas = await scope.subtreesOf([...new Set(keys.filter((k) => k.area).map((k) => k.unitId))], todayInVietnam());
      const pages = keys.map((key, i) => ({
        i,
        // an award to a unit is filed under that unit (its nominee_unit_id), so UNIT scope is the unit's own awards as a unit
        units: key.area ? (areas.get(key.unitId) ?? []) : [key.unitId],
        own: !key.area,
        year: key.year,
        lim: key.limit,
        off: key.offset,
      }));
      // a join over the area's units (not `= any(units)`, which compares every award with every unit) uses award_unit_year_idx per unit
      const rows = await rawQuery<(AwardRow & { k: number; total: number })[]>(
        em,
        `select k.i as k, t.total, p.* from jsonb_to_recordset(?::jsonb) as k(i int, units uuid[], own boolean, year int, lim int, off int)
         cross join lateral (
           select count(*)::int as total from unnest(k.units) as u(id) join award a on a.nominee_unit_id = u.id
           where (not k.own or a.nominee_kind = 'ADMIN_UNIT') and (k.year is null or a.year = k.year)
         ) t
         left join lateral (
           select ${AWARD_COLUMNS}
           from unnest(k.units) as u(id) join award a on a.nominee_unit_id = u.id join award_decision d on d.id = a.decision_id
           where (not k.own or a.nominee_kind = 'ADMIN_UNIT') and (k.year is null or a.year = k.year)
           order by d.decided_on desc, a.decision_id, a.position
           limit k.lim offset k.off
         ) p on true`,
        [JSON.stringify(pages)],
      );
      return keys.map((key, i) => {
        const own = rows.filter((r) => r.k === i);
        return { total: own[0]?.total ?? 0, rows: own.filter((r) => r.id !== null).map(({ k: _k, total: _t, ...r }) => awardOf(r)) };
      });
    },
    { cacheKeyFn: (k) => JSON.stringify(k) },
  );
