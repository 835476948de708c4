import { Client } from 'pg';
import { MikroORM, type EntitySchema, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { MigrationObject } from '@mikro-orm/core';
import type { Logger } from '../logger';
import { ensureDatabase } from './ensure-database';
import { infraEntities } from './infra-entities';
import { infraMigrations } from './infra-migrations';

export type { MikroORM };

export interface InitOrmOptions {
  databaseUrl: string;
  /** The service's own entities; outbox rows are added for every service. */
  entities: EntitySchema<any, any>[];
  /** The service's own migrations, in order; they run after the shared plumbing tables. */
  migrations: MigrationObject[];
  poolMax?: number;
  logger: Logger;
}

/**
 * One ORM per service process: creates the database if it is missing, then applies
 * migrations under an advisory lock so replicas booting together migrate exactly once.
 */
export async function initORM(options: InitOrmOptions): Promise<MikroORM> {
  await ensureDatabase(options.databaseUrl);
  const config: Options = {
    clientUrl: options.databaseUrl,
    entities: [...infraEntities, ...options.entities],
    extensions: [Migrator],
    migrations: {
      migrationsList: [...infraMigrations, ...options.migrations],
      transactional: true,
      allOrNothing: true,
      disableForeignKeys: false,
      snapshot: false,
    },
    pool: { min: 0, max: options.poolMax ?? 10 },
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ensureDatabase: false,
    logger: (message) => options.logger.debug({ orm: message }),
  };
  const orm = await MikroORM.init(config);
  await migrateUnderLock(orm, options.databaseUrl, options.logger);
  return orm;
}

const MIGRATION_LOCK = 7_423_001;

async function migrateUnderLock(orm: MikroORM, databaseUrl: string, logger: Logger): Promise<void> {
  const lock = new Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await orm.getMigrator().up();
    if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}

/** True when the database answers a trivial query. */
export async function databaseReachable(orm: MikroORM): Promise<boolean> {
  try {
    await orm.em.fork().execute('select 1');
    return true;
  } catch {
    return false;
  }
}
