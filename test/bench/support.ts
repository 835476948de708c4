import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Client } from 'pg';
import {
  EventCatalog,
  PROFILES,
  consumerGroupLag,
  createLogger,
  initORM,
  repoRoot,
  startStack,
  type Logger,
  type MikroORM,
  type Role,
  type StackHandle,
  type StackState,
} from '@xhht/infra';
import { databaseUrl, dropDatabases, startEmbeddedPostgres } from '@xhht/infra/dist/stack/postgres';
import { AdminUnitSchema, AdminUnitVersionSchema } from '@xhht/org/dist/admin-units/admin-unit.entity';
import { AdminUnitChangeSchema, AdminUnitChangeUnitSchema } from '@xhht/org/dist/admin-units/admin-unit-change.entity';
import { migrations } from '@xhht/org/dist/migrations';
import { buildReferencePlan } from '@xhht/org/dist/reference-data/clean';
import { importReferencePlan } from '@xhht/org/dist/reference-data/import-units';
import { loadReferenceSource } from '@xhht/org/dist/reference-data/source';

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

/** The Learning Family criteria set seeded assessments name: a published one when the criteria module ships them, else any id. */
export async function criteriaSet(db: Client): Promise<string> {
  const [{ table }] = (await db.query(`select to_regclass('criteria_set') is not null as table`)).rows as [{ table: boolean }];
  if (table) {
    const found = await db
      .query(`select id from criteria_set where title = 'LEARNING_FAMILY' order by id limit 1`)
      .catch(() => ({ rows: [] }));
    if (found.rows[0]) return (found.rows[0] as { id: string }).id;
  }
  return randomUUID();
}

/** Who decides Learning Family for households on `date`, from recognition's shipped authority rules. */
export async function decidingRole(db: Client, date: string): Promise<Role> {
  const found = await db.query(
    `select deciding_role from recognition_authority_rule
     where title = 'LEARNING_FAMILY' and subject_level = 'HOUSEHOLD' and valid_from <= $1 and (valid_to is null or valid_to >= $1)`,
    [date],
  );
  const role = (found.rows[0] as { deciding_role?: Role } | undefined)?.deciding_role;
  if (!role) throw new Error('no shipped authority rule decides Learning Family for households');
  return role;
}

export const sleep = (msValue: number) => new Promise((r) => setTimeout(r, msValue));

/** Nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** `requests` sequential calls after `warmup` untimed ones (each told its number, warm-up included): mean, p50 and p99 in ms. */
export async function timed(warmup: number, requests: number, call: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  for (let i = 0; i < warmup + requests; i++) {
    const t0 = performance.now();
    await call(i);
    if (i >= warmup) latencies.push(performance.now() - t0);
  }
  return { mean: latencies.reduce((a, b) => a + b, 0) / requests, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/**
 * Waits (at most 15 minutes) until no autovacuum worker has run for 5 s on the stack's server:
 * after the seeding, PostgreSQL vacuums and analyses the tables it filled, on the same two cores as
 * the services. Returns the seconds waited.
 */
export async function settle(db: Client): Promise<number> {
  const t0 = Date.now();
  let quietSince = Date.now();
  let lastSaid = 0;
  while (Date.now() - quietSince < 5000) {
    const { rows } = await db.query<{ query: string }>(`select query from pg_stat_activity where backend_type = 'autovacuum worker'`);
    if (rows.length > 0) {
      quietSince = Date.now();
      if (Date.now() - lastSaid > 10_000) {
        say(`waiting for autovacuum: ${rows.map((r) => r.query).join('; ')}`);
        lastSaid = Date.now();
      }
    }
    if (Date.now() - t0 > 15 * 60_000) {
      say('autovacuum still running after 15 minutes; timing anyway');
      break;
    }
    await sleep(500);
  }
  return Number(((Date.now() - t0) / 1000).toFixed(1));
}

export const count = async (db: Client, sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]!.n);

export type BenchGql = <T>(query: string, variables: Record<string, unknown>, token: string) => Promise<T>;

/** What a benchmark on the whole system works with (see `onStack`). */
export interface StackBench {
  state: StackState;
  /** A connection to one of the stack's databases, ended with the run. */
  connect(url: string): Promise<Client>;
  kafka: Kafka;
  /** Messages of `topic` the consumer group has not committed yet (`consumerGroupLag`). */
  lag(groupId: string, topic: string): Promise<number>;
  /** A GraphQL request to the gateway with `token`; its data, or an error naming the errors. */
  gql: BenchGql;
}

/**
 * Starts the whole system as the `bench` stack profile (fresh databases and broker), runs `work` on
 * it, and stops everything afterwards: on success, on failure, and on Ctrl-C or a kill.
 */
export async function onStack(clientId: string, logger: Logger, work: (bench: StackBench) => Promise<void>): Promise<void> {
  const started = Date.now();
  let stack: StackHandle | undefined;
  const clients: Client[] = [];
  let admin: Admin | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`${signal}: stopping the stack`);
      void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
    });
  }
  try {
    stack = await startStack(PROFILES.bench, logger);
    const state = stack.state;
    say(`stack up in ${Math.round((Date.now() - started) / 1000)} s, gateway ${state.gatewayUrl}`);
    const connect = async (url: string) => {
      const c = new Client({ connectionString: url });
      // stopping the stack ends these connections from the server side; that is no failure of the run
      c.on('error', (err) => say(`database connection: ${err.message}`));
      await c.connect();
      clients.push(c);
      return c;
    };
    const kafka = new Kafka({ clientId, brokers: state.brokers, logLevel: logLevel.NOTHING });
    const connected = kafka.admin();
    await connected.connect();
    admin = connected;
    const gql: BenchGql = async (query, variables, token) => {
      const res = await fetch(state.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: unknown; errors?: unknown };
      if (body.errors || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors ?? body)}`);
      return body.data as never;
    };
    await work({ state, connect, kafka, lag: (groupId, topic) => consumerGroupLag(connected, groupId, topic), gql });
  } finally {
    await admin?.disconnect().catch(() => undefined);
    for (const c of clients) await c.end().catch(() => undefined);
    await stack?.stop();
  }
}

export async function waitFor(what: string, seconds: number, check: () => Promise<{ done: boolean; note: string }>): Promise<void> {
  const t0 = Date.now();
  let lastSaid = 0;
  for (;;) {
    const { done, note } = await check();
    if (done) return say(`${what}: done after ${Math.round((Date.now() - t0) / 1000)} s (${note})`);
    if (Date.now() - t0 > seconds * 1000) throw new Error(`waited ${seconds} s for ${what}: ${note}`);
    if (Date.now() - lastSaid > 10_000) {
      say(`waiting for ${what}: ${note}`);
      lastSaid = Date.now();
    }
    // counting rows is not free: the consumers being waited for share the machine
    await sleep(1000);
  }
}

/** org's ORM over its database, for seeding through org's own code (close it when done). */
export const orgOrm = (url: string, logger: Logger): Promise<MikroORM> =>
  initORM({
    databaseUrl: url,
    entities: [AdminUnitSchema, AdminUnitVersionSchema, AdminUnitChangeSchema, AdminUnitChangeUnitSchema],
    migrations,
    poolMax: 4,
    logger,
  });

/**
 * The reference hierarchy (34 provinces, 3,321 communes from 2025-07-01, with the former tree and
 * the 2025 merges) through org's reference import, its events in org's outbox for the relay.
 */
export async function importReferenceNation(orm: MikroORM, catalog = new EventCatalog()): Promise<void> {
  const written = await importReferencePlan(orm.em.fork(), catalog, buildReferencePlan(loadReferenceSource()), 'bench');
  say(`${written.unitsWritten} units, ${written.changesWritten} changes, ${written.events} events written by the reference import`);
}
