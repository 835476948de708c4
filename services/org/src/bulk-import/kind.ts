import type { ColumnMap, ColumnSpec } from './columns';
import type { ImportContext } from './context';

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
