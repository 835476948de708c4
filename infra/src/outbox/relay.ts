import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger';
import { rawQuery } from '../db/raw-query';
import { uuidArray } from '../db/sql-arrays';
import { serializeOutboxBatch, type OutboxBatchPayload } from './outbox';

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string | null;
  event_type: string;
  payload: Record<string, unknown>;
  batch: boolean;
}

interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface OutboxRelayOptions {
  orm: MikroORM;
  kafka: Kafka;
  logger: Logger;
  /** Distinct per service: only one relay of a service publishes at a time, which keeps the outbox order. */
  lockKey: number;
  pollMs?: number;
  /** Events per pass: rows are taken in order until their events reach it (a batch row counts as its events; at least one row). */
  batchSize?: number;
  /** Most messages, and bytes of values, in one produce request: a batch row is sent in as many as it needs. */
  sendLimits?: { messages: number; bytes: number };
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
  private readonly sendLimits: { messages: number; bytes: number };
  private readonly log: Logger;

  constructor(private readonly opts: OutboxRelayOptions) {
    this.pollMs = opts.pollMs ?? 200;
    this.batchSize = opts.batchSize ?? 500;
    // well below the broker's default message.max.bytes (1 MiB), which bounds a partition's share of a request
    this.sendLimits = opts.sendLimits ?? { messages: 1000, bytes: 512 * 1024 };
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

  /**
   * One pass in one transaction: lock, read in order, send, mark. A batch row is marked sent only
   * once every one of its events is acknowledged; if a send fails part way, the whole row is sent
   * again on the next pass and consumers drop what they already have by event id.
   */
  private async publishBatch(): Promise<number> {
    const em = this.opts.orm.em.fork();
    return em.transactional(async (tx) => {
      const [lock] = await tx.execute<{ ok: boolean }[]>('select pg_try_advisory_xact_lock(?) as ok', [this.opts.lockKey]);
      if (!lock?.ok) return 0;
      const heads = await rawQuery<{ id: string; event_count: number }[]>(
        tx,
        'select id, event_count from outbox where sent_at is null order by seq limit ?',
        [this.batchSize],
      );
      const ids: string[] = [];
      let events = 0;
      for (const head of heads) {
        if (ids.length > 0 && events + head.event_count > this.batchSize) break;
        ids.push(head.id);
        events += head.event_count;
      }
      if (ids.length === 0) return 0;
      const rows = await rawQuery<OutboxRow[]>(
        tx,
        'select id, topic, message_key, event_type, payload, batch from outbox where id = any(?::uuid[]) order by seq',
        [uuidArray(ids)],
      );
      const messages = rows.flatMap(outgoingMessages);
      const producer = await this.ensureProducer();
      for (const chunk of sendChunks(messages, this.sendLimits)) {
        const byTopic = new Map<string, OutgoingMessage[]>();
        for (const m of chunk) {
          const list = byTopic.get(m.topic);
          if (list) list.push(m);
          else byTopic.set(m.topic, [m]);
        }
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, list]) => ({
            topic,
            messages: list.map(({ key, value, headers }) => ({ key, value, headers })),
          })),
        });
      }
      await rawQuery(tx, 'update outbox set sent_at = now(), attempts = attempts + 1 where id = any(?::uuid[])', [uuidArray(ids)]);
      this.log.debug({ rows: rows.length, events: messages.length }, 'outbox published');
      return messages.length;
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

const CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

/** The Kafka messages of one outbox row: its event, or each event of a batch row in order. */
function outgoingMessages(row: OutboxRow): OutgoingMessage[] {
  if (!row.batch) {
    const headers = { ce_type: row.event_type, ce_id: row.id, 'content-type': CONTENT_TYPE };
    return [{ topic: row.topic, key: row.message_key ?? '', value: JSON.stringify(row.payload), headers }];
  }
  return serializeOutboxBatch(row.payload as unknown as OutboxBatchPayload).map((event) => ({
    topic: row.topic,
    key: event.subject,
    value: event.value,
    headers: { ce_type: event.type, ce_id: event.id, 'content-type': CONTENT_TYPE },
  }));
}

/** Consecutive runs of messages within the limits (a message alone over the byte limit goes alone). */
function* sendChunks(messages: OutgoingMessage[], limits: { messages: number; bytes: number }): Generator<OutgoingMessage[]> {
  let chunk: OutgoingMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = Buffer.byteLength(m.value) + Buffer.byteLength(m.key);
    if (chunk.length > 0 && (chunk.length >= limits.messages || bytes + size > limits.bytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(m);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
