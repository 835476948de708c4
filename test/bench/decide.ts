import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { PROFILES, createLogger, eventTopic, signUserToken, startStack, type Role, type StackHandle } from '@xhht/infra';
import { criteriaSet, decidingRole, figure, say } from './support';

/**
 * `npm run bench:decide`: recognitions per second, events included. Starts the whole system the
 * way the stack does (profile `bench`: the test profile's ports + 1000, shifted by
 * XHHT_PORT_OFFSET; fresh databases and broker), seeds the recognition database directly in SQL
 * (a benchmark fixture: a province, a commune with villages, BENCH_RECOGNITIONS (100,000)
 * households in the participant replica, a Learning Family cycle decided by the commune and an
 * APPROVED assessment for every household), then issues ONE decision recognising all of them
 * through the gateway, as the commune's deciding officer (the shipped authority rule's role), and
 * waits until the relay has published every event to the recognition topic (counted from the
 * topic's end offsets, so no consumer competes for the CPU while timing); afterwards it reads the
 * topic back and checks there is one granted event per recognition. Prints decision_ms (the
 * mutation's round trip), events_published_ms (from the request until the last event is on the
 * topic) and last `recognitions_per_s=<n>` (recognitions ÷ events_published_ms).
 */
const N = Number(process.env.BENCH_RECOGNITIONS ?? 100_000);
const VILLAGES = 20;
const GRANTED = 'vn.xhht.recognition.recognition.granted.v1';
const DECISION_DATE = '2025-12-15';

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const logger = createLogger('bench', process.env.LOG_LEVEL);
  const started = Date.now();
  let stack: StackHandle | undefined;
  try {
    stack = await startStack(PROFILES.bench, logger);
    say(`stack up in ${Math.round((Date.now() - started) / 1000)} s, gateway ${stack.state.gatewayUrl}`);
    const db = new Client({ connectionString: stack.state.databaseUrls.recognition });
    await db.connect();
    let fixture: Fixture;
    try {
      fixture = await seed(db);
    } finally {
      await db.end();
    }
    say(`${N} approved household assessments in cycle ${fixture.cycleId}; deciding as ${fixture.role} of the commune`);

    const kafka = new Kafka({ clientId: 'xhht-bench-decide', brokers: stack.state.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topic = eventTopic('recognition');
    // messages on the topic, from its partitions' end offsets: counting costs the broker a request, not a consumer's decoding
    const onTopic = async () => (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
    const before = await onTopic();

    const token = await signUserToken(
      { subject: 'bench-decider', roles: [{ role: fixture.role, unitId: fixture.communeId }] },
      stack.state.jwtSecret,
      '1h',
    );
    const t0 = performance.now();
    const res = await fetch(stack.state.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `mutation Decide($input: IssueRecognitionDecisionInput!) {
          issueRecognitionDecision(input: $input) { decision { id recognitionCount late } }
        }`,
        variables: {
          input: {
            cycleId: fixture.cycleId,
            number: '125/QĐ-UBND',
            date: DECISION_DATE,
            signerName: 'Nguyễn Văn An',
            signerTitle: 'Chủ tịch UBND xã',
            allApproved: true,
          },
        },
      }),
    });
    const body = (await res.json()) as {
      data?: { issueRecognitionDecision: { decision: { recognitionCount: number } } };
      errors?: unknown;
    };
    const decisionMs = performance.now() - t0;
    if (body.errors || body.data?.issueRecognitionDecision.decision.recognitionCount !== N) {
      throw new Error(`the decision failed: ${JSON.stringify(body.errors ?? body.data)}`);
    }
    say(`decision of ${N} recognitions answered in ${Math.round(decisionMs)} ms; waiting for the events on the topic`);
    // N granted events and the decision's issued event
    const expected = before + N + 1;
    const deadline = Date.now() + 600_000;
    let published = before;
    while ((published = await onTopic()) < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const eventsMs = performance.now() - t0;
    await admin.disconnect();
    if (published < expected) throw new Error(`only ${published - before} of ${N + 1} events reached the topic within 10 minutes`);

    // then, outside the timing, read them back: every one a granted event of this decision but the issued one
    const granted = await countGranted(kafka, topic, N);
    if (granted !== N) throw new Error(`${granted} granted events on the topic, expected ${N}`);
    figure('recognitions', N);
    figure('granted_events_on_topic', granted);
    figure('decision_ms', Math.round(decisionMs));
    figure('events_published_ms', Math.round(eventsMs));
    figure('recognitions_per_s', Math.round(N / (eventsMs / 1000)));
  } finally {
    await stack?.stop();
  }
}

/** Reads the topic from the beginning and counts the granted events (by the ce_type header) until `n` have come. */
async function countGranted(kafka: Kafka, topic: string, n: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: `xhht-bench-decide-${randomUUID()}`, maxBytes: 50 * 1024 * 1024 });
  let granted = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) if (m.headers?.ce_type?.toString() === GRANTED) granted++;
      if (granted >= n) done();
    },
  });
  const timer = setTimeout(done, 300_000);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  return granted;
}

interface Fixture {
  cycleId: string;
  communeId: string;
  role: Role;
}

/** The benchmark's fixture, written straight into the recognition database (not product code). */
async function seed(db: Client): Promise<Fixture> {
  const provinceId = randomUUID();
  const communeId = randomUUID();
  const units: { id: string; code: string; name: string; kind: string; parent: string | null }[] = [
    { id: provinceId, code: 'B99', name: 'Tỉnh Thử Nghiệm', kind: 'PROVINCE', parent: null },
    { id: communeId, code: 'B99001', name: 'Xã Thử Nghiệm', kind: 'COMMUNE', parent: provinceId },
  ];
  for (let v = 1; v <= VILLAGES; v++) {
    units.push({ id: randomUUID(), code: `B99001-T${v}`, name: `Thôn ${v}`, kind: 'VILLAGE', parent: communeId });
  }
  const villages = units.filter((u) => u.kind === 'VILLAGE').map((u) => u.id);
  const rows = JSON.stringify(units);
  await db.query('begin');
  await db.query(
    `insert into admin_unit_replica (id, code, name, kind, parent_id, valid_from, source_time)
     select id, code, name, kind, parent, '2025-07-01', now() from jsonb_to_recordset($1::jsonb) as x(id uuid, code text, name text, kind text, parent uuid)`,
    [rows],
  );
  await db.query(
    `insert into admin_unit_version_replica (unit_id, valid_from, name, kind, subtype, parent_id)
     select id, '2025-07-01', name, kind, kind, parent from jsonb_to_recordset($1::jsonb) as x(id uuid, name text, kind text, parent uuid)`,
    [rows],
  );
  await db.query(`create temp table bench_household (id uuid primary key, village uuid not null, code text not null) on commit drop`);
  await db.query(
    `insert into bench_household select gen_random_uuid(), ($1::uuid[])[1 + i % $2], 'H' || lpad(i::text, 6, '0') from generate_series(0, $3 - 1) i`,
    [`{${villages.join(',')}}`, VILLAGES, N],
  );
  await db.query(
    `insert into participant_replica (id, kind, unit_id, code, source_time) select id, 'HOUSEHOLD', village, code, now() from bench_household`,
  );
  const cycleId = randomUUID();
  await db.query(
    `insert into recognition_cycle (id, year, title, subject_level, name, deciding_unit_id, submission_deadline, decision_deadline, validity_months, created_by)
     values ($1, 2025, 'LEARNING_FAMILY', 'HOUSEHOLD', 'Gia đình học tập 2025 — Xã Thử Nghiệm', $2, '2025-11-30', '2025-12-31', 36, 'bench')`,
    [cycleId, communeId],
  );
  const criteriaSetId = await criteriaSet(db);
  await db.query(
    `insert into assessment (id, cycle_id, subject_kind, subject_id, subject_unit_id, criteria_set_id, status, result_level, total_points,
       submitted_at, created_by, updated_by)
     select gen_random_uuid(), $1, 'HOUSEHOLD', id, village, $2, 'APPROVED', 'ACHIEVED', 85, '2025-11-15', 'bench', 'bench' from bench_household`,
    [cycleId, criteriaSetId],
  );
  await db.query('commit');
  await db.query('analyze');
  return { cycleId, communeId, role: await decidingRole(db, DECISION_DATE) };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  },
);
