import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, insertOutboxBatch, newEvent } from '@xhht/infra';
import type { ColumnMap, ColumnSpec } from './columns';
import { type ImportContext } from './context';

export type ImportKind = 'households' | 'persons' | 'clans' | 'organizations';
export const IMPORT_KINDS: ImportKind[] = ['households', 'persons', 'clans', 'organizations'];

/** A row's values by field, trimmed; "" when the column is absent or empty. */
export type RowValues<F extends string> = Record<F, string>;

/**
 * One kind of participant. `add` checks a row on its own (synchronously, while the file is being
 * read); `write` loads a batch of accepted rows (looking up references, then one upsert and one
 * outbox insert in a transaction); `finish` loads what kinds that need the whole file kept back.
 */
export interface KindImporter<F extends string = string, P = unknown> {
  readonly columns: ColumnSpec<F>[];
  /** Batches `write` may be given at the same time (1 unless they are independent of each other). */
  readonly concurrency?: number;
  add(row: number, values: RowValues<F>): void;
  /** Rows accepted so far and not yet handed to `write`. */
  take(min: number): P[] | undefined;
  write(batch: P[]): Promise<void>;
  finish(): Promise<void>;
}

export type ImporterFactory = (ctx: ImportContext, columns: () => ColumnMap<string>) => KindImporter;

export const MAX_CODE = 50;

/** Checks shared by every kind; returns the error text or undefined. */
export function checkCode(value: string): string | undefined {
  if (value === '') return 'Thiếu giá trị bắt buộc';
  if (value.length > MAX_CODE) return `Mã dài quá ${MAX_CODE} ký tự`;
  return undefined;
}

export function checkText(value: string, max: number, required: boolean): string | undefined {
  if (value === '') return required ? 'Thiếu giá trị bắt buộc' : undefined;
  if (value.length > max) return `Dài quá ${max} ký tự`;
  return undefined;
}

/** Collects a row's problems into the error report; `ok` turns false at the first one. */
export function rowCheck<F extends string>(ctx: ImportContext, row: number, values: RowValues<F>, column: (f: F) => string) {
  let ok = true;
  return {
    fail(field: F, reason: string | undefined): void {
      if (reason === undefined) return;
      ctx.errors.add(row, column(field), values[field], reason);
      ok = false;
    },
    get ok(): boolean {
      return ok;
    },
  };
}

/** The row that first used a natural key in this file, or undefined (and the key is recorded) when this is the first. */
export function earlierRow(seen: Map<string, number>, key: string, row: number): number | undefined {
  const first = seen.get(key);
  if (first === undefined) seen.set(key, row);
  return first;
}

/** Accepted rows waiting to be written in batches, for kinds that stream. */
export class Batches<P> {
  private pending: P[] = [];
  push(p: P): void {
    this.pending.push(p);
  }
  /** The waiting rows once there are at least `min` of them. */
  take(min: number): P[] | undefined {
    if (this.pending.length < min || this.pending.length === 0) return undefined;
    const batch = this.pending;
    this.pending = [];
    return batch;
  }
}

/** What an upsert returned for a row it wrote (unchanged rows are not returned). */
export interface Written {
  id: string;
  inserted: boolean;
}

/**
 * One event per written row — registered for a new one, updated otherwise — staged in the outbox in
 * the caller's transaction (sent at least once, with the rows or not at all), and counted.
 */
export async function stageWrittenEvents<W extends Written>(
  ctx: ImportContext,
  em: EntityManager,
  types: { registered: string; updated: string },
  written: W[],
  data: (w: W) => object,
): Promise<void> {
  const time = new Date();
  const events = written.map((w) => newEvent(w.inserted ? types.registered : types.updated, w.id, data(w), time));
  await insertOutboxBatch(ctx.catalog, (sql, params) => rawQuery(em, sql, params), events);
  for (const w of written) {
    if (w.inserted) ctx.counts.inserted++;
    else ctx.counts.updated++;
  }
}
