import { randomUUID } from 'node:crypto';
import { createLogger } from '../logger';
import { consumerGroupLag, createKafka, ensureTopics } from './client';
import { eventually, stack } from '../../../test/support/stack';

/** Consumer-group lag on the test stack's real broker: what `npm start` and the benchmarks wait on. */
describe('consumerGroupLag', () => {
  it('counts what a group has not committed: everything before its first commit, nothing once it caught up, only the new after that', async () => {
    const logger = createLogger('kafka-test', 'silent');
    const kafka = createKafka({ clientId: 'lag-test', brokers: stack().brokers, logger });
    const topic = `xhht.test.lag.${randomUUID()}`;
    const groupId = `xhht.test.lag.${randomUUID()}`;
    await ensureTopics(kafka, [{ topic, numPartitions: 2 }]);
    const admin = kafka.admin();
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId });
    await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
    try {
      const send = (n: number) =>
        producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: String(i) })) });
      await send(5);
      expect(await consumerGroupLag(admin, groupId, topic)).toBe(5);

      let read = 0;
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async () => void read++ });
      await eventually(
        async () => ((await consumerGroupLag(admin, groupId, topic)) === 0 ? true : undefined),
        30000,
        'the group to commit',
      );
      expect(read).toBe(5);

      await consumer.stop();
      await send(2);
      expect(await consumerGroupLag(admin, groupId, topic)).toBe(2);
    } finally {
      await Promise.all([consumer.disconnect(), producer.disconnect()]);
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
