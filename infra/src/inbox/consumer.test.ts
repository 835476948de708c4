import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { initORM, type MikroORM } from '../db/orm';
import { EventCatalog } from '../events/catalog';
import { newEvent, type CloudEvent } from '../events/cloud-event';
import { createKafka, ensureTopics } from '../kafka/client';
import { createLogger } from '../logger';
import { InboxConsumer } from './consumer';
import { collectTopic, eventually, stack } from '../../../test/support/stack';

const TYPE = 'vn.xhht.org.admin-unit.created.v1';
const unitEvent = (name: string): CloudEvent => {
  const id = randomUUID();
  return newEvent(TYPE, id, { id, code: 'C1', name, kind: 'NATION', parentId: null, validFrom: '2025-07-01', validTo: null });
};

/** The inbox consumer alone, on the test stack's real PostgreSQL and Kafka, with a handler we control. */
describe('InboxConsumer', () => {
  const logger = createLogger('inbox-test', 'silent');
  const topic = `xhht.test.inbox.${randomUUID()}`;
  const dlt = `xhht.test.dlt.${randomUUID()}`;
  let orm: MikroORM;
  let consumer: InboxConsumer;
  let fatal: Error | undefined;

  beforeAll(async () => {
    const url = new URL(stack().databaseUrls.org);
    url.pathname = '/xhht_test_inbox';
    orm = await initORM({ databaseUrl: url.toString(), entities: [], migrations: [], logger });
    await orm.em.fork().execute('create table if not exists effect (event_id text not null, name text not null)');
    const kafka = createKafka({ clientId: 'inbox-test', brokers: stack().brokers, logger });
    await ensureTopics(kafka, [
      { topic, numPartitions: 1 },
      { topic: dlt, numPartitions: 1 },
    ]);
    consumer = new InboxConsumer({
      orm,
      kafka,
      catalog: new EventCatalog(),
      logger,
      groupId: `inbox-test-${randomUUID()}`,
      topics: [topic],
      deadLetterTopic: dlt,
      maxAttempts: 3,
      handlers: {
        [TYPE]: async (event, em) => {
          if (event.data.name === 'always fails') throw new Error('boom');
          await em.execute('insert into effect (event_id, name) values (?, ?)', [event.id, event.data.name]);
        },
      },
      onFatal: (err) => {
        fatal = err;
      },
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await orm?.close(true);
  });

  it('applies each event once, retries a failing handler a bounded number of times, then dead-letters it and goes on', async () => {
    const first = unitEvent('first');
    const failing = unitEvent('always fails');
    const last = unitEvent('last');
    const producer = new Kafka({ clientId: 'inbox-test-producer', brokers: stack().brokers, logLevel: logLevel.NOTHING }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const message = (e: CloudEvent) => ({ key: e.subject, value: JSON.stringify(e), headers: { ce_type: e.type } });
    await producer.send({ topic, messages: [first, first, failing, last, first].map(message) });
    await producer.disconnect();

    const dead = await collectTopic(dlt);
    try {
      const em = orm.em.fork();
      const effects = await eventually(
        async () => {
          const rows = await em.execute<{ name: string }[]>('select name from effect order by name');
          return rows.length >= 2 ? rows.map((r) => r.name) : undefined;
        },
        60000,
        'both good events applied',
      );
      const deadLettered = await eventually(
        async () => dead.messages.find((m) => m.key?.toString() === failing.subject),
        30000,
        'the failing event in the DLT',
      );

      expect(effects).toEqual(['first', 'last']); // the three deliveries of "first" applied once
      expect(deadLettered.headers?.dlt_reason?.toString()).toBe('handler failed 3 times: boom');
      expect(deadLettered.headers?.dlt_attempts?.toString()).toBe('3');
      const [failure] = await em.execute<{ attempts: number }[]>('select attempts from inbox_failure where event_id = ?', [failing.id]);
      expect(failure?.attempts).toBe(3);
      const statuses = await em.execute<{ event_id: string; status: string }[]>('select event_id, status from inbox');
      expect(Object.fromEntries(statuses.map((s) => [s.event_id, s.status]))).toEqual({
        [first.id]: 'processed',
        [failing.id]: 'dead_lettered',
        [last.id]: 'processed',
      });
      expect(fatal).toBeUndefined();
    } finally {
      await dead.stop();
    }
  });
});
