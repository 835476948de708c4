import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { ROLE_NAMES, rawQuery, todayInVietnam, uuidArray, type AuthContext, type ReplicaScope } from '@xhht/infra';

export interface Recognition {
  id: string;
  decisionId: string;
  assessmentId: string;
  subjectKind: string;
  subjectId: string;
  subjectUnitId: string;
  title: string;
  level: string;
  year: number;
  validFrom: string;
  validTo: string;
  /** As stored: ACTIVE until the sweeper marks it EXPIRED (see `effectiveStatus`). */
  storedStatus: 'ACTIVE' | 'REVOKED' | 'EXPIRED';
  revokedReason: string | null;
  revokedBy: string | null;
  revokedAt: string | null;
  expiredAt: string | null;
  createdAt: string;
  createdBy: string;
}

/** A recognition past its last valid day counts as expired before the sweeper has marked it. */
export const effectiveStatus = (r: Recognition, today = todayInVietnam()) =>
  r.storedStatus === 'ACTIVE' && r.validTo < today ? 'EXPIRED' : r.storedStatus;

/** Valid on `asOf`: active (not revoked, not expired) and within its validity period. */
export const isValidOn = (r: Recognition, asOf: string) => r.storedStatus === 'ACTIVE' && r.validFrom <= asOf && r.validTo >= asOf;

export const RECOGNITION_COLUMNS = `r.id, r.decision_id as "decisionId", r.assessment_id as "assessmentId", r.subject_kind as "subjectKind",
  r.subject_id as "subjectId", r.subject_unit_id as "subjectUnitId", r.title, r.level, r.year, r.valid_from::text as "validFrom",
  r.valid_to::text as "validTo", r.status as "storedStatus", r.revoked_reason as "revokedReason", r.revoked_by as "revokedBy",
  to_json(r.revoked_at) #>> '{}' as "revokedAt", to_json(r.expired_at) #>> '{}' as "expiredAt",
  to_json(r.created_at) #>> '{}' as "createdAt", r.created_by as "createdBy"`;

/** The unit a subject is in today: its own for units, the replica's for participants (so moves and merges follow it). */
export const SUBJECT_UNIT = 'coalesce(p.unit_id, r.subject_unit_id)';
/** `recognition r` with the participant replica, for SUBJECT_UNIT. */
export const RECOGNITION_FROM = 'recognition r left join participant_replica p on p.id = r.subject_id';

/** A WHERE fragment with its parameters. */
export interface Condition {
  sql: string;
  params: unknown[];
}

/**
 * Which recognitions the caller may read. Titles are public after a decision, so recognitions of
 * units, organizations and clans are readable by anyone signed in; those of households and
 * persons (personal data) by roles covering the subject's unit today, by the person themself (a
 * citizen grant naming them), and by administrators. Recognitions carry no names.
 */
export async function visibleCondition(auth: AuthContext, scope: ReplicaScope): Promise<Condition | null> {
  const units = await scope.coveredUnits(auth, ROLE_NAMES);
  if (units === 'ALL') return null;
  const persons = auth.principal.roles
    .map((g) => (g as { personId?: string }).personId)
    .filter((id): id is string => typeof id === 'string');
  return {
    sql: `(r.subject_kind in ('ADMIN_UNIT','ORGANIZATION','CLAN') or ${SUBJECT_UNIT} = any(?::uuid[]) or r.subject_id = any(?::uuid[]))`,
    params: [uuidArray(units), uuidArray(persons)],
  };
}

export interface RecognitionFilter {
  title?: string | null;
  year?: number | null;
  level?: string | null;
  subjectKind?: string | null;
  validOn?: string | null;
  status?: 'ACTIVE' | 'REVOKED' | 'EXPIRED' | null;
}

/** WHERE fragments of a filter (`units`: the subject's unit among them). */
export function filterConditions(f: RecognitionFilter, units?: string[] | null): Condition[] {
  const out: Condition[] = [];
  if (f.title) out.push({ sql: 'r.title = ?', params: [f.title] });
  if (f.year != null) out.push({ sql: 'r.year = ?', params: [f.year] });
  if (f.level) out.push({ sql: 'r.level = ?', params: [f.level] });
  if (f.subjectKind) out.push({ sql: 'r.subject_kind = ?', params: [f.subjectKind] });
  if (f.validOn)
    out.push({ sql: `r.status = 'ACTIVE' and r.valid_from <= ?::date and r.valid_to >= ?::date`, params: [f.validOn, f.validOn] });
  const today = todayInVietnam();
  if (f.status === 'ACTIVE') out.push({ sql: `r.status = 'ACTIVE' and r.valid_to >= ?::date`, params: [today] });
  if (f.status === 'EXPIRED')
    out.push({ sql: `(r.status = 'EXPIRED' or (r.status = 'ACTIVE' and r.valid_to < ?::date))`, params: [today] });
  if (f.status === 'REVOKED') out.push({ sql: `r.status = 'REVOKED'`, params: [] });
  if (units) out.push({ sql: `${SUBJECT_UNIT} = any(?::uuid[])`, params: [uuidArray(units)] });
  return out;
}

const where = (conds: (Condition | null)[]) => {
  const cs = conds.filter((c): c is Condition => c !== null);
  return { sql: cs.length ? `where ${cs.map((c) => c.sql).join(' and ')}` : '', params: cs.flatMap((c) => c.params) };
};

const ORDER = 'r.year desc, r.created_at desc, r.id';

/** A page of recognitions matching the conditions, with the total. */
export async function listRecognitions(
  em: EntityManager,
  conds: (Condition | null)[],
  page: { limit: number; offset: number },
): Promise<{ rows: Recognition[]; total: number }> {
  const w = where(conds);
  const rows = await rawQuery<(Recognition & { total: string })[]>(
    em,
    `select ${RECOGNITION_COLUMNS}, count(*) over () as total from ${RECOGNITION_FROM} ${w.sql} order by ${ORDER} limit ? offset ?`,
    [...w.params, page.limit, page.offset],
  );
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && page.offset > 0) {
    const [c] = await rawQuery<{ n: string }[]>(em, `select count(*) as n from ${RECOGNITION_FROM} ${w.sql}`, w.params);
    total = Number(c?.n ?? 0);
  }
  return { rows: rows.map(({ total: _t, ...r }) => r), total };
}

/** Recognitions by id, one statement per batch. */
export const recognitionLoader = (em: EntityManager) =>
  new DataLoader<string, Recognition | null>(async (ids) => {
    const rows = await rawQuery<Recognition[]>(em, `select ${RECOGNITION_COLUMNS} from recognition r where r.id = any(?::uuid[])`, [
      uuidArray(ids),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/** Per request: one DataLoader per distinct argument set, so fields with the same arguments share a batch. */
export class LoaderFamily<K, V> {
  private readonly loaders = new Map<string, DataLoader<K, V>>();
  constructor(private readonly make: (args: any) => DataLoader<K, V>) {}
  for(args: object): DataLoader<K, V> {
    const key = JSON.stringify(args);
    let l = this.loaders.get(key);
    if (!l) {
      l = this.make(args);
      this.loaders.set(key, l);
    }
    return l;
  }
}

/** Each subject's readable recognitions matching `filter`, newest first: one statement per batch. */
export const recognitionsBySubject = (em: EntityManager, auth: AuthContext, scope: ReplicaScope) =>
  new LoaderFamily<string, Recognition[]>(
    (filter: RecognitionFilter) =>
      new DataLoader<string, Recognition[]>(async (subjectIds) => {
        const w = where([
          { sql: 'r.subject_id = any(?::uuid[])', params: [uuidArray(subjectIds)] },
          ...filterConditions(filter),
          await visibleCondition(auth, scope),
        ]);
        const rows = await rawQuery<Recognition[]>(
          em,
          `select ${RECOGNITION_COLUMNS} from ${RECOGNITION_FROM} ${w.sql} order by ${ORDER}`,
          w.params,
        );
        const groups = new Map<string, Recognition[]>();
        for (const r of rows) groups.set(r.subjectId, [...(groups.get(r.subjectId) ?? []), r]);
        return subjectIds.map((id) => groups.get(id) ?? []);
      }),
  );

export interface UnitRecognitionsArgs extends RecognitionFilter {
  limit: number;
  offset: number;
}

/**
 * A page of each unit's recognitions: its own (Learning Community) and those of every subject in
 * it or below it today, following merges (the unit's subtree from the replica). One statement per
 * batch of units: each unit's subtree is joined as (unit, member) pairs and paged per unit.
 */
export const recognitionsByUnit = (em: EntityManager, auth: AuthContext, scope: ReplicaScope) =>
  new LoaderFamily<string, { rows: Recognition[]; total: number }>(
    (args: UnitRecognitionsArgs) =>
      new DataLoader<string, { rows: Recognition[]; total: number }>(async (unitIds) => {
        const today = todayInVietnam();
        const keys: string[] = [];
        const members: string[] = [];
        for (const [unitId, subtree] of await scope.subtreesOf(unitIds, today)) {
          for (const m of subtree) {
            keys.push(unitId);
            members.push(m);
          }
        }
        const w = where([...filterConditions(args), await visibleCondition(auth, scope)]);
        const rows = await rawQuery<(Recognition & { k: string; rn: string; total: string })[]>(
          em,
          `with scope (k, u) as (select * from unnest(?::uuid[], ?::uuid[])),
           m as (
             select s.k, ${RECOGNITION_COLUMNS}, row_number() over (partition by s.k order by ${ORDER}) as rn,
               count(*) over (partition by s.k) as total
             from scope s join (${RECOGNITION_FROM}) on ${SUBJECT_UNIT} = s.u
             ${w.sql}
           )
           select * from m where (rn > ? and rn <= ?) or rn = 1 order by k, rn`,
          [`{${keys.join(',')}}`, `{${members.join(',')}}`, ...w.params, args.offset, args.offset + args.limit],
        );
        return groupPages(rows, (r) => r.k, unitIds, args);
      }),
  );

/** Recognitions by id that the caller may read (null otherwise), one statement per batch. */
export const visibleRecognitionLoader = (em: EntityManager, auth: AuthContext, scope: ReplicaScope) =>
  new DataLoader<string, Recognition | null>(async (ids) => {
    const w = where([{ sql: 'r.id = any(?::uuid[])', params: [uuidArray(ids)] }, await visibleCondition(auth, scope)]);
    const rows = await rawQuery<Recognition[]>(em, `select ${RECOGNITION_COLUMNS} from ${RECOGNITION_FROM} ${w.sql}`, w.params);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/** A page of each decision's readable recognitions, one statement per batch of decisions. */
export const recognitionsByDecision = (em: EntityManager, auth: AuthContext, scope: ReplicaScope) =>
  new LoaderFamily<string, { rows: Recognition[]; total: number }>(
    (page: { limit: number; offset: number }) =>
      new DataLoader<string, { rows: Recognition[]; total: number }>(async (decisionIds) => {
        const w = where([{ sql: 'r.decision_id = any(?::uuid[])', params: [uuidArray(decisionIds)] }, await visibleCondition(auth, scope)]);
        const rows = await rawQuery<(Recognition & { rn: string; total: string })[]>(
          em,
          `with m as (
             select ${RECOGNITION_COLUMNS}, row_number() over (partition by r.decision_id order by ${ORDER}) as rn,
               count(*) over (partition by r.decision_id) as total
             from ${RECOGNITION_FROM} ${w.sql}
           )
           select * from m where (rn > ? and rn <= ?) or rn = 1 order by "decisionId", rn`,
          [...w.params, page.offset, page.offset + page.limit],
        );
        return groupPages(rows, (r) => r.decisionId, decisionIds, page);
      }),
  );

/** Rows of a query paged per key (`rn` its place within the key, `total` the key's count) grouped back into pages. */
function groupPages<R extends Recognition & { rn: string; total: string; k?: string }>(
  rows: R[],
  keyOf: (row: R) => string,
  keys: readonly string[],
  page: { limit: number; offset: number },
): { rows: Recognition[]; total: number }[] {
  const out = new Map<string, { rows: Recognition[]; total: number }>();
  for (const row of rows) {
    const k = keyOf(row);
    const { rn, total, ...r } = row;
    delete r.k;
    const entry = out.get(k) ?? { rows: [], total: Number(total) };
    out.set(k, entry);
    const n = Number(rn);
    if (n > page.offset && n <= page.offset + page.limit) entry.rows.push(r);
  }
  return keys.map((k) => out.get(k) ?? { rows: [], total: 0 });
}
