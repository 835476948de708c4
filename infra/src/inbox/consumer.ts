import { Partitioners, type Consumer, type Kafka, type KafkaMessage, type Producer, type IHeaders } from 'kafkajs';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../logger';
import type { CloudEvent } from '../events/cloud-event';
import { EventValidationError, type EventCatalog } from '../events/catalog';
import { databaseReachable } from '../db/orm';

export type EventHandler = (event: CloudEvent<any>, em: EntityManager) => Promise<void>;

export interface InboxConsumerOptions {
  orm: MikroORM;
  kafka: Kafka;
  catalog: EventCatalog;
  logger: Logger;
  groupId: string;
  topics: string[];
  /** Handlers by event type; other types on the topics are skipped. */
  handlers: Record<string, EventHandler>;
  deadLetterTopic: string;
  /** Attempts before a message that keeps failing goes to the dead-letter topic. */
  maxAttempts?: number;
  /** Called when the consumer cannot recover; the service exits non-zero so its supervisor restarts it. */
  onFatal: (err: Error) => void;
}

const headerString = (headers: IHeaders | undefined, name: string): string | undefined => {
  const v = headers?.[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v[0]?.toString() : v.toString();
};

/**
 * Kafka consumer with an inbox: sent at least once, processed exactly once. The handler's effect
 * and the inbox row keyed by event id commit in one transaction, so a redelivered event changes
 * nothing. A message that cannot be parsed or validated, or whose handler keeps failing after
 * bounded retries (attempts are counted in the database), goes to the dead-letter topic with the
 * reason, and the consumer goes on. If the database itself is unreachable nothing is skipped:
 * the batch fails and, if that persists, the process exits for its supervisor to restart it.
 */
export class InboxConsumer {
  private consumer?: Consumer;
  private dltProducer?: Producer;
  private readonly maxAttempts: number;
  private readonly log: Logger;
  private restarts = 0;
  private stopping = false;

  constructor(private readonly opts: InboxConsumerOptions) {
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.log = opts.logger.child({ component: 'inbox-consumer', group: opts.groupId });
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.opts;
    this.dltProducer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.dltProducer.connect();
    this.consumer = kafka.consumer({
      groupId,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      allowAutoTopicCreation: false,
      retry: {
        retries: 8,
        initialRetryTime: 300,
        maxRetryTime: 10000,
        // kafkajs restarts the consumer after a crash; past a bound we exit instead of stalling
        restartOnFailure: async (err) => {
          this.restarts++;
          this.log.warn({ err: err.message, restarts: this.restarts }, 'consumer crashed; restarting');
          return this.restarts <= 20;
        },
      },
    });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      if (!e.payload.restart && !this.stopping) this.opts.onFatal(e.payload.error);
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.restarts = 0;
    });
    await this.consumer.connect();
    for (const topic of topics) await this.consumer.subscribe({ topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) break;
          await this.handle(batch.topic, batch.partition, message);
          resolveOffset(message.offset);
          await heartbeat();
        }
      },
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.dltProducer?.disconnect().catch(() => undefined);
  }

  private async handle(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const where = { topic, partition, offset: message.offset };
    // a message with no usable id is keyed by its position, so it too is dead-lettered only once
    const fallbackId = `${topic}:${partition}:${message.offset}`;
    let event: CloudEvent;
    try {
      event = JSON.parse(message.value?.toString('utf8') ?? '');
    } catch {
      return this.deadLetter(fallbackId, undefined, where, message, 'unparseable: message value is not JSON', 1);
    }
    const eventId = typeof event?.id === 'string' && event.id.length <= 200 ? event.id : fallbackId;
    const type = typeof event?.type === 'string' ? event.type : headerString(message.headers, 'ce_type');
    const handler = type ? this.opts.handlers[type] : undefined;
    if (!handler) return; // not an event this group acts on
    try {
      this.opts.catalog.validate(event);
    } catch (err) {
      if (err instanceof EventValidationError) {
        return this.deadLetter(eventId, type, where, message, `schema: ${err.message}`, 1);
      }
      throw err;
    }

    for (;;) {
      try {
        await this.opts.orm.em.fork().transactional(async (em) => {
          const inserted = await em.execute<{ event_id: string }[]>(
            `insert into inbox (consumer_group, event_id, event_type, topic, partition, "offset", status)
             values (?, ?, ?, ?, ?, ?, 'processed') on conflict do nothing returning event_id`,
            [this.opts.groupId, eventId, type, topic, partition, message.offset],
          );
          if (inserted.length === 0) return; // already processed: redelivery changes nothing
          await handler(event, em);
        });
        return;
      } catch (err) {
        if (!(await databaseReachable(this.opts.orm))) {
          // not the message's fault: fail the batch so it is retried, never skipped
          throw err;
        }
        const attempts = await this.recordFailure(eventId, err as Error);
        this.log.warn({ eventId, type, attempts, err: (err as Error).message }, 'event handler failed');
        if (attempts >= this.maxAttempts) {
          return this.deadLetter(eventId, type, where, message, `handler failed ${attempts} times: ${(err as Error).message}`, attempts);
        }
        await new Promise((r) => setTimeout(r, Math.min(4000, 100 * 2 ** attempts)));
      }
    }
  }

  private async recordFailure(eventId: string, err: Error): Promise<number> {
    const [row] = await this.opts.orm.em.fork().execute<{ attempts: number }[]>(
      `insert into inbox_failure (consumer_group, event_id, attempts, last_error) values (?, ?, 1, ?)
       on conflict (consumer_group, event_id) do update
         set attempts = inbox_failure.attempts + 1, last_error = excluded.last_error, last_failed_at = now()
       returning attempts`,
      [this.opts.groupId, eventId, err.message.slice(0, 2000)],
    );
    return row?.attempts ?? 1;
  }

  /** Sends the original message, with the reason in its headers, to the dead-letter topic; then records it. */
  private async deadLetter(
    eventId: string,
    type: string | undefined,
    where: { topic: string; partition: number; offset: string },
    message: KafkaMessage,
    reason: string,
    attempts: number,
  ): Promise<void> {
    const em = this.opts.orm.em.fork();
    const [seen] = await em.execute<{ status: string }[]>('select status from inbox where consumer_group = ? and event_id = ?', [
      this.opts.groupId,
      eventId,
    ]);
    if (seen) return;
    await this.dltProducer!.send({
      topic: this.opts.deadLetterTopic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...(message.headers ?? {}),
            dlt_reason: reason.slice(0, 2000),
            dlt_source_topic: where.topic,
            dlt_source_partition: String(where.partition),
            dlt_source_offset: where.offset,
            dlt_consumer_group: this.opts.groupId,
            dlt_attempts: String(attempts),
            dlt_time: new Date().toISOString(),
          },
        },
      ],
    });
    await em.execute(
      `insert into inbox (consumer_group, event_id, event_type, topic, partition, "offset", status)
       values (?, ?, ?, ?, ?, ?, 'dead_lettered') on conflict do nothing`,
      [this.opts.groupId, eventId, type ?? null, where.topic, where.partition, where.offset],
    );
    this.log.error({ eventId, type, reason, ...where }, 'event sent to dead-letter topic');
  }
}
