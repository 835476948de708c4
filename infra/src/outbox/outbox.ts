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
 * parameter for `outboxBatchInsertSql`; each row then gets its own id, subject and data.
 */
export function outboxEventTemplates(
  types: string[],
  time: Date = new Date(),
  commonData: Record<string, Record<string, unknown>> = {},
): string {
  const templates: Record<string, { envelope: Partial<CloudEvent>; topic: string }> = {};
  for (const type of types) {
    const envelope: Partial<CloudEvent> = { ...newEvent(type, '-', null, time) };
    delete envelope.id;
    delete envelope.subject;
    delete envelope.data;
    // fields every event of the type shares (e.g. the decision of a bulk grant), written once
    if (commonData[type]) envelope.data = commonData[type];
    templates[type] = { envelope, topic: eventTopic(serviceOfEventType(type)) };
  }
  return JSON.stringify(templates);
}

/**
 * What a batch row of the outbox holds: each event type's envelope once (what `newEvent` sets but
 * id, subject and data; its `data`, when there, holds fields every event of the type shares, and
 * each event's own data is laid over them), then each event as `[id, subject, type, data]`. Written in SQL by
 * `outboxBatchInsertSql`, read by the relay through `expandOutboxBatch`.
 */
export interface OutboxBatchPayload {
  envelopes: Record<string, Partial<CloudEvent>>;
  events: [id: string, subject: string, type: string, data: unknown][];
}

/** The CloudEvents of a batch row, in order: the same objects `newEvent` gives. */
export function expandOutboxBatch(batch: OutboxBatchPayload): CloudEvent[] {
  return batch.events.map(([id, subject, type, data]) => {
    const envelope = batch.envelopes[type];
    if (!envelope) throw new Error(`outbox batch has no envelope for ${type}`);
    const { data: common, ...rest } = envelope as Partial<CloudEvent<Record<string, unknown>>>;
    return { ...rest, id, subject, data: common ? { ...common, ...(data as Record<string, unknown>) } : data } as CloudEvent;
  });
}

/**
 * The events of a batch row as JSON text, each exactly `JSON.stringify` of what `expandOutboxBatch`
 * gives, for the relay: each type's envelope (and shared data) is serialized once, and each event
 * adds its own id, subject and data to it, which costs a third of building and serializing each
 * event whole (a decision of 100,000 recognitions is one batch row).
 */
export function serializeOutboxBatch(batch: OutboxBatchPayload): { id: string; subject: string; type: string; value: string }[] {
  const parts = new Map<string, { head: string; common?: Record<string, unknown>; commonJson?: string }>();
  for (const [type, envelope] of Object.entries(batch.envelopes)) {
    const { data: common, ...rest } = envelope as Partial<CloudEvent<Record<string, unknown>>>;
    const commonJson = common ? JSON.stringify(common).slice(1, -1) : '';
    parts.set(type, { head: JSON.stringify(rest).slice(0, -1), ...(commonJson ? { common, commonJson } : {}) });
  }
  return batch.events.map(([id, subject, type, data]) => {
    const p = parts.get(type);
    if (!p) throw new Error(`outbox batch has no envelope for ${type}`);
    let dataJson: string;
    const own = data as Record<string, unknown> | null;
    if (!p.common) dataJson = JSON.stringify(data);
    else if (own && typeof own === 'object' && !Array.isArray(own) && !Object.keys(own).some((k) => k in p.common!)) {
      const ownJson = JSON.stringify(own);
      dataJson = ownJson === '{}' ? `{${p.commonJson}}` : `{${p.commonJson},${ownJson.slice(1)}`;
    } else dataJson = JSON.stringify({ ...p.common, ...own });
    return { id, subject, type, value: `${p.head},"id":${JSON.stringify(id)},"subject":${JSON.stringify(subject)},"data":${dataJson}}` };
  });
}

/**
 * The statement parts that stage the events of `source`, an SQL relation (a CTE name, in the
 * caller's transaction) with the columns `subject text`, `event_type text` and `data jsonb`, as
 * one batch outbox row per topic (sent at least once, like any outbox row; the relay sends each
 * event as its own message). Each event is what `newEvent(event_type, subject, data, time)` gives,
 * with a random (v4) id; `templates` is the placeholder of the `outboxEventTemplates` parameter
 * (e.g. `$3`). An event type without a template gets a null topic, which the table refuses:
 * nothing is dropped silently.
 *
 * Why a row per batch, each envelope once: building a whole CloudEvent in jsonb for every row, and
 * writing it, cost a bulk import a third of its time.
 *
 * `built` is a CTE body (name it, e.g. `built as (${built})`) with `event_type` and `item` (the
 * event's `[id, subject, type, data]`) per event, so the caller can check some of them with
 * `expandOutboxBatch`; `insert(builtName)` stages them and returns `event_count`.
 */
export function outboxBatchInsertSql(source: string, templates: string): { built: string; insert: (built: string) => string } {
  // the templates are unpacked once per statement: OFFSET 0 keeps the planner from evaluating them per row
  const built = `select e.event_type, t.topic, t.created_at, jsonb_build_array(e.id, e.subject, e.event_type, e.data) as item
    from (select gen_random_uuid() as id, s.subject, s.event_type, s.data from ${source} s) e
    left join (select key as event_type, value ->> 'topic' as topic, (value -> 'envelope' ->> 'time')::timestamptz as created_at
               from jsonb_each(${templates}::jsonb) offset 0) t using (event_type)`;
  const insert = (b: string) => `insert into outbox (id, topic, message_key, event_type, payload, created_at, event_count, batch)
    select gen_random_uuid(), g.topic, null, string_agg(distinct g.event_type, ',' order by g.event_type),
      jsonb_build_object(
        'envelopes', (select jsonb_object_agg(key, value -> 'envelope') from jsonb_each(${templates}::jsonb) where value ->> 'topic' = g.topic),
        'events', jsonb_agg(g.item)),
      min(g.created_at), count(*), true
    from ${b} g group by g.topic
    returning event_count`;
  return { built, insert };
}
