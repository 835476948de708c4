import { createLogger, initORM, type CloudEvent, type InboxHandler, type MikroORM } from '@xhht/infra';
import { stack } from './stack';
import { migrations } from '../../services/reporting/src/migrations';
import { INDICATORS, type Indicator } from '../../services/reporting/src/plans/indicators';
import { measureCounts } from '../../services/reporting/src/progress/progress-counts';
import { countedHierarchyHandlers, countedRecognitionHandlers } from '../../services/reporting/src/progress/progress-handlers';

/** The transaction a handler runs in (reporting's own EntityManager type). */
type EntityManager = Parameters<Extract<InboxHandler, { many: unknown }>['many']>[1];

/** Applies events as reporting's consumers do: each run of events sharing a handler at once, in order (read model, then recount). */
async function applyRuns(handlers: Record<string, InboxHandler>, events: CloudEvent[], em: EntityManager): Promise<void> {
  let run: CloudEvent[] = [];
  const flush = async () => {
    const handler = handlers[run[0]!.type];
    if (!handler || typeof handler === 'function') throw new Error(`no batch handler for ${run[0]!.type}`);
    await handler.many(run, em);
    run = [];
  };
  for (const event of events) {
    if (run.length && handlers[event.type] !== handlers[run[0]!.type]) await flush();
    run.push(event);
  }
  if (run.length) await flush();
}

/** Org's events (hierarchy and participants) through reporting's counted handlers. */
export const countedOrg = (events: CloudEvent[], em: EntityManager) => applyRuns(countedHierarchyHandlers, events, em);
/** Recognition's events through reporting's counted handlers. */
export const countedRecognitions = (events: CloudEvent[], em: EntityManager) => applyRuns(countedRecognitionHandlers, events, em);

/**
 * An ORM with reporting's schema migrated on the test stack's PostgreSQL: on reporting's own database
 * (what the running service holds), or on a database of its own named `database`.
 */
export async function reportingTestOrm(database?: string): Promise<MikroORM> {
  const url = new URL(stack().databaseUrls.reporting);
  if (database) url.pathname = `/${database}`;
  return initORM({ databaseUrl: url.toString(), entities: [], migrations, logger: createLogger(database ?? 'reporting-test', 'silent') });
}

export interface IndicatorCount {
  unitId: string;
  indicator: Indicator;
  numerator: number;
  denominator: number;
}

/**
 * For tests, the plan indicators' counts in a table: for each unit and each plan indicator, how many subjects in the unit and below it hold a valid
 * title for `year` (numerator) out of how many there are (denominator), on `asOf` (an ISO date);
 * what each counts is listed on `recomputeTallies`. Every unit asked for gets a row per indicator,
 * with zeros when empty.
 */
export async function indicatorCounts(
  em: EntityManager,
  unitIds: readonly string[],
  year: number,
  asOf: string,
): Promise<IndicatorCount[]> {
  const counts = await measureCounts(em, unitIds, [year], asOf);
  const key = (unitId: string, measure: string) => `${unitId}|${measure}`;
  const byKey = new Map(counts.map((c) => [key(c.unitId, c.measure), c]));
  return [...new Set(unitIds)].flatMap((unitId) =>
    INDICATORS.map((indicator) => {
      const c = byKey.get(key(unitId, indicator));
      return { unitId, indicator, numerator: c?.numerator ?? 0, denominator: c?.denominator ?? 0 };
    }),
  );
}
