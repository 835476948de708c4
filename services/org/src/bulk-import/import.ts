import type { EventCatalog, MikroORM } from '@xhht/infra';
import { clanImporter } from './clans';
import { mapColumns, type ColumnMap } from './columns';
import { ErrorSink, ImportContext } from './context';
import { flushBatchCommits } from './copy';
import { countLines, readCsv } from './csv';
import { householdImporter } from './households';
import type { ImportKind, ImporterFactory } from './kind';
import { organizationImporter } from './organizations';
import { personImporter } from './persons';
import { Progress } from './progress';

export interface ImportOptions {
  orm: MikroORM;
  catalog: EventCatalog;
  kind: ImportKind;
  file: string;
  /** Where rejected rows are reported; written only when some row is rejected. */
  errorsFile: string;
  actor: string;
  /** Units must be in force on this date; today by default. */
  asOf?: string;
  batchSize?: number;
  /** Batches written at the same time (the kind's own choice by default). */
  concurrency?: number;
  /** null: no progress output. */
  progress?: NodeJS.WriteStream | null;
}

export interface ImportResult {
  kind: ImportKind;
  /** Data rows read (blank lines aside). */
  rows: number;
  accepted: number;
  rejected: number;
  /** Households, persons, clans or organizations (a clan spans several rows). */
  inserted: number;
  updated: number;
  unchanged: number;
  /** Set when rows were rejected. */
  errorsFile?: string;
  ignoredColumns: string[];
  seconds: number;
}

const FACTORIES: Record<ImportKind, ImporterFactory> = {
  households: householdImporter as ImporterFactory,
  persons: personImporter as ImporterFactory,
  clans: clanImporter as ImporterFactory,
  organizations: organizationImporter as ImporterFactory,
};

export const KIND_LABELS: Record<ImportKind, string> = {
  households: 'Hộ gia đình',
  persons: 'Công dân',
  clans: 'Dòng họ',
  organizations: 'Tổ chức',
};

/**
 * Loads one CSV file of participants. Rows are checked while the file streams in; every
 * `batchSize` accepted rows go to the database in one transaction while the next batch is being
 * parsed. Kinds whose batches do not depend on each other write several at once (on as many
 * connections); the others keep the file's order with one batch in flight. Rejected rows go to the
 * error report; good rows load regardless. Throws only on a fatal problem (unreadable file,
 * missing required column, database failure).
 */
export async function importParticipants(options: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 5000;
  const today = options.asOf ?? new Date().toISOString().slice(0, 10);
  const errors = new ErrorSink();
  const ctx = new ImportContext(options.orm, options.catalog, options.actor, today, errors);
  let columns: ColumnMap<string> | undefined;
  const importer = FACTORIES[options.kind](ctx, () => columns!);
  const progress = new Progress(Math.max(countLines(options.file) - 1, 0), KIND_LABELS[options.kind], options.progress ?? null);

  let rows = 0;
  // batches being written; a kind whose batches do not depend on each other allows more than one
  const inflight = new Set<Promise<void>>();
  const concurrency = options.concurrency ?? importer.concurrency ?? 1;
  let failure: unknown;
  const send = async (batch: unknown[]) => {
    while (inflight.size >= concurrency) await Promise.race(inflight);
    if (failure) throw failure;
    const write: Promise<void> = importer
      .write(batch)
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => inflight.delete(write));
    inflight.add(write);
  };

  try {
    for await (const records of readCsv(options.file)) {
      for (const rec of records) {
        if (!columns) {
          columns = mapColumns(importer.columns, rec.fields);
          continue;
        }
        const values: Record<string, string> = {};
        for (const spec of importer.columns) {
          const i = columns.index[spec.field]!;
          values[spec.field] = i >= 0 ? (rec.fields[i] ?? '').trim() : '';
        }
        rows++;
        importer.add(rec.row, values);
        const batch = importer.take(batchSize);
        if (batch) await send(batch);
      }
      progress.update(rows);
    }
  } catch (err) {
    // a batch still being written must not outlive the import (the caller closes the database)
    await Promise.all(inflight);
    await flushBatchCommits(options.orm).catch(() => undefined);
    throw err;
  }
  await Promise.all(inflight);
  // what was loaded is on disk before the import reports, whether it succeeded or not
  try {
    if (failure) throw failure;
    if (!columns) throw new Error('Tệp trống: không có dòng tiêu đề');
    await importer.finish();
  } catch (err) {
    await flushBatchCommits(options.orm).catch(() => undefined);
    throw err;
  }
  await flushBatchCommits(options.orm);
  progress.done(rows);

  const rejected = errors.rejectedRows;
  let errorsFile: string | undefined;
  if (rejected > 0) {
    errors.write(options.errorsFile);
    errorsFile = options.errorsFile;
  }
  const accepted = rows - rejected;
  return {
    kind: options.kind,
    rows,
    accepted,
    rejected,
    inserted: ctx.counts.inserted,
    updated: ctx.counts.updated,
    unchanged: (ctx.counts.records ?? accepted) - ctx.counts.inserted - ctx.counts.updated,
    errorsFile,
    ignoredColumns: columns.ignored,
    seconds: (Date.now() - started) / 1000,
  };
}
