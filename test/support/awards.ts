import { randomUUID } from 'node:crypto';
import {
  AuthContext,
  EventCatalog,
  Outbox,
  ReplicaScope,
  createLogger,
  initORM,
  rawQuery,
  type CloudEvent,
  type MikroORM,
} from '@xhht/infra';
import { stack } from './stack';
import { migrations } from '../../services/awards/src/migrations';
import type { AwardRound, RoundForm } from '../../services/awards/src/rounds/award-round.repository';

/**
 * An ORM with awards' schema migrated on the test stack's PostgreSQL: on awards' own database (what
 * the running service holds), or on a database of its own named `database`.
 */
export async function awardsTestOrm(database?: string): Promise<MikroORM> {
  const url = new URL(stack().databaseUrls.awards);
  if (database) url.pathname = `/${database}`;
  return initORM({ databaseUrl: url.toString(), entities: [], migrations, logger: createLogger(database ?? 'awards-test', 'silent') });
}

/** The transaction awards' domain functions run in (the test package has no MikroORM of its own). */
type AwardsEm = Parameters<typeof rawQuery>[0];

/**
 * As a resolver's ctx.transact: `work` in one transaction as `auth`, with a scope on that
 * transaction, its events validated and staged in the outbox.
 */
export const transactAs =
  (orm: () => MikroORM) =>
  <T>(
    auth: AuthContext,
    work: (em: AwardsEm, auth: AuthContext, scope: ReplicaScope) => Promise<{ result: T; events: CloudEvent[] }>,
  ): Promise<T> => {
    const em = orm().em.fork() as unknown as AwardsEm;
    const scope = new ReplicaScope(em);
    return em.transactional(async (tx) => {
      const { result, events } = await work(tx as AwardsEm, auth, scope);
      for (const e of events) outbox.add(tx, e);
      return result;
    });
  };
const outbox = new Outbox(new EventCatalog());

/** The refusal a promise ends with: its code, message key and field (a promise that succeeds fails the test). */
export async function refusalOf(p: Promise<unknown>): Promise<{ code?: string; messageKey?: string; field?: string[] }> {
  const err = (await p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  )) as { extensions?: { code?: string; messageKey?: string; field?: string[] } };
  return { code: err.extensions?.code, messageKey: err.extensions?.messageKey, field: err.extensions?.field };
}

/** A unit in force from 2025-07-01, written straight into awards' hierarchy replica; returns its id. */
export async function replicaUnit(em: AwardsEm, kind: string, name: string, parentId: string | null): Promise<string> {
  const id = randomUUID();
  await rawQuery(
    em,
    `insert into admin_unit_version_replica (unit_id, valid_from, valid_to, name, kind, subtype, parent_id)
     values (?, '2025-07-01', null, ?, ?, ?, ?)`,
    [id, name, kind, kind, parentId],
  );
  return id;
}

/** An OPEN annual round of 2026 with the given forms, as eligibility sees it (recognitions and results for 2023–2025 are final by then). */
export const annualRound2026 = (forms: RoundForm[]): AwardRound => ({
  id: randomUUID(),
  scopeUnitId: randomUUID(),
  kind: 'ANNUAL',
  year: 2026,
  name: 'Khen thưởng Tuần lễ hưởng ứng học tập suốt đời 2026',
  status: 'OPEN',
  nominationDeadline: '2026-09-10',
  decisionDeadline: '2026-09-25',
  forms,
  createdAt: new Date(),
  createdBy: 'test',
  updatedAt: new Date(),
  updatedBy: 'test',
  openedAt: new Date(),
  openedBy: 'test',
  closedAt: null,
  closedBy: null,
});
