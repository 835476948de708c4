import { EntitySchema } from '@mikro-orm/core';

/** A row of the transactional outbox: one CloudEvent waiting to be (or already) published. */
export class OutboxMessage {
  id!: string;
  seq?: string;
  topic!: string;
  messageKey!: string;
  eventType!: string;
  payload!: Record<string, unknown>;
  createdAt: Date = new Date();
  sentAt?: Date | null;
  attempts = 0;
  lastError?: string | null;
}

export const OutboxMessageSchema = new EntitySchema<OutboxMessage>({
  class: OutboxMessage,
  tableName: 'outbox',
  properties: {
    id: { type: 'uuid', primary: true },
    // assigned by the database sequence; the relay publishes in this order
    seq: { type: 'bigint', persist: false, nullable: true },
    topic: { type: 'text' },
    messageKey: { type: 'text', fieldName: 'message_key' },
    eventType: { type: 'text', fieldName: 'event_type' },
    payload: { type: 'json' },
    createdAt: { type: 'Date', fieldName: 'created_at' },
    sentAt: { type: 'Date', fieldName: 'sent_at', nullable: true },
    attempts: { type: 'integer' },
    lastError: { type: 'text', fieldName: 'last_error', nullable: true },
  },
});

export const infraEntities = [OutboxMessageSchema];
