import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PROFILES, createLogger, repoRoot, type Logger } from '@xhht/infra';
import { databaseUrl, dropDatabases, startEmbeddedPostgres } from '@xhht/infra/dist/stack/postgres';

/** What a benchmark gets: a PostgreSQL server, a folder of its own for files, a logger. */
export interface BenchContext {
  /** Server URL without a database (see `freshDatabase`). */
  serverUrl: string;
  /** `.data/bench/<name>`: generated input files and the like. */
  dir: string;
  logger: Logger;
}

/** Progress and notes on stderr, so stdout carries the figures alone. */
export const say = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);

/** One result line on stdout, `name=value`; a benchmark prints its headline figure last. */
export const figure = (name: string, value: number | string): void => console.log(`${name}=${value}`);

/** Drops the database if it is there and returns the URL of that (not yet created) database. */
export async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  await dropDatabases(serverUrl, [name]);
  return databaseUrl(serverUrl, name);
}

/**
 * Runs a benchmark as a command: PostgreSQL the way the stack starts it (embedded, data under
 * `.data/bench/postgres`, on the test profile's port + 1000, shifted by XHHT_PORT_OFFSET like every
 * port), or the server at POSTGRES_URL; stops what it started and exits non-zero on failure.
 */
export function runBench(name: string, bench: (ctx: BenchContext) => Promise<void>): void {
  const main = async () => {
    const logger = createLogger('bench', process.env.LOG_LEVEL ?? 'warn');
    const root = path.join(repoRoot, '.data', 'bench');
    const dir = path.join(root, name);
    mkdirSync(dir, { recursive: true });
    let serverUrl = process.env.POSTGRES_URL;
    let stop = async (): Promise<void> => undefined;
    if (!serverUrl) {
      const port = PROFILES.test.postgresPort + 1000;
      const pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'postgres'), port, logger });
      serverUrl = pg.serverUrl;
      stop = () => pg.stop();
      say(`PostgreSQL (embedded) on port ${port}`);
    }
    try {
      await bench({ serverUrl, dir, logger });
    } finally {
      await stop();
    }
  };
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : String(err));
      process.exit(1);
    },
  );
}
