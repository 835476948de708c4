import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Partitioners, type Kafka } from 'kafkajs';
import {
  ADMIN_UNIT_CREATED,
  DEFAULT_CONSUMER_BATCH_SIZE,
  EVENT_TOPIC_PARTITIONS,
  EventCatalog,
  InboxConsumer,
  KafkaBroker,
  PROFILES,
  adminUnitReplicaHandlers,
  adminUnitReplicaMigrations,
  createKafka,
  ensureTopics,
  initORM,
  kafkaLibsDir,
  newEvent,
  parseBrokerList,
  type AdminUnitCreatedData,
  type BatchEventHandler,
  type CloudEvent,
  type EventHandler,
  type InboxHandler,
  type Logger,
  type MikroORM,
} from '@xhht/infra';
import { figure, freshDatabase, runBench, say } from './support';

/**
 * `npm run bench:consume`: events per second through an inbox consumer into the hierarchy replica.
 * Starts PostgreSQL and Kafka the way the stack does (see support.ts; the local KRaft broker on the
 * test profile's Kafka port + 1000, shifted by XHHT_PORT_OFFSET; KAFKA_BROKERS uses a running one), produces BENCH_EVENTS (20,000)
 * valid AdminUnitCreated events of a whole hierarchy to a fresh topic with the org topic's
 * partitions, then consumes them with the real replica handlers, each time into a fresh database:
 * one message per transaction (batch size 1, as the consumer worked before it had batches), and
 * with the default batch size (BENCH_BATCH_SIZE overrides it), with the handlers' batch form and
 * without it (each event's handler called in turn, in the chunk's one transaction). Time runs from
 * the first event handled to the last one committed. The last line is
 * `consume_events_per_s=<batched figure>`.
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? DEFAULT_CONSUMER_BATCH_SIZE);
const PROVINCES = 34;
const COMMUNES_PER_PROVINCE = 100;

runBench('consume', async ({ serverUrl, dir, logger }) => {
  const stops: (() => Promise<void>)[] = [];
  try {
    let brokers = parseBrokerList(process.env.KAFKA_BROKERS ?? '');
    if (brokers.length === 0) {
      const broker = new KafkaBroker({
        dataDir: path.join(dir, 'kafka'),
        libsDir: kafkaLibsDir(),
        port: PROFILES.test.kafkaPort + 1000,
        controllerPort: PROFILES.test.kafkaControllerPort + 1000,
        logger,
      });
      await broker.stop();
      broker.wipe();
      await broker.start();
      stops.push(() => broker.stop());
      brokers = broker.brokers;
      say(`Kafka (local broker) on ${brokers.join(',')}`);
    }
    const kafka = createKafka({ clientId: 'xhht-bench-consume', brokers, logger });
    const topic = `xhht.bench.consume.${randomUUID()}`;
    const dlt = `${topic}.dlt`;
    await ensureTopics(kafka, [
      { topic, numPartitions: EVENT_TOPIC_PARTITIONS },
      { topic: dlt, numPartitions: 1 },
    ]);
    await produce(kafka, topic, hierarchyEvents(EVENTS));
    say(`${EVENTS} events on ${topic} (${EVENT_TOPIC_PARTITIONS} partitions)`);

    const unbatched = await consume({ kafka, logger, serverUrl, topic, dlt, batchSize: 1 });
    say(`batch size 1: ${EVENTS} events in ${unbatched.seconds.toFixed(2)} s`);
    const batched = await consume({ kafka, logger, serverUrl, topic, dlt, batchSize: BATCH_SIZE });
    say(`batch size ${BATCH_SIZE}: ${EVENTS} events in ${batched.seconds.toFixed(2)} s`);
    const withoutBatchForm = await consume({ kafka, logger, serverUrl, topic, dlt, batchSize: BATCH_SIZE, withoutBatchForm: true });
    say(`batch size ${BATCH_SIZE}, handlers called one event at a time: ${EVENTS} events in ${withoutBatchForm.seconds.toFixed(2)} s`);
    if (batched.replica !== unbatched.replica || withoutBatchForm.replica !== unbatched.replica) {
      throw new Error('the runs built different replicas');
    }

    const rate = (r: { seconds: number }) => Math.round(EVENTS / r.seconds);
    figure('events', EVENTS);
    figure('partitions', EVENT_TOPIC_PARTITIONS);
    figure('batch_size', BATCH_SIZE);
    figure('events_per_s_unbatched', rate(unbatched));
    figure('events_per_s_batched_without_batch_form', rate(withoutBatchForm));
    figure('events_per_s_batched', rate(batched));
    figure('speedup', (unbatched.seconds / batched.seconds).toFixed(1));
    figure('consume_events_per_s', rate(batched));
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: Error) => say(`stop failed: ${err.message}`));
  }
});

/** A nation, its provinces, their communes and, for the rest, villages: each unit's AdminUnitCreated event, parents first. */
function hierarchyEvents(count: number): CloudEvent<AdminUnitCreatedData>[] {
  const events: CloudEvent<AdminUnitCreatedData>[] = [];
  const start = Date.parse('2026-01-01T00:00:00Z');
  const add = (code: string, name: string, kind: string, subtype: string, parentId: string | null): string => {
    const id = randomUUID();
    const data: AdminUnitCreatedData = { id, code, name, kind, subtype, parentId, validFrom: '2025-07-01', validTo: null };
    events.push(newEvent(ADMIN_UNIT_CREATED, id, data, new Date(start + events.length)));
    return id;
  };
  const nation = add('VN', 'Việt Nam', 'NATION', 'NATION', null);
  const provinces = Array.from({ length: PROVINCES }, (_, p) =>
    add(String(p + 1).padStart(2, '0'), `Tỉnh Thử Nghiệm ${p + 1}`, 'PROVINCE', 'PROVINCE', nation),
  );
  const communes: { id: string; code: string }[] = [];
  for (let c = 0; c < PROVINCES * COMMUNES_PER_PROVINCE && events.length < count; c++) {
    const code = String(10000 + c);
    communes.push({ id: add(code, `Xã Thử Nghiệm ${c + 1}`, 'COMMUNE', 'COMMUNE', provinces[c % PROVINCES]!), code });
  }
  for (let v = 0; events.length < count; v++) {
    const commune = communes[v % communes.length]!;
    add(
      `${commune.code}-T${Math.floor(v / communes.length) + 1}`,
      `Thôn ${Math.floor(v / communes.length) + 1}`,
      'VILLAGE',
      'VILLAGE_THON',
      commune.id,
    );
  }
  return events.slice(0, count);
}

async function produce(kafka: Kafka, topic: string, events: CloudEvent[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < events.length; i += 1000) {
      await producer.send({
        topic,
        acks: -1,
        messages: events.slice(i, i + 1000).map((e) => ({ key: e.subject, value: JSON.stringify(e), headers: { ce_type: e.type } })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * Consumes the whole topic with a new group into a fresh database with the replica's handlers;
 * seconds from the first event handled until every event is in the inbox, and a digest of the replica.
 */
async function consume(opts: {
  kafka: Kafka;
  logger: Logger;
  serverUrl: string;
  topic: string;
  dlt: string;
  batchSize: number;
  /** Only the handlers' one-event form, as for handlers that have no batch form. */
  withoutBatchForm?: boolean;
}): Promise<{ seconds: number; replica: string }> {
  const database = `xhht_bench_consume_${opts.batchSize}${opts.withoutBatchForm ? '_one' : ''}`;
  const url = await freshDatabase(opts.serverUrl, database);
  const orm: MikroORM = await initORM({
    databaseUrl: url,
    entities: [],
    migrations: adminUnitReplicaMigrations,
    logger: opts.logger,
  });
  let started: number | undefined;
  const consumer = new InboxConsumer({
    orm,
    kafka: opts.kafka,
    catalog: new EventCatalog(),
    logger: opts.logger,
    groupId: `xhht.bench.consume.${randomUUID()}`,
    topics: [opts.topic],
    deadLetterTopic: opts.dlt,
    batchSize: opts.batchSize,
    handlers: timed(opts.withoutBatchForm ? oneEventForms(adminUnitReplicaHandlers) : adminUnitReplicaHandlers, () => {
      started ??= performance.now();
    }),
    onFatal: (err) => {
      say(`consumer failed: ${err.message}`);
      process.exit(1);
    },
  });
  try {
    const em = orm.em.fork();
    const count = async (table: string) => Number((await em.execute<{ n: string }[]>(`select count(*) as n from ${table}`))[0]!.n);
    await consumer.start();
    const deadline = Date.now() + 30 * 60_000;
    while ((await count('inbox')) < EVENTS) {
      if (Date.now() > deadline) throw new Error(`batch size ${opts.batchSize}: not every event was consumed within 30 minutes`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started!) / 1000;
    const [inbox, processed, failures, units] = await Promise.all([
      count('inbox'),
      em.execute<{ n: string }[]>(`select count(*) as n from inbox where status = 'processed'`).then((r) => Number(r[0]!.n)),
      count('inbox_failure'),
      count('admin_unit_replica'),
    ]);
    if (inbox !== EVENTS || processed !== EVENTS || failures !== 0 || units !== EVENTS) {
      throw new Error(`batch size ${opts.batchSize}: inbox ${inbox}, processed ${processed}, failures ${failures}, units ${units}`);
    }
    const [digest] = await em.execute<{ md5: string }[]>(
      `select md5(string_agg(concat_ws('|', id, code, name, kind, parent_id, valid_from, valid_to, source_time), ',' order by id)) as md5
       from admin_unit_replica`,
    );
    return { seconds, replica: digest!.md5 };
  } finally {
    await consumer.stop();
    await orm.close(true);
  }
}

const oneEventForms = (handlers: Record<string, InboxHandler>): Record<string, InboxHandler> =>
  Object.fromEntries(Object.entries(handlers).map(([type, h]) => [type, typeof h === 'function' ? h : h.one]));

/** The same handlers, calling `mark` first; one batch form stays one function, so runs still go to it together. */
function timed(handlers: Record<string, InboxHandler>, mark: () => void): Record<string, InboxHandler> {
  const batchForms = new Map<BatchEventHandler, BatchEventHandler>();
  const wrapOne =
    (h: EventHandler): EventHandler =>
    (event, em) => {
      mark();
      return h(event, em);
    };
  return Object.fromEntries(
    Object.entries(handlers).map(([type, h]) => {
      if (typeof h === 'function') return [type, wrapOne(h)];
      let many = batchForms.get(h.many);
      if (!many) {
        const original = h.many;
        many = (events, em) => {
          mark();
          return original(events, em);
        };
        batchForms.set(h.many, many);
      }
      return [type, { one: wrapOne(h.one), many }];
    }),
  );
}
