import { createLogger, initORM, type MikroORM } from '@xhht/infra';
import { stack } from './stack';
import { migrations } from '../../services/awards/src/migrations';

/**
 * An ORM with awards' schema migrated on the test stack's PostgreSQL: on awards' own database (what
 * the running service holds), or on a database of its own named `database`.
 */
export async function awardsTestOrm(database?: string): Promise<MikroORM> {
  const url = new URL(stack().databaseUrls.awards);
  if (database) url.pathname = `/${database}`;
  return initORM({ databaseUrl: url.toString(), entities: [], migrations, logger: createLogger(database ?? 'awards-test', 'silent') });
}
