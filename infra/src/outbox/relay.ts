import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger';

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  event_type: string;
  payload: Record<string, unknown>;
}

export interface OutboxRelayOptions {
  orm: MikroORM;
  kafka: Kafka;
  logger: Logger;
  /** Distinct per service: only one relay of a service publishes at a time, which keeps the outbox order. */
  lockKey: number;
  pollMs?: number;
  batchSize?: number;
  /** Sent rows older than this are deleted. */
  retainSentMs?: number;
}

/**
 * Publishes outbox rows to Kafka in commit order: idempotent producer, acks from all in-sync
 * replicas, then marks them sent. Sent at least once: a crash between send and mark resends,
 * and consumers drop the duplicate by event id. While the broker is down, rows wait and the
 * service keeps accepting writes; the relay backs off and retries until the broker returns.
 */
export class OutboxRelay {
  private producer?: Producer;
  private connected = false;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private failures = 0;
  private lastCleanup = 0;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly log: Logger;

  constructor(private readonly opts: OutboxRelayOptions) {
    this.pollMs = opts.pollMs ?? 200;
    this.batchSize = opts.batchSize ?? 500;
    this.log = opts.logger.child({ component: 'outbox-relay' });
  }

  /** True once the producer has reached the broker and the last publish did not fail. */
  get healthy(): boolean {
    return this.connected && this.failures === 0;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Called after a commit that wrote outbox rows, so they go out without waiting for the next poll. */
  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
    if (this.producer) await this.producer.disconnect().catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        published = await this.publishBatch();
        if (this.failures > 0) this.log.info({ afterFailures: this.failures }, 'outbox relay recovered');
        this.failures = 0;
        await this.cleanup();
      } catch (err) {
        this.failures++;
        this.connected = false;
        // warn, not error: a broker outage is expected and nothing is lost
        if (this.failures === 1 || this.failures % 20 === 0) {
          this.log.warn({ err: (err as Error).message, failures: this.failures }, 'outbox publish failed; will retry');
        }
        await this.resetProducer();
      }
      if (published >= this.batchSize) continue;
      const backoff = this.failures === 0 ? this.pollMs : Math.min(5000, 250 * 2 ** Math.min(this.failures, 5));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoff);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async ensureProducer(): Promise<Producer> {
    if (!this.producer) {
      this.producer = this.opts.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
        retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
      });
    }
    if (!this.connected) {
      await this.producer.connect();
      this.connected = true;
    }
    return this.producer;
  }

  private async resetProducer(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    if (p) await p.disconnect().catch(() => undefined);
  }

  /** One batch in one transaction: lock, read in order, send, mark. */
  private async publishBatch(): Promise<number> {
    const em = this.opts.orm.em.fork();
    return em.transactional(async (tx) => {
      const [lock] = await tx.execute<{ ok: boolean }[]>('select pg_try_advisory_xact_lock(?) as ok', [this.opts.lockKey]);
      if (!lock?.ok) return 0;
      const rows = await tx.execute<OutboxRow[]>(
        'select id, topic, message_key, event_type, payload from outbox where sent_at is null order by seq limit ?',
        [this.batchSize],
      );
      if (rows.length === 0) return 0;
      const producer = await this.ensureProducer();
      const byTopic = new Map<string, OutboxRow[]>();
      for (const row of rows) {
        const list = byTopic.get(row.topic);
        if (list) list.push(row);
        else byTopic.set(row.topic, [row]);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((row) => ({
            key: row.message_key,
            value: JSON.stringify(row.payload),
            headers: {
              ce_type: row.event_type,
              ce_id: row.id,
              'content-type': 'application/cloudevents+json; charset=UTF-8',
            },
          })),
        })),
      });
      await tx.execute(
        `update outbox set sent_at = now(), attempts = attempts + 1 where id in (${rows.map(() => '?').join(',')})`,
        rows.map((r) => r.id),
      );
      this.log.debug({ count: rows.length }, 'outbox published');
      return rows.length;
    });
  }

  private async cleanup(): Promise<void> {
    const retain = this.opts.retainSentMs ?? 7 * 24 * 3600 * 1000;
    if (Date.now() - this.lastCleanup < 3600 * 1000) return;
    this.lastCleanup = Date.now();
    await this.opts.orm.em
      .fork()
      .execute(`delete from outbox where sent_at is not null and sent_at < now() - (? || ' milliseconds')::interval`, [String(retain)]);
  }
}
