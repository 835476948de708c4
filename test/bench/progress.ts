import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Kafka } from 'kafkajs';
import { Client } from 'pg';
import {
  EventCatalog,
  GATEWAY_HEADER,
  createLogger,
  eventTopic,
  hierarchyConsumerGroup,
  newEvent,
  repoRoot,
  signGatewayCredential,
  signUserToken,
  type Role,
} from '@xhht/infra';
import { importParticipants } from '@xhht/org/dist/bulk-import/import';
import {
  count,
  criteriaSet,
  decidingRole,
  figure,
  importReferenceNation,
  onStack,
  orgOrm,
  percentile,
  say,
  settle,
  sleep,
  timed,
  waitFor,
} from './support';

/**
 * `npm run bench:progress`: nation-wide progress through the gateway, and how soon a granted
 * recognition shows in it. Starts the whole system as the `bench` stack profile (fresh databases
 * and broker), then seeds a nation through the real services:
 *
 * - the reference hierarchy (34 provinces, 3,321 communes from 2025-07-01, with the former tree and
 *   the 2025 merges) through org's reference import, and BENCH_HOUSEHOLDS (1,000,000) households
 *   spread over the communes through org's bulk import (CSV); org's relay puts their events on the
 *   org topic and reporting's hierarchy consumer builds its replica and tallies from them;
 * - Learning Family recognitions for 60 % of the households in 2025 and 10 % in 2024, produced as
 *   `recognition.granted.v1` events with the envelopes and keys recognition's relay gives them (one
 *   decision per commune and year), validated against the event catalog and consumed by reporting's
 *   real recognition consumer (recognition's decision path at this size would measure itself);
 * - a plan per province with Learning Family targets for 2025 and 2030 (createPlan/setTarget).
 *
 * Then times the nation-wide `progress` query of the 34 provinces (warm-up, then BENCH_REQUESTS
 * sequential requests), checks its Learning Family figures add up to what was seeded, and last,
 * BENCH_SAMPLES times one after another, issues a one-household decision through the gateway
 * (recognition's real path: mutation, outbox, relay, Kafka, reporting's consumer) and polls the
 * commune's progress until its numerator has grown by one.
 */
const N = Number(process.env.BENCH_HOUSEHOLDS ?? 1_000_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const YEAR = 2025;
/** Household i holds Learning Family for 2025 when i % 10 < 6 and for 2024 when i % 10 === 0; the 9s are the samples' pool. */
const holds2025 = (i: number) => i % 10 < 6;
const holds2024 = (i: number) => i % 10 === 0;
const GRANTED = 'vn.xhht.recognition.recognition.granted.v1';
const POLL_MS = 15;
/**
 * The consumers' batch while the benchmark runs (the services' CONSUMER_BATCH_SIZE, default 500,
 * at most 5000): seeding leaves reporting a backlog of 1.7 million events, recounted once per batch.
 * The timed phases have no backlog (one event at a time), so the batch size does not enter them.
 */
const CONSUMER_BATCH_SIZE = process.env.CONSUMER_BATCH_SIZE ?? '5000';

const PROGRESS_QUERY = `query Progress($ids: [ID!]!, $year: Int!) {
  progress(unitIds: $ids, year: $year) {
    unit { id }
    indicators { indicator numerator denominator rate target status series { year rate } }
    occupationalGroups { occupationalGroup rate }
    communeCommunity { communes recognised }
  }
}`;

interface ProgressRow {
  unit: { id: string };
  indicators: { indicator: string; numerator: number; denominator: number; rate: number | null; target: number | null; status: string }[];
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  // the stack's services inherit the environment
  process.env.CONSUMER_BATCH_SIZE = CONSUMER_BATCH_SIZE;
  const logger = createLogger('bench', process.env.LOG_LEVEL);
  const dir = path.join(repoRoot, '.data', 'bench', 'progress');
  mkdirSync(dir, { recursive: true });
  await onStack('xhht-bench-progress', logger, async ({ state, connect, kafka, lag, gql }) => {
    say(`consumers' batch: ${CONSUMER_BATCH_SIZE} messages`);
    const [orgDb, recognitionDb, reportingDb] = await Promise.all([
      connect(state.databaseUrls.org),
      connect(state.databaseUrls.recognition),
      connect(state.databaseUrls.reporting),
    ]);
    const adminToken = await signUserToken({ subject: 'bench-admin', roles: [{ role: 'SYSTEM_ADMIN' }] }, state.jwtSecret, '4h');

    // 1. the nation: the reference hierarchy, then the households, through org
    const catalog = new EventCatalog();
    const orm = await orgOrm(state.databaseUrls.org, logger);
    let units: { provinces: string[]; communes: { id: string; code: string; province: string }[] };
    let imported: { seconds: number };
    const tUnits = performance.now();
    try {
      await importReferenceNation(orm, catalog);
      figure('seed_units_s', secs(performance.now() - tUnits));
      units = await currentUnits(orgDb);
      if (units.provinces.length !== 34 || units.communes.length !== 3321) {
        throw new Error(`the reference tree has ${units.provinces.length} provinces and ${units.communes.length} communes today`);
      }
      const file = path.join(dir, `households-${N}.csv`);
      await writeCsv(file, units.communes);
      say(`${N} households over ${units.communes.length} communes → ${file}; importing`);
      const result = await importParticipants({
        orm,
        catalog,
        kind: 'households',
        file,
        errorsFile: path.join(dir, 'households.errors.csv'),
        actor: 'bench',
        progress: process.stderr,
      });
      if (result.inserted !== N) throw new Error(`the import inserted ${result.inserted} of ${N} households (see households.errors.csv)`);
      imported = result;
    } finally {
      await orm.close();
    }
    const tImported = performance.now();
    figure('seed_households_s', imported.seconds.toFixed(1));
    figure('seed_households_per_s', Math.round(N / imported.seconds));

    // reporting (and recognition, for the samples' decisions) catch up with org's topic
    const orgTopic = eventTopic('org');
    await waitFor('reporting to hold every household', 3600, async () => {
      const behind = await lag(hierarchyConsumerGroup('reporting'), orgTopic);
      if (behind > 0) return { done: false, note: `lag ${behind}` };
      const n = await count(reportingDb, `select count(*) as n from participant_replica where kind = 'HOUSEHOLD'`);
      return { done: n === N, note: `${n} households, lag ${behind}` };
    });
    const reportingCaughtUp = performance.now();
    figure('reporting_households_caught_up_s', secs(reportingCaughtUp - tUnits));
    figure('reporting_after_import_s', secs(reportingCaughtUp - tImported));
    figure('reporting_households_per_s', Math.round(N / ((reportingCaughtUp - tUnits) / 1000)));
    await waitFor('recognition to hold every household', 3600, async () => {
      const behind = await lag(hierarchyConsumerGroup('recognition'), orgTopic);
      if (behind > 0) return { done: false, note: `lag ${behind}` };
      const n = await count(recognitionDb, `select count(*) as n from participant_replica where kind = 'HOUSEHOLD'`);
      return { done: n === N, note: `${n} households, lag ${behind}` };
    });
    figure('recognition_households_caught_up_s', secs(performance.now() - tUnits));

    // 2. recognitions, onto recognition's topic as its relay publishes them
    const households = (
      await orgDb.query<{ id: string; unit_id: string }>(
        `select h.id, h.unit_id from household h join admin_unit u on u.id = h.unit_id order by u.code, h.code`,
      )
    ).rows;
    if (households.length !== N) throw new Error(`org holds ${households.length} households`);
    const tRecognitions = performance.now();
    const produced = await produceRecognitions(kafka, catalog, households);
    figure('seed_recognitions_produce_s', secs(performance.now() - tRecognitions));
    await waitFor('reporting to hold every recognition', 3600, async () => {
      const behind = await lag('xhht.reporting.recognitions', eventTopic('recognition'));
      if (behind > 0) return { done: false, note: `lag ${behind}` };
      const n = await count(reportingDb, `select count(*) as n from recognition_fact`);
      return { done: n === produced.total, note: `${n} of ${produced.total} recognitions, lag ${behind}` };
    });
    const recognitionsMs = performance.now() - tRecognitions;
    figure('recognitions_seeded', produced.total);
    figure('reporting_recognitions_caught_up_s', secs(recognitionsMs));
    figure('reporting_recognitions_per_s', Math.round(produced.total / (recognitionsMs / 1000)));

    // 3. a plan per province with Learning Family targets
    for (const [i, provinceId] of units.provinces.entries()) {
      const created = await gql<{ createPlan: { plan: { id: string } } }>(
        `mutation C($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }`,
        { input: { number: `${i + 1}/KH-UBND`, issuedOn: '2023-03-01', issuingUnitId: provinceId } },
        adminToken,
      );
      for (const [year, percentage] of [
        [2025, 55 + (i % 10)],
        [2030, 80],
      ] as const) {
        await gql(
          `mutation T($input: SetTargetInput!) { setTarget(input: $input) { target { id } } }`,
          { input: { planId: created.createPlan.plan.id, indicator: 'LEARNING_FAMILY_RATE', unitId: provinceId, year, percentage } },
          adminToken,
        );
      }
    }
    say(`a plan with 2025 and 2030 targets for each of the ${units.provinces.length} provinces`);

    // 4. the nation-wide query: right figures first, then timed
    const nation = await gql<{ progress: ProgressRow[] }>(PROGRESS_QUERY, { ids: units.provinces, year: YEAR }, adminToken);
    checkNation(nation.progress, units.provinces.length, produced.in2025);
    const variables = { ids: units.provinces, year: YEAR };
    // seeding leaves PostgreSQL vacuuming the tables it filled; the query is timed on a system at rest
    const settledS = await settle(reportingDb);
    figure('settle_s', settledS);
    await describeRollups(reportingDb);
    const overGateway = await timed(WARMUP, REQUESTS, () => gql(PROGRESS_QUERY, variables, adminToken));
    figure('progress_requests', REQUESTS);
    figure('progress_mean_ms', ms(overGateway.mean));
    figure('progress_requests_per_s', Math.round(1000 / overGateway.mean));
    figure('progress_p50_ms', ms(overGateway.p50));
    figure('progress_p99_ms', ms(overGateway.p99));
    // where the time goes: the same query straight to reporting, without the gateway's hop and result shaping
    const credential = await signGatewayCredential(state.gatewaySecret);
    const direct = await timed(WARMUP, REQUESTS, async () => {
      const res = await fetch(state.serviceUrls.reporting, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}`, [GATEWAY_HEADER]: credential },
        body: JSON.stringify({ query: PROGRESS_QUERY, variables }),
      });
      const body = (await res.json()) as { errors?: unknown };
      if (body.errors) throw new Error(`reporting answered ${JSON.stringify(body.errors)}`);
    });
    figure('progress_reporting_direct_p50_ms', ms(direct.p50));

    // 5. one more recognition at a time, end to end through recognition's decision path
    const samples = sampleHouseholds(households, SAMPLES);
    const fixtures = await seedSampleCycles(recognitionDb, samples);
    const communeQuery = `query P($ids: [ID!]!, $year: Int!) { progress(unitIds: $ids, year: $year) { indicators { indicator numerator } } }`;
    const familyNumerator = async (communeId: string) => {
      const data = await gql<{ progress: { indicators: { indicator: string; numerator: number }[] }[] }>(
        communeQuery,
        { ids: [communeId], year: YEAR },
        adminToken,
      );
      return data.progress[0]!.indicators.find((x) => x.indicator === 'LEARNING_FAMILY_RATE')!.numerator;
    };
    const eventLatencies: number[] = [];
    const decisionLatencies: number[] = [];
    for (const [i, f] of fixtures.entries()) {
      const before = await familyNumerator(f.communeId);
      const token = await signUserToken(
        { subject: 'bench-decider', roles: [{ role: f.role, unitId: f.communeId }] },
        state.jwtSecret,
        '1h',
      );
      const t0 = performance.now();
      const decided = await gql<{ issueRecognitionDecision: { decision: { recognitionCount: number } } }>(
        `mutation D($input: IssueRecognitionDecisionInput!) { issueRecognitionDecision(input: $input) { decision { recognitionCount } } }`,
        {
          input: {
            cycleId: f.cycleId,
            number: `${900 + i}/QĐ-UBND`,
            date: '2025-12-15',
            signerName: 'Nguyễn Văn An',
            signerTitle: 'Chủ tịch UBND xã',
            allApproved: true,
          },
        },
        token,
      );
      const t1 = performance.now();
      if (decided.issueRecognitionDecision.decision.recognitionCount !== 1) throw new Error('a sample decision recognised no household');
      const deadline = t1 + 30_000;
      let now = before;
      while ((now = await familyNumerator(f.communeId)) === before && performance.now() < deadline) await sleep(POLL_MS);
      const t2 = performance.now();
      if (now !== before + 1) throw new Error(`commune ${f.communeId}: numerator ${before} → ${now}, expected one more within 30 s`);
      decisionLatencies.push(t1 - t0);
      eventLatencies.push(t2 - t1);
    }
    const after = await gql<{ progress: ProgressRow[] }>(PROGRESS_QUERY, { ids: units.provinces, year: YEAR }, adminToken);
    checkNation(after.progress, units.provinces.length, produced.in2025 + fixtures.length);
    figure('event_samples', eventLatencies.length);
    figure('decision_p50_ms', ms(percentile(decisionLatencies, 50)));
    figure('event_to_progress_mean_ms', ms(eventLatencies.reduce((a, b) => a + b, 0) / eventLatencies.length));
    figure('event_to_progress_p50_ms', ms(percentile(eventLatencies, 50)));
    figure('event_to_progress_p99_ms', ms(percentile(eventLatencies, 99)));
  });
}

const secs = (msValue: number) => (msValue / 1000).toFixed(1);
const ms = (value: number) => value.toFixed(1);

/** The rollups' size and dead rows, and the machine's load, before timing. */
async function describeRollups(db: Client): Promise<void> {
  const { rows } = await db.query<{ live: string; dead: string; size: string; vacuumed: string | null }>(
    `select n_live_tup as live, n_dead_tup as dead, pg_size_pretty(pg_total_relation_size('progress_rollup')) as size,
            greatest(last_autovacuum, last_vacuum)::text as vacuumed
     from pg_stat_user_tables where relname = 'progress_rollup'`,
  );
  const r = rows[0]!;
  say(
    `progress_rollup: ${r.live} live rows, ${r.dead} dead, ${r.size}, last vacuumed ${r.vacuumed ?? 'never'}; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

/** The provinces and communes in force today, from org's database. */
async function currentUnits(db: Client) {
  const rows = (
    await db.query<{ id: string; code: string; kind: string; parent_id: string | null }>(
      `select u.id, u.code, v.kind, v.parent_id from admin_unit u
       join admin_unit_version v on v.unit_id = u.id and v.valid_from <= current_date and (v.valid_to is null or v.valid_to >= current_date)
       where v.kind in ('PROVINCE', 'COMMUNE') order by u.code`,
    )
  ).rows;
  return {
    provinces: rows.filter((r) => r.kind === 'PROVINCE').map((r) => r.id),
    communes: rows.filter((r) => r.kind === 'COMMUNE').map((r) => ({ id: r.id, code: r.code, province: r.parent_id! })),
  };
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Xuân', 'Thu'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Phúc', 'Quang'];

/** N households placed in the communes themselves (the reference tree has no villages), a commune's households together. */
async function writeCsv(file: string, communes: { code: string }[]): Promise<void> {
  const out = createWriteStream(file);
  out.write('\uFEFFMã đơn vị,Mã hộ,Chủ hộ,Địa chỉ\n');
  let buf = '';
  let i = 0;
  for (const [c, commune] of communes.entries()) {
    // communes get N ÷ communes each, the first ones one more
    const size = Math.floor(N / communes.length) + (c < N % communes.length ? 1 : 0);
    for (let n = 1; n <= size; n++, i++) {
      const name = `${FAMILY[i % FAMILY.length]} ${MIDDLE[(i >> 4) % MIDDLE.length]} ${GIVEN[(i * 7) % GIVEN.length]}`;
      buf += `${commune.code},H${String(n).padStart(6, '0')},${name},Số ${n}\n`;
      if (buf.length > 1 << 16) {
        if (!out.write(buf)) await once(out, 'drain');
        buf = '';
      }
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

/**
 * Learning Family recognitions of the households (in org's order, a commune's together), as
 * recognition's relay publishes them: one decision per commune and year, key = the subject's id,
 * ce_type and ce_id headers. Returns how many were produced, and how many for 2025.
 */
async function produceRecognitions(kafka: Kafka, catalog: EventCatalog, households: { id: string; unit_id: string }[]) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const topic = eventTopic('recognition');
  const decisions = new Map<string, string>();
  const years = [
    { year: 2025, holds: holds2025, date: '2025-10-15', validTo: '2028-10-14' },
    { year: 2024, holds: holds2024, date: '2024-10-15', validTo: '2027-10-14' },
  ];
  let chunk: { key: string; value: string; headers: Record<string, string> }[] = [];
  let total = 0;
  let in2025 = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    await producer.send({ topic, acks: -1, messages: chunk });
    chunk = [];
  };
  try {
    for (const [i, h] of households.entries()) {
      for (const y of years) {
        if (!y.holds(i)) continue;
        const decisionKey = `${h.unit_id}|${y.year}`;
        if (!decisions.has(decisionKey)) decisions.set(decisionKey, randomUUID());
        const event = newEvent(GRANTED, h.id, {
          recognitionId: randomUUID(),
          decisionId: decisions.get(decisionKey)!,
          subjectKind: 'HOUSEHOLD',
          subjectId: h.id,
          title: 'LEARNING_FAMILY',
          level: 'ACHIEVED',
          year: y.year,
          validFrom: y.date,
          validTo: y.validTo,
          decisionNumber: `${(decisions.size % 900) + 1}/QĐ-UBND`,
          decisionDate: y.date,
          decidingUnitId: h.unit_id,
        });
        // the consumer validates each; checking the first ones here stops a malformed run early
        if (total < 1000) catalog.validate(event);
        chunk.push({
          key: event.subject,
          value: JSON.stringify(event),
          headers: { ce_type: event.type, ce_id: event.id, 'content-type': 'application/cloudevents+json; charset=UTF-8' },
        });
        total++;
        if (y.year === 2025) in2025++;
        if (chunk.length >= 1000) await flush();
      }
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
  say(`${total} granted events (${in2025} for 2025) on ${topic}, ${decisions.size} decisions`);
  return { total, in2025 };
}

/** The nation's Learning Family figures add up to the households and the 2025 recognitions; every province has a status. */
function checkNation(rows: ProgressRow[], provinces: number, numerator: number): void {
  if (rows.length !== provinces) throw new Error(`progress answered ${rows.length} of ${provinces} provinces`);
  const family = rows.map((r) => r.indicators.find((x) => x.indicator === 'LEARNING_FAMILY_RATE')!);
  const sum = (f: (x: (typeof family)[number]) => number) => family.reduce((s, x) => s + f(x), 0);
  const denominators = sum((x) => x.denominator);
  const numerators = sum((x) => x.numerator);
  say(`nation: LEARNING_FAMILY_RATE ${numerators} / ${denominators}; statuses ${[...new Set(family.map((x) => x.status))].join(', ')}`);
  if (denominators !== N || numerators !== numerator) {
    throw new Error(`LEARNING_FAMILY_RATE over the provinces is ${numerators} / ${denominators}, expected ${numerator} / ${N}`);
  }
  if (family.some((x) => x.target === null || x.status === 'NO_TARGET')) throw new Error('a province has no Learning Family target');
}

/** Households without a 2025 title, each in a different commune (the first of every commune that has one). */
function sampleHouseholds(households: { id: string; unit_id: string }[], n: number): { id: string; unit_id: string }[] {
  const picked = new Map<string, { id: string; unit_id: string }>();
  for (const [i, h] of households.entries()) {
    if (i % 10 === 9 && !picked.has(h.unit_id)) picked.set(h.unit_id, h);
    if (picked.size >= n) break;
  }
  return [...picked.values()];
}

interface SampleFixture {
  cycleId: string;
  communeId: string;
  role: Role;
}

/**
 * A one-household Learning Family cycle decided by the household's commune, with its APPROVED
 * assessment, per sample: written straight into recognition's database, as bench:decide does.
 */
async function seedSampleCycles(db: Client, samples: { id: string; unit_id: string }[]): Promise<SampleFixture[]> {
  const role = await decidingRole(db, '2025-12-15');
  const criteriaSetId = await criteriaSet(db);
  const fixtures: SampleFixture[] = [];
  await db.query('begin');
  for (const s of samples) {
    const cycleId = randomUUID();
    await db.query(
      `insert into recognition_cycle (id, year, title, subject_level, name, deciding_unit_id, submission_deadline, decision_deadline, validity_months, created_by)
       values ($1, ${YEAR}, 'LEARNING_FAMILY', 'HOUSEHOLD', 'Gia đình học tập ${YEAR}', $2, '2025-11-30', '2025-12-31', 36, 'bench')`,
      [cycleId, s.unit_id],
    );
    await db.query(
      `insert into assessment (id, cycle_id, subject_kind, subject_id, subject_unit_id, criteria_set_id, status, result_level, total_points,
         submitted_at, created_by, updated_by)
       values (gen_random_uuid(), $1, 'HOUSEHOLD', $2, $3, $4, 'APPROVED', 'ACHIEVED', 85, '2025-11-15', 'bench', 'bench')`,
      [cycleId, s.id, s.unit_id, criteriaSetId],
    );
    fixtures.push({ cycleId, communeId: s.unit_id, role });
  }
  await db.query('commit');
  return fixtures;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  },
);
