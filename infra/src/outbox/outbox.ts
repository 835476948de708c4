import type { EntityManager } from '@mikro-orm/core';
import { OutboxMessage } from '../db/infra-entities';
import type { CloudEvent } from '../events/cloud-event';
import type { EventCatalog } from '../events/catalog';
import { eventTopic } from '../kafka/topics';
import { serviceOfEventType } from '../events/cloud-event';

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
