import { isDeepStrictEqual } from 'node:util';
import {
  EventCatalog,
  EventValidationError,
  expandOutboxBatch,
  outboxBatchInsertSql,
  outboxEventTemplates,
  type OutboxBatchPayload,
} from '@xhht/infra';

let loaded: EventCatalog | undefined;

/**
 * Events built in SQL for a set-based write, staged as one outbox batch row (see
 * `outboxBatchInsertSql`): `ctes(events)` are the statement's CTEs to append after the caller's,
 * where `events` is the caller's CTE with `subject`, `event_type` and `data`; the statement's
 * select list gets `eventCount` and `samples` (one event of each type, as the relay will send it).
 * The templates travel as one parameter, bound once in a leading CTE; `commonData` are fields every
 * event of a type shares, written once in the batch row (each event's own data is laid over them).
 */
export function sqlEvents(types: string[], commonData: Record<string, Record<string, unknown>> = {}) {
  const templates = outboxEventTemplates(types, new Date(), commonData);
  const outbox = outboxBatchInsertSql('events', '(select t from event_templates)');
  return {
    /** First CTE of the statement, with its one parameter `params[0]`. */
    templatesCte: 'event_templates as (select ?::jsonb as t)',
    params: [templates],
    ctes: `built as (${outbox.built}), staged as (${outbox.insert('built')})`,
    select: `(select coalesce(sum(event_count), 0) from staged)::int as event_count,
      array(select (select b.item from built b where b.event_type = t.event_type limit 1) from (select distinct event_type from built) t) as samples`,
    /**
     * Checks, inside the transaction, what the statement staged: one event per row written, and
     * one of each type valid against the catalog and equal to the domain's payload function.
     */
    check(result: { event_count: number; samples: OutboxBatchPayload['events'] }, rows: number, domainData: (data: any) => object): void {
      if (result.event_count !== rows) throw new Error(`${rows} rows written but ${result.event_count} events staged`);
      const envelopes = Object.fromEntries(Object.entries(JSON.parse(templates)).map(([type, t]: [string, any]) => [type, t.envelope]));
      const catalog: EventCatalog = (loaded ??= new EventCatalog());
      for (const event of expandOutboxBatch({ envelopes, events: result.samples })) {
        catalog.validate(event);
        if (!isDeepStrictEqual(domainData(event.data), event.data)) {
          throw new EventValidationError(
            `data of ${event.type} differs from the domain's payload: ${JSON.stringify(event.data)}`,
            event.type,
          );
        }
      }
    },
  };
}
