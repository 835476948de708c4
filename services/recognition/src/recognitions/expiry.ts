import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, startPeriodic, todayInVietnam, type Logger, type MikroORM } from '@xhht/infra';
import { RECOGNITION_EXPIRED, expiredData, expiredDataSql } from './recognition.events';
import { sqlEvents } from './sql-events';

/** Recognitions marked per statement; a larger backlog takes several. */
const CHUNK = 10_000;

/**
 * Marks active recognitions past their last valid day (before `today`, Vietnam time) as EXPIRED and
 * stages one expired event for each, in the same statement and transaction. Exactly once, even
 * with several service instances sweeping together: a row is taken only while ACTIVE, under its
 * row lock (`for update skip locked`: another sweeper's or a revocation's rows are left to them),
 * and once it commits as EXPIRED no sweep takes it again. Returns how many it expired.
 */
export async function expireRecognitions(em: EntityManager, today: string = todayInVietnam()): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await em.fork().transactional(async (tx) => {
      const ev = sqlEvents([RECOGNITION_EXPIRED]);
      const [r] = await rawQuery<{ expired: number; event_count: number; samples: [string, string, string, unknown][] }[]>(
        tx as EntityManager,
        `with ${ev.templatesCte},
         due as (
           select id from recognition where status = 'ACTIVE' and valid_to < ?::date
           order by valid_to limit ? for update skip locked
         ),
         x as (
           update recognition r set status = 'EXPIRED', expired_at = now()
           from due where r.id = due.id and r.status = 'ACTIVE'
           returning r.id, r.decision_id, r.subject_kind, r.subject_id, r.title, r.level, r.year, r.valid_to
         ),
         events as (select x.subject_id::text as subject, '${RECOGNITION_EXPIRED}'::text as event_type, ${expiredDataSql('x')} as data from x),
         ${ev.ctes}
         select (select count(*) from x)::int as expired, ${ev.select}`,
        [...ev.params, today, CHUNK],
      );
      ev.check(r!, r!.expired, expiredData);
      return r!.expired;
    });
    total += n;
    if (n < CHUNK) return total;
  }
}

/** Runs the sweep every `intervalMs` (and once at start) until stopped; failures are logged and retried next time. */
export const startExpirySweeper = (orm: MikroORM, intervalMs: number, logger: Logger) =>
  startPeriodic(
    'recognition expiry sweep',
    intervalMs,
    async () => {
      const n = await expireRecognitions(orm.em.fork() as EntityManager);
      if (n > 0) logger.info({ expired: n }, 'recognitions expired');
    },
    logger,
  );

/** RECOGNITION_EXPIRY_SWEEP_MS: how often the sweep runs (default hourly; at least a second). */
export function expirySweepMs(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.RECOGNITION_EXPIRY_SWEEP_MS ?? 3_600_000);
  if (!Number.isInteger(ms) || ms < 1000)
    throw new Error(`RECOGNITION_EXPIRY_SWEEP_MS must be an integer ≥ 1000, got ${env.RECOGNITION_EXPIRY_SWEEP_MS}`);
  return ms;
}
