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
