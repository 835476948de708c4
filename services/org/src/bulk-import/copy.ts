import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { MikroORM } from '@xhht/infra';

/** The driver's connection, for COPY and for statements with `$n` parameters. */
export type BulkClient = ClientBase;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY's text format; null is `\N`. */
export function copyValue(v: string | number | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : v;
}

/** One row in COPY's text format, line break included. */
export const copyLine = (values: (string | number | null)[]): string => `${values.map(copyValue).join('\t')}\n`;

/** Streams rows (COPY text format) into `table (columns)`. */
export async function copyRows(client: BulkClient, table: string, columns: string[], lines: string[]): Promise<void> {
  const chunks = (function* () {
    for (let i = 0; i < lines.length; i += 1000) yield Buffer.from(lines.slice(i, i + 1000).join(''), 'utf8');
  })();
  await pipeline(Readable.from(chunks), client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)));
}

const tempTables = new WeakMap<BulkClient, Set<string>>();

/**
 * Runs `work` in one transaction on a pooled connection of its own, after creating the session's
 * temporary tables it needs (`name` → column list; emptied at every commit, never logged).
 * The commit does not wait for the disk (synchronous_commit off), so the next batch need not
 * either: the import makes them all durable at its end with `flushBatchCommits`.
 */
export async function bulkTransaction<T>(
  orm: MikroORM,
  temp: Record<string, string>,
  work: (client: BulkClient) => Promise<T>,
): Promise<T> {
  const knex = orm.em.getConnection().getKnex();
  const client = (await knex.client.acquireConnection()) as BulkClient;
  try {
    const created = tempTables.get(client) ?? new Set<string>();
    tempTables.set(client, created);
    for (const [name, columns] of Object.entries(temp)) {
      if (created.has(name)) continue;
      // outside the transaction, so a rolled-back batch does not take the table with it
      await client.query(`create temp table if not exists ${name} (${columns}) on commit delete rows`);
      created.add(name);
    }
    await client.query('begin');
    try {
      await client.query('set local synchronous_commit = off');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    }
  } finally {
    await knex.client.releaseConnection(client);
  }
}

/**
 * Makes every batch committed so far durable: a transaction of its own, given an id and committed
 * with synchronous_commit on, waits for the WAL to be flushed up to its commit record, which comes
 * after every earlier batch's. Until then a server crash could lose the last batches (never part
 * of one); a re-run, which is idempotent, would load them again.
 */
export async function flushBatchCommits(orm: MikroORM): Promise<void> {
  await orm.em
    .getConnection()
    .getKnex()
    .transaction(async (trx) => {
      await trx.raw('set local synchronous_commit = on');
      await trx.raw('select pg_current_xact_id()');
    });
}
