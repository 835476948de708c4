import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type KafkaMessage } from 'kafkajs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { initORM, type MikroORM } from '../db/orm';
import { EventCatalog } from '../events/catalog';
import { newEvent, type CloudEvent } from '../events/cloud-event';
import { createKafka, ensureTopics } from '../kafka/client';
import { createLogger } from '../logger';
import { rawQuery } from '../db/raw-query';
import { InboxConsumer, type InboxHandler } from './consumer';
import { collectTopic, eventually, stack } from '../../../test/support/stack';

const TYPE = 'vn.xhht.org.admin-unit.created.v1';
const unitEvent = (name: string): CloudEvent<{ name: string }> => {
  const id = randomUUID();
  return newEvent(TYPE, id, { id, code: 'C1', name, kind: 'NATION', parentId: null, validFrom: '2025-07-01', validTo: null });
};
const message = (e: CloudEvent) => ({ key: e.subject, value: JSON.stringify(e), headers: { ce_type: e.type } });

/** The inbox consumer alone, on the test stack's real PostgreSQL and Kafka, with handlers we control. */
describe('InboxConsumer', () => {
  const logger = createLogger('inbox-test', 'silent');
  let orm: MikroORM;
  const running: { stop: () => Promise<void> }[] = [];

  beforeAll(async () => {
    const url = new URL(stack().databaseUrls.org);
    url.pathname = '/xhht_test_inbox';
    orm = await initORM({ databaseUrl: url.toString(), entities: [], migrations: [], logger });
    await orm.em.fork().execute('drop table if exists effect');
    await orm.em
      .fork()
      .execute('create table effect (seq bigserial primary key, consumer_group text not null, event_id text not null, name text not null)');
  });

  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
    await orm?.close(true);
  });

  /**
   * A consumer group of its own on a fresh topic. Its handler records each event it applies in
   * `effect`, in the order applied, and fails for events named "always fails"; with `batchForm`
   * it also has a batch form that applies many events with one statement.
   */
  async function consumerOnFreshTopic(opts: { batchSize?: number; batchForm?: boolean } = {}) {
    const topic = `xhht.test.inbox.${randomUUID()}`;
    const dlt = `xhht.test.dlt.${randomUUID()}`;
    const groupId = `inbox-test-${randomUUID()}`;
    const kafka = createKafka({ clientId: 'inbox-test', brokers: stack().brokers, logger });
    await ensureTopics(kafka, [
      { topic, numPartitions: 1 },
      { topic: dlt, numPartitions: 1 },
    ]);
    const one = async (event: CloudEvent<any>, em: EntityManager) => {
      if (event.data.name === 'always fails') throw new Error('boom');
      await em.execute('insert into effect (consumer_group, event_id, name) values (?, ?, ?)', [groupId, event.id, event.data.name]);
    };
    const batchCalls: number[] = [];
    const many = async (events: CloudEvent<any>[], em: EntityManager) => {
      batchCalls.push(events.length);
      if (events.some((e) => e.data.name === 'always fails')) throw new Error('boom');
      await rawQuery(
        em,
        `insert into effect (consumer_group, event_id, name)
         select ?, e.value->>'event_id', e.value->>'name' from jsonb_array_elements(?::jsonb) with ordinality as e(value, ord)
         order by e.ord`,
        [groupId, JSON.stringify(events.map((e) => ({ event_id: e.id, name: e.data.name })))],
      );
    };
    const handler: InboxHandler = opts.batchForm ? { one, many } : one;
    const state: { fatal?: Error } = {};
    const consumer = new InboxConsumer({
      orm,
      kafka,
      catalog: new EventCatalog(),
      logger,
      groupId,
      topics: [topic],
      deadLetterTopic: dlt,
      maxAttempts: 3,
      batchSize: opts.batchSize,
      handlers: { [TYPE]: handler },
      onFatal: (err) => {
        state.fatal = err;
      },
    });
    await consumer.start();
    running.push(consumer);
    const dead = await collectTopic(dlt);
    running.push(dead);

    const em = orm.em.fork();
    return {
      groupId,
      state,
      batchCalls,
      dead: dead.messages as KafkaMessage[],
      async send(events: CloudEvent[]) {
        const producer = new Kafka({ clientId: 'inbox-test-producer', brokers: stack().brokers, logLevel: logLevel.NOTHING }).producer({
          createPartitioner: Partitioners.DefaultPartitioner,
        });
        await producer.connect();
        await producer.send({ topic, messages: events.map(message) });
        await producer.disconnect();
      },
      /** Names of the events applied, in the order applied. */
      effects: async () =>
        (await em.execute<{ name: string }[]>('select name from effect where consumer_group = ? order by seq', [groupId])).map(
          (r) => r.name,
        ),
      /** Waits until the event is in the inbox (processed or dead-lettered). */
      async done(event: CloudEvent, timeoutMs = 60000) {
        await eventually(
          async () => {
            const rows = await em.execute('select 1 from inbox where consumer_group = ? and event_id = ?', [groupId, event.id]);
            return rows.length > 0 ? true : undefined;
          },
          timeoutMs,
          `event ${event.id} in the inbox`,
        );
      },
      inbox: async () =>
        Object.fromEntries(
          (
            await em.execute<{ event_id: string; status: string }[]>('select event_id, status from inbox where consumer_group = ?', [
              groupId,
            ])
          ).map((r) => [r.event_id, r.status]),
        ),
      failures: async () =>
        em.execute<{ event_id: string; attempts: number }[]>('select event_id, attempts from inbox_failure where consumer_group = ?', [
          groupId,
        ]),
      /** Database transactions that wrote inbox rows (rows of one transaction share its start time). */
      transactions: async () =>
        Number(
          (
            await em.execute<{ n: string }[]>(
              `select count(distinct processed_at) as n from inbox where consumer_group = ? and status = 'processed'`,
              [groupId],
            )
          )[0]!.n,
        ),
    };
  }

  it('applies each event once, retries a failing handler a bounded number of times, then dead-letters it and goes on', async () => {
    const c = await consumerOnFreshTopic();
    const first = unitEvent('first');
    const failing = unitEvent('always fails');
    const last = unitEvent('last');
    await c.send([first, first, failing, last, first]);

    await c.done(last);
    await c.done(failing);
    const deadLettered = await eventually(
      async () => c.dead.find((m) => m.key?.toString() === failing.subject),
      30000,
      'the failing event in the DLT',
    );

    expect(await c.effects()).toEqual(['first', 'last']); // the three deliveries of "first" applied once
    expect(deadLettered.headers?.dlt_reason?.toString()).toBe('handler failed 3 times: boom');
    expect(deadLettered.headers?.dlt_attempts?.toString()).toBe('3');
    expect(await c.failures()).toEqual([{ event_id: failing.id, attempts: 3 }]);
    expect(await c.inbox()).toEqual({
      [first.id]: 'processed',
      [failing.id]: 'dead_lettered',
      [last.id]: 'processed',
    });
    expect(c.state.fatal).toBeUndefined();
  });

  describe.each([
    { what: 'in one chunk', batchSize: undefined, batchForm: false },
    { what: 'in chunks of 16', batchSize: 16, batchForm: false },
    { what: 'with the handler’s batch form', batchSize: undefined, batchForm: true },
  ])('a batch of many events $what', ({ batchSize, batchForm }) => {
    it('with a poison event in the middle: every other event applied once and in order, the poison one dead-lettered after its attempts', async () => {
      const c = await consumerOnFreshTopic({ batchSize, batchForm });
      const events = Array.from({ length: 120 }, (_, i) => unitEvent(`e${String(i).padStart(3, '0')}`));
      const poison = unitEvent('always fails');
      events.splice(57, 0, poison);
      await c.send(events);

      await c.done(events[events.length - 1]!);
      await c.done(poison);
      const good = events.filter((e) => e !== poison);
      expect(await c.effects()).toEqual(good.map((e) => e.data.name)); // once each, in offset order
      expect(await c.failures()).toEqual([{ event_id: poison.id, attempts: 3 }]);
      const inbox = await c.inbox();
      expect(Object.keys(inbox)).toHaveLength(events.length);
      expect(inbox[poison.id]).toBe('dead_lettered');
      expect(good.every((e) => inbox[e.id] === 'processed')).toBe(true);
      await eventually(async () => (c.dead.length > 0 ? true : undefined), 30000, 'the poison event in the DLT');
      await new Promise((r) => setTimeout(r, 1000));
      expect(c.dead.map((m) => m.key?.toString())).toEqual([poison.subject]);
      expect(c.dead[0]!.headers?.dlt_reason?.toString()).toBe('handler failed 3 times: boom');
      expect(c.state.fatal).toBeUndefined();
    });

    it('redelivered whole (same event ids): changes nothing', async () => {
      const c = await consumerOnFreshTopic({ batchSize, batchForm });
      const events = Array.from({ length: 100 }, (_, i) => unitEvent(`r${String(i).padStart(3, '0')}`));
      await c.send(events);
      await c.done(events[events.length - 1]!);
      const applied = await c.effects();
      expect(applied).toEqual(events.map((e) => e.data.name));
      // fewer transactions than events: they were applied in batches
      expect(await c.transactions()).toBeLessThanOrEqual(batchSize ? Math.ceil(events.length / batchSize) + 2 : 3);

      const marker = unitEvent('after the redelivery');
      await c.send([...events, marker]);
      await c.done(marker);
      expect(await c.effects()).toEqual([...applied, 'after the redelivery']);
      expect(Object.keys(await c.inbox())).toHaveLength(events.length + 1);
      expect(await c.failures()).toEqual([]);
      expect(c.dead).toEqual([]);
      if (batchForm) expect(c.batchCalls.reduce((a, b) => a + b, 0)).toBe(events.length + 1);
      expect(c.state.fatal).toBeUndefined();
    });
  });
});
