import { Partitioners, type Consumer, type Kafka, type KafkaMessage, type Producer, type IHeaders } from 'kafkajs';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../logger';
import type { CloudEvent } from '../events/cloud-event';
import { EventValidationError, type EventCatalog } from '../events/catalog';
import { databaseReachable } from '../db/orm';
import { rawQuery } from '../db/raw-query';

export type EventHandler = (event: CloudEvent<any>, em: EntityManager) => Promise<void>;

/**
 * Applies consecutive events, in the order given, with the same effect as applying each of them
 * with its `one` handler in that order (e.g. with one statement for many events).
 */
export type BatchEventHandler = (events: CloudEvent<any>[], em: EntityManager) => Promise<void>;

/**
 * What a consumer does with one event type: a handler, or a handler with a batch form. Events in
 * a row whose handlers share the same `many` function (possibly across types) go to it together.
 */
export type InboxHandler = EventHandler | { one: EventHandler; many: BatchEventHandler };

export interface InboxConsumerOptions {
  orm: MikroORM;
  kafka: Kafka;
  catalog: EventCatalog;
  logger: Logger;
  groupId: string;
  topics: string[];
  /** Handlers by event type; other types on the topics are skipped. */
  handlers: Record<string, InboxHandler>;
  deadLetterTopic: string;
  /** Attempts before a message that keeps failing goes to the dead-letter topic. */
  maxAttempts?: number;
  /** Messages applied in one database transaction (default 500); 1 applies each in its own. */
  batchSize?: number;
  /** Called when the consumer cannot recover; the service exits non-zero so its supervisor restarts it. */
  onFatal: (err: Error) => void;
}

export const DEFAULT_CONSUMER_BATCH_SIZE = 500;

const headerString = (headers: IHeaders | undefined, name: string): string | undefined => {
  const v = headers?.[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v[0]?.toString() : v.toString();
};

const one = (handler: InboxHandler): EventHandler => (typeof handler === 'function' ? handler : handler.one);
const many = (handler: InboxHandler): BatchEventHandler | undefined => (typeof handler === 'function' ? undefined : handler.many);

interface Where {
  topic: string;
  partition: number;
  offset: string;
}

/** A message read and checked: an event to apply, one to dead-letter, or one this group does not act on. */
type Prepared =
  | { kind: 'apply'; where: Where; message: KafkaMessage; event: CloudEvent; eventId: string; type: string; handler: InboxHandler }
  | { kind: 'dead'; where: Where; message: KafkaMessage; eventId: string; type: string | undefined; reason: string }
  | { kind: 'skip' };
type ToApply = Extract<Prepared, { kind: 'apply' }>;

/** What kafkajs lets a batch handler do with its partition. */
interface BatchControl {
  resolveOffset: (offset: string) => void;
  heartbeat: () => Promise<void>;
  isRunning: () => boolean;
  isStale: () => boolean;
}

/**
 * Kafka consumer with an inbox: sent at least once, processed exactly once. The handler's effect
 * and the inbox row keyed by event id commit in one transaction, so a redelivered event changes
 * nothing. A message that cannot be parsed or validated, or whose handler keeps failing after
 * bounded retries (attempts are counted in the database), goes to the dead-letter topic with the
 * reason, and the consumer goes on. If the database itself is unreachable nothing is skipped:
 * the batch fails and, if that persists, the process exits for its supervisor to restart it.
 *
 * Messages are applied in chunks of `batchSize`, in offset order: one transaction inserts the
 * chunk's inbox rows with one statement and runs the handlers of the events it had not seen. If
 * that transaction fails while the database is reachable, the chunk is applied again one message
 * per transaction, so a failing event is isolated, counted and dead-lettered while the others are
 * applied once.
 */
export class InboxConsumer {
  private consumer?: Consumer;
  private dltProducer?: Producer;
  private readonly maxAttempts: number;
  private readonly batchSize: number;
  private readonly log: Logger;
  private restarts = 0;
  private stopping = false;

  constructor(private readonly opts: InboxConsumerOptions) {
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.batchSize = Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_CONSUMER_BATCH_SIZE));
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
        const control = { resolveOffset, heartbeat, isRunning, isStale };
        for (let i = 0; i < batch.messages.length; i += this.batchSize) {
          if (!isRunning() || isStale()) break;
          const chunk = batch.messages.slice(i, i + this.batchSize);
          if (!(await this.handleChunk(batch.topic, batch.partition, chunk, control))) break;
          resolveOffset(chunk[chunk.length - 1]!.offset);
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

  /**
   * Applies a chunk of one partition's messages in offset order; false when it stopped early
   * because the consumer is stopping or lost the partition (what is done is resolved).
   */
  private async handleChunk(topic: string, partition: number, messages: KafkaMessage[], control: BatchControl): Promise<boolean> {
    let run: ToApply[] = [];
    for (const message of messages) {
      const prepared = this.prepare(topic, partition, message);
      if (prepared.kind === 'apply') {
        run.push(prepared);
      } else if (prepared.kind === 'dead') {
        // events before it are applied first, so the order of effects is the order of the messages
        if (!(await this.applyRun(run, control))) return false;
        run = [];
        await this.deadLetter(prepared.eventId, prepared.type, prepared.where, prepared.message, prepared.reason, 1);
      }
    }
    return this.applyRun(run, control);
  }

  /** Reads a message: its event, handler and inbox key, or why it goes to the dead-letter topic. */
  private prepare(topic: string, partition: number, message: KafkaMessage): Prepared {
    const where = { topic, partition, offset: message.offset };
    // a message with no usable id is keyed by its position, so it too is dead-lettered only once
    const fallbackId = `${topic}:${partition}:${message.offset}`;
    let event: CloudEvent;
    try {
      event = JSON.parse(message.value?.toString('utf8') ?? '');
    } catch {
      return { kind: 'dead', where, message, eventId: fallbackId, type: undefined, reason: 'unparseable: message value is not JSON' };
    }
    const eventId = typeof event?.id === 'string' && event.id.length <= 200 ? event.id : fallbackId;
    const type = typeof event?.type === 'string' ? event.type : headerString(message.headers, 'ce_type');
    const handler = type ? this.opts.handlers[type] : undefined;
    if (!type || !handler) return { kind: 'skip' }; // not an event this group acts on
    try {
      this.opts.catalog.validate(event);
    } catch (err) {
      if (err instanceof EventValidationError) {
        return { kind: 'dead', where, message, eventId, type, reason: `schema: ${err.message}` };
      }
      throw err;
    }
    return { kind: 'apply', where, message, event, eventId, type, handler };
  }

  /**
   * Applies events in one transaction; if that fails while the database is reachable, one by one.
   * False when it stopped early (the consumer is stopping or lost the partition).
   */
  private async applyRun(run: ToApply[], control: BatchControl): Promise<boolean> {
    if (run.length === 0) return true;
    if (run.length === 1) {
      await this.applyOne(run[0]!);
      return true;
    }
    try {
      await this.applyTogether(run);
      return true;
    } catch (err) {
      if (!(await databaseReachable(this.opts.orm))) {
        // not the messages' fault: fail the batch so it is retried, never skipped
        throw err;
      }
      this.log.warn({ events: run.length, err: (err as Error).message }, 'batch failed; applying its events one at a time');
    }
    for (const item of run) {
      if (!control.isRunning() || control.isStale()) return false;
      await this.applyOne(item);
      control.resolveOffset(item.where.offset);
      await control.heartbeat();
    }
    return true;
  }

  /** One transaction: the inbox rows of every event in one statement, then the handlers of the new ones, in order. */
  private async applyTogether(run: ToApply[]): Promise<void> {
    // a message delivered twice in the run is applied at its first offset
    const firsts = new Map<string, ToApply>();
    for (const item of run) if (!firsts.has(item.eventId)) firsts.set(item.eventId, item);
    await this.opts.orm.em.fork().transactional(async (em) => {
      const fresh = await this.recordInInbox(em, [...firsts.values()], 'processed');
      // already processed ones are left out: redelivery changes nothing
      const todo = [...firsts.values()].filter((i) => fresh.has(i.eventId));
      for (let i = 0; i < todo.length;) {
        const batchForm = many(todo[i]!.handler);
        let end = i + 1;
        if (batchForm) {
          while (end < todo.length && many(todo[end]!.handler) === batchForm) end++;
          await batchForm(
            todo.slice(i, end).map((t) => t.event),
            em,
          );
        } else {
          await one(todo[i]!.handler)(todo[i]!.event, em);
        }
        // each handler finds the state its own transaction would: earlier effects flushed, no entities left over
        await em.flush();
        em.clear();
        i = end;
      }
    });
  }

  /** One event in its own transaction, retried with backoff and counted; dead-lettered after maxAttempts. */
  private async applyOne({ where, message, event, eventId, type, handler }: ToApply): Promise<void> {
    for (;;) {
      try {
        await this.opts.orm.em.fork().transactional(async (em) => {
          const fresh = await this.recordInInbox(em, [{ eventId, type, where }], 'processed');
          if (fresh.size === 0) return; // already processed: redelivery changes nothing
          await one(handler)(event, em);
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

  /** Inbox rows keyed by event id, in one statement; returns the ids not there before. */
  private async recordInInbox(
    em: EntityManager,
    items: { eventId: string; type: string | undefined; where: Where }[],
    status: 'processed' | 'dead_lettered',
  ): Promise<Set<string>> {
    const inserted = await rawQuery<{ event_id: string }[]>(
      em,
      `insert into inbox (consumer_group, event_id, event_type, topic, partition, "offset", status)
       select ?, e.event_id, e.event_type, e.topic, e.partition, e."offset", ?
       from jsonb_to_recordset(?::jsonb) as e(event_id text, event_type text, topic text, partition int, "offset" bigint)
       on conflict do nothing returning event_id`,
      [
        this.opts.groupId,
        status,
        JSON.stringify(
          items.map((i) => ({
            event_id: i.eventId,
            event_type: i.type ?? null,
            topic: i.where.topic,
            partition: i.where.partition,
            offset: i.where.offset,
          })),
        ),
      ],
    );
    return new Set(inserted.map((r) => r.event_id));
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
    where: Where,
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
    await this.recordInInbox(em, [{ eventId, type, where }], 'dead_lettered');
    this.log.error({ eventId, type, reason, ...where }, 'event sent to dead-letter topic');
  }
}
