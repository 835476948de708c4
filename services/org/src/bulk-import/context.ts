import { writeFileSync } from 'node:fs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, uuidArray, type EventCatalog, type MikroORM } from '@xhht/infra';
import { ADMIN_UNIT_KIND_NAMES, type AdminUnitKind } from '../admin-units/admin-unit-kind';
import { findViewsByCode, type AdminUnitView } from '../admin-units/admin-unit.repository';
import { csvField } from './csv';

export interface RowError {
  row: number;
  column: string;
  value: string;
  reason: string;
}

/** Rejected rows, written as a CSV report (row, column, value, reason) sorted by row. */
export class ErrorSink {
  private readonly errors: RowError[] = [];
  private readonly rejected = new Set<number>();

  add(row: number, column: string, value: string, reason: string): void {
    this.errors.push({ row, column, value, reason });
    this.rejected.add(row);
  }

  isRejected(row: number): boolean {
    return this.rejected.has(row);
  }

  get rejectedRows(): number {
    return this.rejected.size;
  }

  get all(): readonly RowError[] {
    return this.errors;
  }

  /** Writes the report (with a BOM, so spreadsheet programs read it as UTF-8). */
  write(file: string): void {
    const sorted = [...this.errors].sort((a, b) => a.row - b.row);
    const lines = ['Dòng,Cột,Giá trị,Lý do', ...sorted.map((e) => [e.row, e.column, e.value, e.reason].map(csvField).join(','))];
    writeFileSync(file, `\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
  }
}

export interface ImportCounts {
  inserted: number;
  updated: number;
  /** Records loaded when they are not one per row (a clan spans rows); rows otherwise. */
  records?: number;
}

/** What every kind's importer shares: the database, today's date, the actor, units by code, the error sink. */
export class ImportContext {
  private readonly units = new Map<string, AdminUnitView | null>();
  readonly counts: ImportCounts = { inserted: 0, updated: 0 };

  constructor(
    readonly orm: MikroORM,
    readonly catalog: EventCatalog,
    readonly actor: string,
    /** Units must be in force on this day (ISO date). */
    readonly today: string,
    readonly errors: ErrorSink,
  ) {}

  em(): EntityManager {
    return this.orm.em.fork() as unknown as EntityManager;
  }

  /** Units in force today, by official code (cached for the whole import; a miss is cached too). */
  async resolveUnits(codes: Iterable<string>): Promise<Map<string, AdminUnitView | null>> {
    const missing = [...new Set(codes)].filter((c) => !this.units.has(c));
    if (missing.length > 0) {
      const found = await findViewsByCode(this.em(), missing, this.today);
      for (const code of missing) this.units.set(code, found.get(code) ?? null);
    }
    return this.units;
  }

  /** The unit with this code if it is in force today and of an accepted kind; otherwise the reason it is not. */
  unit(code: string, kinds: readonly AdminUnitKind[] | null): AdminUnitView | string {
    const view = this.units.get(code);
    if (!view) return `Không có đơn vị hành chính mã "${code}" còn hiệu lực ngày ${this.today}`;
    if (kinds && !kinds.includes(view.kind)) {
      return `Đơn vị "${code}" (${view.name}) là cấp ${ADMIN_UNIT_KIND_NAMES[view.kind]}; cần cấp ${kinds.map((k) => ADMIN_UNIT_KIND_NAMES[k]).join(' hoặc ')}`;
    }
    return view;
  }
}

/** Rows as one jsonb parameter: the query builder would expand a JS array into a list of parameters. */
export const asJson = (rows: unknown[]): string => JSON.stringify(rows);

/**
 * Organizations referenced by code from a unit: the nearest one found walking up from that unit
 * through its ancestors in force today (a person in a village may work at the commune's school).
 * `inFile` offers organizations of the same import that are not written yet.
 */
export async function resolveOrganizationRefs(
  ctx: ImportContext,
  em: EntityManager,
  refs: { unitId: string; code: string }[],
  inFile?: Map<string, string>,
): Promise<(string | undefined)[]> {
  if (refs.length === 0) return [];
  const starts = [...new Set(refs.map((r) => r.unitId))];
  const chainRows = await rawQuery<{ start: string; unit: string }[]>(
    em,
    `with recursive chain(start, unit, depth) as (
       select s, s, 0 from unnest(?::uuid[]) as s
       union all
       select c.start, v.parent_id, c.depth + 1
       from chain c join admin_unit_version v on v.unit_id = c.unit
         and v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date)
       where v.parent_id is not null and c.depth < 12
     )
     select start, unit from chain order by start, depth`,
    [uuidArray(starts), ctx.today, ctx.today],
  );
  const chains = new Map<string, string[]>();
  for (const r of chainRows) {
    const chain = chains.get(r.start) ?? [];
    chain.push(r.unit);
    chains.set(r.start, chain);
  }
  const pairs = new Map<string, { u: string; c: string }>();
  for (const ref of refs) for (const u of chains.get(ref.unitId) ?? [ref.unitId]) pairs.set(naturalKey(u, ref.code), { u, c: ref.code });
  const found = await rawQuery<{ id: string; unit_id: string; code: string }[]>(
    em,
    `select o.id, o.unit_id, o.code from organization o
     join jsonb_to_recordset(?::jsonb) as x(u uuid, c text) on o.unit_id = x.u and o.code = x.c`,
    [asJson([...pairs.values()])],
  );
  const inDb = new Map(found.map((o) => [naturalKey(o.unit_id, o.code), o.id]));
  return refs.map((ref) => {
    for (const u of chains.get(ref.unitId) ?? [ref.unitId]) {
      const key = naturalKey(u, ref.code);
      const id = inFile?.get(key) ?? inDb.get(key);
      if (id) return id;
    }
    return undefined;
  });
}

/** Ids of existing rows of a participant table by natural key, as a map from `unitId\0code`. */
export async function idsByNaturalKey(
  em: EntityManager,
  table: 'household' | 'organization' | 'clan',
  keys: { unitId: string; code: string }[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 5000) {
    const found = await rawQuery<{ id: string; unit_id: string; code: string }[]>(
      em,
      `select t.id, t.unit_id, t.code from ${table} t
       join jsonb_to_recordset(?::jsonb) as x(u uuid, c text) on t.unit_id = x.u and t.code = x.c`,
      [asJson(keys.slice(i, i + 5000).map((k) => ({ u: k.unitId, c: k.code })))],
    );
    for (const r of found) ids.set(naturalKey(r.unit_id, r.code), r.id);
  }
  return ids;
}

/** Map key of a natural key (unit id or code, participant code). */
export const naturalKey = (unitId: string, code: string): string => `${unitId}\u0000${code}`;
