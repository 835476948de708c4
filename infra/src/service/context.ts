import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthContext } from '../auth/auth-context';
import type { Logger } from '../logger';
import type { CloudEvent } from '../events/cloud-event';

/** What every resolver of every subgraph receives. `L` is the service's per-request DataLoaders. */
export interface ServiceContext<L = unknown> {
  auth: AuthContext;
  /** Forked for this request only (MikroORM RequestContext). */
  em: EntityManager;
  loaders: L;
  logger: Logger;
  /**
   * Runs `work` in one transaction; the events it returns are validated and written to the outbox
   * in that same transaction, and published after commit.
   */
  transact<T>(work: (em: EntityManager) => Promise<{ result: T; events: CloudEvent[] }>): Promise<T>;
}
