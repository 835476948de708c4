import type { EntityManager } from '@mikro-orm/core';
import { OutboxMessage } from '../db/infra-entities';
import { newEvent, serviceOfEventType, type CloudEvent } from '../events/cloud-event';
import type { EventCatalog } from '../events/catalog';
import { eventTopic } from '../kafka/topics';

/**
 * Transactional outbox. Events are sent at least once, processed exactly once:
 * the event is persisted through the same EntityManager as the domain change, so both
 * commit in one transaction or neither does; the relay publishes it afterwards.
 */
export class Outbox {
  constructor(private readonly catalog: EventCatalog) {}

  /** Validates the event against its schema and stages it in the caller's unit of work. */
  add(em: EntityManager, event: CloudEvent): void {
    this.catalog.validate(event);
    const row = new OutboxMessage();
    row.id = event.id;
    row.topic = eventTopic(serviceOfEventType(event.type));
    row.messageKey = event.subject;
    row.eventType = event.type;
    row.payload = event as unknown as Record<string, unknown>;
    row.createdAt = new Date(event.time);
    em.persist(row);
  }
}

/**
 * Stages many events with one INSERT per call, for bulk imports where persisting an entity per
 * event would dominate the cost. `execute` runs in the caller's transaction (pass the
 * transactional EntityManager's `execute`), so the guarantee is the same as `Outbox.add`.
 */
export async function insertOutboxBatch(
  catalog: EventCatalog,
  execute: (sql: string, params: unknown[]) => Promise<unknown>,
  events: CloudEvent[],
): Promise<void> {
  if (events.length === 0) return;
  for (const event of events) catalog.validate(event);
  // one jsonb parameter: the query builder would expand a JS array into a list of parameters
  const rows = events.map((e) => ({
    id: e.id,
    topic: eventTopic(serviceOfEventType(e.type)),
    message_key: e.subject,
    event_type: e.type,
    payload: e,
    created_at: e.time,
  }));
  await execute(
    `insert into outbox (id, topic, message_key, event_type, payload, created_at)
     select id, topic, message_key, event_type, payload, created_at
     from jsonb_to_recordset(?::jsonb) as x(id uuid, topic text, message_key text, event_type text, payload jsonb, created_at timestamptz)`,
    [JSON.stringify(rows)],
  );
}

/**
 * For bulk writers that build their rows in SQL and want to build the events there too, instead
 * of one CloudEvent object per row in JavaScript. Per event type, the envelope `newEvent` gives at
 * `time` (specversion, source, type, time, datacontenttype, dataschema) and the topic, as one jsonb
 * parameter for `outboxInsertSql`; each row then gets its own id, subject and data.
 */
export function outboxEventTemplates(types: string[], time: Date = new Date()): string {
  const templates: Record<string, { envelope: Partial<CloudEvent>; topic: string }> = {};
  for (const type of types) {
    const envelope: Partial<CloudEvent> = { ...newEvent(type, '-', null, time) };
    delete envelope.id;
    delete envelope.subject;
    delete envelope.data;
    templates[type] = { envelope, topic: eventTopic(serviceOfEventType(type)) };
  }
  return JSON.stringify(templates);
}

/**
 * The envelope attributes `outboxInsertSql` takes from the templates: all that `newEvent` sets
 * but id, subject and data (CloudEvents attribute names are lower-case letters and digits; these
 * values are strings, which the SQL copies as text).
 */
const sampleEvent = newEvent('vn.xhht.org.outbox.template.v1', '-', null) as unknown as Record<string, unknown>;
const TEMPLATED_ATTRIBUTES = Object.keys(sampleEvent).filter((k) => !['id', 'subject', 'data'].includes(k));
if (!TEMPLATED_ATTRIBUTES.every((k) => /^[a-z0-9]+$/.test(k) && typeof sampleEvent[k] === 'string'))
  throw new Error(`outboxInsertSql cannot copy the envelope attributes ${TEMPLATED_ATTRIBUTES.join(', ')}`);

/**
 * The INSERT that stages one outbox row per row of `source`, an SQL relation (a CTE name, in the
 * caller's transaction) with the columns `subject text`, `event_type text` and `data jsonb`:
 * the same columns and the same payload as `insertOutboxBatch` writes for
 * `newEvent(event_type, subject, data, time)`, with a random (v4) id per event. `templates` is the
 * placeholder of the `outboxEventTemplates` parameter (e.g. `$3`). An event type without a
 * template gets a null topic, which the table refuses: nothing is dropped silently.
 * It returns `id, event_type` of every row it stages, so the caller can read some back to validate them.
 */
export function outboxInsertSql(source: string, templates: string): string {
  // The templates are unpacked once per statement (OFFSET 0 keeps the planner from evaluating
  // their expressions for every row) and each payload is built by one jsonb_build_object.
  const attributes = TEMPLATED_ATTRIBUTES.map((k) => `'${k}', t."${k}"`).join(', ');
  const columns = TEMPLATED_ATTRIBUTES.map((k) => `value -> 'envelope' ->> '${k}' as "${k}"`).join(', ');
  return `insert into outbox (id, topic, message_key, event_type, payload, created_at)
    select e.id, t.topic, e.subject, e.event_type,
      jsonb_build_object(${attributes}, 'id', e.id, 'subject', e.subject, 'data', e.data), t.created_at
    from (select gen_random_uuid() as id, s.subject, s.event_type, s.data from ${source} s) e
    left join (select key as event_type, value ->> 'topic' as topic, (value -> 'envelope' ->> 'time')::timestamptz as created_at,
                 ${columns}
               from jsonb_each(${templates}::jsonb) offset 0) t using (event_type)
    returning id, event_type`;
}
