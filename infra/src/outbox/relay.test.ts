import { randomInt, randomUUID } from 'node:crypto';
import { ConfigResourceTypes } from 'kafkajs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { initORM, type MikroORM } from '../db/orm';
import { rawQuery } from '../db/raw-query';
import { EventCatalog } from '../events/catalog';
import { newEvent, type CloudEvent } from '../events/cloud-event';
import { createKafka, ensureTopics } from '../kafka/client';
import { createLogger } from '../logger';
import { InboxConsumer } from '../inbox/consumer';
import { Outbox, outboxBatchInsertSql, outboxEventTemplates } from './outbox';
import { OutboxRelay } from './relay';
import { collectTopic, eventually, stack } from '../../../test/support/stack';

const TYPE = 'vn.xhht.org.admin-unit.created.v1';
const unitData = (id: string, name: string) => ({
  id,
  code: 'C1',
  name,
  kind: 'NATION',
  parentId: null,
  validFrom: '2025-07-01',
  validTo: null,
});

/** The outbox relay on the test stack's real PostgreSQL and Kafka, with a batch row staged as the bulk import stages one. */
describe('OutboxRelay', () => {
  const logger = createLogger('relay-test', 'silent');
  let orm: MikroORM;
  const running: { stop: () => Promise<void> }[] = [];

  beforeAll(async () => {
    const url = new URL(stack().databaseUrls.org);
    url.pathname = '/xhht_test_relay';
    orm = await initORM({ databaseUrl: url.toString(), entities: [], migrations: [], logger });
    await orm.em.fork().execute('drop table if exists effect');
    await orm.em.fork().execute('create table effect (seq bigserial primary key, event_id text not null, name text not null)');
    await orm.em.fork().execute('delete from outbox');
  });

  afterAll(async () => {
    for (const r of running.reverse()) await r.stop();
    await orm?.close(true);
  });

  /** Stages the events in one batch row for `topic`, with the SQL the bulk import uses. */
  async function stageBatch(topic: string, events: { subject: string; name: string }[]): Promise<void> {
    const templates = JSON.parse(outboxEventTemplates([TYPE])) as Record<string, { topic: string }>;
    templates[TYPE]!.topic = topic;
    // the templates as a literal: the statement refers to them twice (JSON of these values holds no quote)
    const sql = outboxBatchInsertSql('source', `'${JSON.stringify(templates)}'`);
    await rawQuery(
      orm.em.fork(),
      `with source as (
         select e.value ->> 'subject' as subject, ?::text as event_type,
           jsonb_build_object('id', e.value ->> 'subject', 'code', 'C1', 'name', e.value ->> 'name', 'kind', 'NATION',
             'parentId', null, 'validFrom', '2025-07-01', 'validTo', null) as data
         from jsonb_array_elements(?::jsonb) with ordinality as e(value, ord) order by e.ord),
       built as (${sql.built}),
       staged as (${sql.insert('built')})
       select * from staged`,
      [TYPE, JSON.stringify(events)],
    );
  }

  /** Stages one event in a row of its own, as every other write does. */
  async function stageOne(topic: string, name: string): Promise<CloudEvent> {
    const id = randomUUID();
    const event = newEvent(TYPE, id, unitData(id, name));
    const em = orm.em.fork();
    await em.transactional(async (tx: EntityManager) => {
      new Outbox(new EventCatalog()).add(tx, event);
    });
    // the row's topic follows the event type; this test reads its own topic
    await rawQuery(orm.em.fork(), 'update outbox set topic = ? where id = ?', [topic, event.id]);
    return event;
  }

  it('sends a batch row as one message per event, in order with the rows around it, and resends the whole row after a failure part way; the inbox applies each once', async () => {
    const topic = `xhht.test.relay.${randomUUID()}`;
    const dlt = `xhht.test.relay-dlt.${randomUUID()}`;
    const kafka = createKafka({ clientId: 'relay-test', brokers: stack().brokers, logger });
    // a small message limit on the topic makes one event of the batch fail, after the events before it were sent
    await ensureTopics(kafka, [
      { topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '1000' }] },
      { topic: dlt, numPartitions: 1 },
    ]);

    const before = await stageOne(topic, 'before');
    const long = 'Đệ'.repeat(100); // 500 bytes of name: over the topic's limit, where the others are well under
    const batch = ['b1', 'b2', 'b3', long, 'b5'].map((name) => ({ subject: randomUUID(), name }));
    await stageBatch(topic, batch);
    const after = await stageOne(topic, 'after');
    const [row] = await rawQuery<{ event_count: number; batch: boolean }[]>(
      orm.em.fork(),
      'select event_count, batch from outbox where topic = ? and batch',
      [topic],
    );
    expect(row).toEqual({ event_count: 5, batch: true });

    const seen = await collectTopic(topic);
    running.push(seen);
    const groupId = `relay-test-${randomUUID()}`;
    const consumer = new InboxConsumer({
      orm,
      kafka,
      catalog: new EventCatalog(),
      logger,
      groupId,
      topics: [topic],
      deadLetterTopic: dlt,
      maxAttempts: 3,
      handlers: {
        [TYPE]: async (event: CloudEvent<any>, em: EntityManager) => {
          await em.execute('insert into effect (event_id, name) values (?, ?)', [event.id, event.data.name]);
        },
      },
      onFatal: () => undefined,
    });
    await consumer.start();
    running.push(consumer);

    const relay = new OutboxRelay({
      orm,
      kafka,
      logger,
      lockKey: randomInt(1_000_000, 2_000_000),
      pollMs: 50,
      sendLimits: { messages: 1, bytes: 1 << 20 },
    });
    relay.start();
    running.push(relay);

    const names = () => seen.messages.map((m) => JSON.parse(m.value!.toString()).data.name as string);
    // the first pass sends what fits and fails on the long event: nothing is marked sent
    await eventually(async () => (names().includes('b3') ? true : undefined), 30000, 'the events before the failing one');
    await new Promise((r) => setTimeout(r, 500));
    expect(names().slice(0, 4)).toEqual(['before', 'b1', 'b2', 'b3']);
    expect(names().every((n) => ['before', 'b1', 'b2', 'b3'].includes(n))).toBe(true);
    const unsent = await rawQuery<{ n: string }[]>(orm.em.fork(), 'select count(*) as n from outbox where topic = ? and sent_at is null', [
      topic,
    ]);
    expect(unsent[0]!.n).toBe('3');

    // the broker takes the long event once the topic allows it: the next pass sends everything again, in order
    const admin = kafka.admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'max.message.bytes', value: '1048588' }] }],
    });
    await admin.disconnect();
    await eventually(async () => (names().includes('after') ? true : undefined), 60000, 'the whole outbox on the topic');

    const order = ['before', 'b1', 'b2', 'b3', long, 'b5', 'after'];
    const sent = names();
    expect(sent.slice(sent.lastIndexOf('before'))).toEqual(order);
    // each event of the batch row is a message of its own: keyed by its subject, its id in the header
    const last = seen.messages.slice(-order.length);
    batch.forEach((b, i) => {
      const m = last[i + 1]!;
      const event = JSON.parse(m.value!.toString()) as CloudEvent;
      expect(m.key!.toString()).toBe(b.subject);
      expect(m.headers!.ce_id!.toString()).toBe(event.id);
      expect(m.headers!.ce_type!.toString()).toBe(TYPE);
      expect(() => new EventCatalog().validate(event)).not.toThrow();
      expect(event).toEqual({ ...newEvent(TYPE, b.subject, unitData(b.subject, b.name), new Date(event.time)), id: event.id });
    });
    expect(JSON.parse(last[0]!.value!.toString()).id).toBe(before.id);
    expect(JSON.parse(last[6]!.value!.toString()).id).toBe(after.id);
    await eventually(
      async () => {
        const rows = await rawQuery<{ n: string }[]>(
          orm.em.fork(),
          'select count(*) as n from outbox where topic = ? and sent_at is null',
          [topic],
        );
        return rows[0]!.n === '0' ? true : undefined;
      },
      30000,
      'every row marked sent',
    );

    // delivered more than once, applied once: the inbox drops what it has by event id
    await eventually(
      async () => {
        const rows = await rawQuery<{ name: string }[]>(orm.em.fork(), 'select name from effect order by seq', []);
        return rows.length >= order.length ? rows : undefined;
      },
      60000,
      'every event applied',
    );
    await new Promise((r) => setTimeout(r, 1000));
    const applied = await rawQuery<{ name: string }[]>(orm.em.fork(), 'select name from effect order by seq', []);
    expect(applied.map((r) => r.name)).toEqual(order);
  });
});
