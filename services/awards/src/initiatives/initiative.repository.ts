import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  REPLICA_HIERARCHY_TABLES,
  connection,
  pageWindow,
  rawQuery,
  subtreeWithHistorySql,
  todayInVietnam,
  uuidArray,
  type Connection,
  type PageArgs,
} from '@xhht/infra';
import type { EffectScope, InitiativeField, InitiativeKind, InitiativeStatus } from './initiative-vocabulary';

/** A document supporting an initiative: a title, and where to read it (a link, an uploaded file, or both). */
export interface Evidence {
  title: string;
  url: string | null;
  fileId: string | null;
}

export interface InitiativeRow {
  id: string;
  kind: InitiativeKind;
  title: string;
  description: string;
  field: InitiativeField;
  /** The registering unit: whose officers answer for it (scope unit). */
  unitId: string;
  /** The registering organization, when an organization registered it. */
  organizationId: string | null;
  appliedSince: string;
  effectScope: EffectScope;
  effectDescription: string;
  evidence: Evidence[];
  status: InitiativeStatus;
  version: number;
  returnReason: string | null;
  rejectionReason: string | null;
  submittedAt: Date | null;
  councilSessionRef: string | null;
  recognisedEffectScope: EffectScope | null;
  recognisingUnitId: string | null;
  recognisedAt: Date | null;
  recognisedBy: string | null;
  /** The award this initiative grounds; set once (claimInitiativeForAward). */
  groundsAward: string | null;
  awardedAt: Date | null;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

export type AuthorKind = 'PERSON' | 'ORGANIZATION';

export interface AuthorRow {
  initiativeId: string;
  authorKind: AuthorKind;
  authorId: string;
  position: number;
}

export interface TransitionRow {
  initiativeId: string;
  fromStatus: InitiativeStatus | null;
  toStatus: InitiativeStatus;
  reason: string | null;
  at: Date;
  by: string;
}

/** Timestamps come back as Date or as text depending on the connection's type parsers: always a Date here. */
const toDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

const rowOf = (r: InitiativeRow): InitiativeRow => ({
  ...r,
  submittedAt: toDate(r.submittedAt),
  recognisedAt: toDate(r.recognisedAt),
  awardedAt: toDate(r.awardedAt),
  createdAt: toDate(r.createdAt)!,
  updatedAt: toDate(r.updatedAt)!,
});

export const INITIATIVE_COLUMNS = `i.id, i.kind, i.title, i.description, i.field, i.unit_id as "unitId", i.organization_id as "organizationId",
  to_char(i.applied_since, 'YYYY-MM-DD') as "appliedSince", i.effect_scope as "effectScope", i.effect_description as "effectDescription",
  i.evidence, i.status, i.version, i.return_reason as "returnReason", i.rejection_reason as "rejectionReason",
  i.submitted_at as "submittedAt", i.council_session_ref as "councilSessionRef", i.recognised_effect_scope as "recognisedEffectScope",
  i.recognising_unit_id as "recognisingUnitId", i.recognised_at as "recognisedAt", i.recognised_by as "recognisedBy",
  i.grounds_award as "groundsAward", i.awarded_at as "awardedAt", i.created_at as "createdAt", i.created_by as "createdBy",
  i.updated_at as "updatedAt", i.updated_by as "updatedBy"`;

/** Initiatives by id; `lock` takes their row locks for the caller's transaction. */
export async function loadInitiatives(em: EntityManager, ids: readonly string[], lock = false): Promise<Map<string, InitiativeRow>> {
  if (ids.length === 0) return new Map();
  const rows = await rawQuery<InitiativeRow[]>(
    em,
    `select ${INITIATIVE_COLUMNS} from initiative i where i.id = any(?::uuid[])${lock ? ' for update' : ''}`,
    [uuidArray(ids)],
  );
  return new Map(rows.map((r) => [r.id, rowOf(r)]));
}

export async function loadAuthors(em: EntityManager, initiativeIds: readonly string[]): Promise<AuthorRow[]> {
  if (initiativeIds.length === 0) return [];
  return rawQuery<AuthorRow[]>(
    em,
    `select initiative_id as "initiativeId", author_kind as "authorKind", author_id as "authorId", position
     from initiative_author where initiative_id = any(?::uuid[]) order by initiative_id, position`,
    [uuidArray(initiativeIds)],
  );
}

/** Replaces an initiative's authors with the ones given, persons first, in the order given. */
export async function writeAuthors(em: EntityManager, initiativeId: string, personIds: string[], organizationIds: string[]): Promise<void> {
  await rawQuery(em, 'delete from initiative_author where initiative_id = ?', [initiativeId]);
  const authors = [...personIds.map((id) => ({ kind: 'PERSON', id })), ...organizationIds.map((id) => ({ kind: 'ORGANIZATION', id }))].map(
    (a, position) => ({ ...a, position }),
  );
  if (authors.length === 0) return;
  await rawQuery(
    em,
    `insert into initiative_author (initiative_id, author_kind, author_id, position)
     select ?, a.kind, a.id, a.position from jsonb_to_recordset(?::jsonb) as a(kind text, id uuid, position int)`,
    [initiativeId, JSON.stringify(authors)],
  );
}

export const initiativeByIdLoader = (em: EntityManager) =>
  new DataLoader<string, InitiativeRow | null>(async (ids) => {
    const byId = await loadInitiatives(em, ids);
    return ids.map((id) => byId.get(id) ?? null);
  });

export const authorsByInitiativeLoader = (em: EntityManager) =>
  new DataLoader<string, AuthorRow[]>(async (ids) => {
    const rows = await loadAuthors(em, ids);
    return ids.map((id) => rows.filter((r) => r.initiativeId === id));
  });

export const transitionsByInitiativeLoader = (em: EntityManager) =>
  new DataLoader<string, TransitionRow[]>(async (ids) => {
    const rows = await rawQuery<TransitionRow[]>(
      em,
      `select initiative_id as "initiativeId", from_status as "fromStatus", to_status as "toStatus", reason, at, by
       from initiative_transition where initiative_id = any(?::uuid[]) order by at, id`,
      [uuidArray(ids)],
    );
    return ids.map((id) => rows.filter((r) => r.initiativeId === id).map((r) => ({ ...r, at: toDate(r.at)! })));
  });

/** Initiatives registered by a unit, newest first; keyed `${unitId}|${status}` (status empty for all). One statement per batch. */
export const initiativesByUnitLoader = (em: EntityManager) =>
  new DataLoader<string, InitiativeRow[]>(async (keys) => {
    const pairs = keys.map((k) => k.split('|') as [string, string]);
    const rows = await rawQuery<(InitiativeRow & { key: string })[]>(
      em,
      `select ${INITIATIVE_COLUMNS}, k.unit_id || '|' || k.status as key
       from unnest(?::uuid[], ?::text[]) as k(unit_id, status)
       join initiative i on i.unit_id = k.unit_id and (k.status = '' or i.status = k.status)
       order by i.created_at desc, i.id`,
      [`{${pairs.map((p) => p[0]).join(',')}}`, `{${pairs.map((p) => JSON.stringify(p[1])).join(',')}}`],
    );
    return keys.map((k) => rows.filter((r) => r.key === k).map(({ key: _, ...r }) => rowOf(r)));
  });

/**
 * Initiatives of a participant, newest first: those it authored (a person or an organization) and,
 * for an organization, those it registered. One statement per batch.
 */
export const initiativesByParticipantLoader = (em: EntityManager) =>
  new DataLoader<string, InitiativeRow[]>(async (ids) => {
    const rows = await rawQuery<(InitiativeRow & { participant: string })[]>(
      em,
      `select ${INITIATIVE_COLUMNS}, p.id as participant
       from unnest(?::uuid[]) as p(id)
       join initiative i on i.organization_id = p.id
         or exists (select 1 from initiative_author a where a.initiative_id = i.id and a.author_id = p.id)
       order by i.created_at desc, i.id`,
      [uuidArray(ids)],
    );
    return ids.map((id) => rows.filter((r) => r.participant === id).map(({ participant: _, ...r }) => rowOf(r)));
  });

export interface ExemplaryStoryArgs extends PageArgs {
  search?: string | null;
  unitId?: string | null;
  kind?: InitiativeKind | null;
  field?: InitiativeField | null;
}

/** LIKE's wildcards and escape character taken literally. */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The words of a search, at most 10 of them: each must appear in the title or the description. */
export const searchWords = (search: string | null | undefined): string[] =>
  (search ?? '')
    .normalize('NFC')
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 10);

/**
 * Recognised initiatives, public: every word searched appears in the title or description, the
 * diacritics and case of both sides ignored (initiative_fold); in a unit's subtree today with the
 * units merged into it; newest recognition first.
 */
export async function listExemplaryStories(em: EntityManager, args: ExemplaryStoryArgs): Promise<Connection<InitiativeRow>> {
  const { limit, offset } = pageWindow(args);
  const filters = [`i.status = 'RECOGNISED'`];
  const params: unknown[] = [];
  for (const word of searchWords(args.search)) {
    filters.push(`i.search_text like '%' || initiative_fold(?) || '%' escape '\\'`);
    params.push(likeLiteral(word));
  }
  if (args.unitId) {
    filters.push(`i.unit_id in (select id from (${subtreeWithHistorySql(REPLICA_HIERARCHY_TABLES)}) as subtree)`);
    params.push(args.unitId, todayInVietnam());
  }
  if (args.kind) {
    filters.push('i.kind = ?');
    params.push(args.kind);
  }
  if (args.field) {
    filters.push('i.field = ?');
    params.push(args.field);
  }
  const where = filters.join(' and ');
  const rows = await rawQuery<(InitiativeRow & { total: number })[]>(
    em,
    `select ${INITIATIVE_COLUMNS}, count(*) over()::int as total from initiative i where ${where}
     order by i.recognised_at desc, i.id limit ? offset ?`,
    [...params, limit, offset],
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && offset > 0) {
    total = (await rawQuery<{ n: number }[]>(em, `select count(*)::int as n from initiative i where ${where}`, params))[0]?.n ?? 0;
  }
  return connection(
    rows.map(({ total: _, ...r }) => rowOf(r)),
    total,
    offset,
  );
}
