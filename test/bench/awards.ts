import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { createLogger, eventTopic, hierarchyConsumerGroup, signUserToken, todayInVietnam } from '@xhht/infra';
import { count, figure, importReferenceNation, onStack, orgOrm, percentile, say, settle, timed, waitFor } from './support';

/**
 * `npm run bench:awards`: the awards subgraph through the gateway, on the whole system started as
 * the `bench` stack profile (the test profile's ports + 1000, shifted by XHHT_PORT_OFFSET; fresh
 * databases and broker). Seeds, in this order:
 *
 * - the reference hierarchy (34 provinces, 3,321 communes from 2025-07-01, with the former tree and
 *   the 2025 merges) through org's reference import, and BENCH_VILLAGES (40) villages under the
 *   communes of the province with the most communes (the area province) through the gateway's
 *   createAdminUnit; awards' hierarchy replica is filled from org's events, and the benchmark waits
 *   until it holds every unit version org has;
 * - an OPEN annual round of the province chair's Bằng khen per province, through the gateway;
 * - a benchmark fixture, written straight into the awards database in SQL (not product code):
 *   BENCH_AREA_AWARDS (20,000) awards of this year spread over the area province's communes and
 *   villages and BENCH_OTHER_AREA_AWARDS (1,000) in each other province, each with its DECIDED
 *   nomination, in province decisions of 100 spread over the year; and, for the decisions timed
 *   below, households in the participant replica of a second province's communes with an APPROVED
 *   nomination each (fresh ones for every decision: a nomination is decided once).
 *
 * Then times, each as warm-up + sequential requests:
 *
 * 1. `AdminUnit.awards(year, scope: AREA, first: 50)` of the area province, as its emulation
 *    officer (`area_p50_ms`, `area_p99_ms`); then the same field (first: 10) on the 34 provinces in
 *    one query (`adminUnits(kind: PROVINCE)`) and on the area province alone, alternately, as an
 *    administrator (`area_34_vs_1_ratio`, of the p50s), with the statements each request sends to
 *    the awards database counted by pg_stat_statements (a batched field sends as many for 34 as for 1);
 * 2. `issueAwardDecision` of 1, 50 and 500 awardees (BENCH_SAMPLES (100) decisions of 1 and of 50,
 *    BENCH_LARGE_SAMPLES (100) of 500) by the second province's emulation officer, the awardees spread
 *    over its communes as a province's decision lists them, each decision checked to list the
 *    awardees asked (`decision_<n>_p50_ms`, `decision_<n>_p99_ms`, statements per decision);
 * 3. one certificate, `GET /certificates/<awardId>` (`certificate_p50_ms`, bytes);
 * 4. the 500-awardee decision's print, `GET /certificates/decisions/<decisionId>`, BENCH_PRINT_SAMPLES
 *    (10) times (bytes, pages as pdf.js reads them, p50, pages/s).
 *
 * Reads are BENCH_WARMUP (5) + BENCH_REQUESTS (200) requests each. The slowest statements of each
 * phase (pg_stat_statements) are noted on stderr. Prints last
 * `decision_500_ms_per_awardee=` (the 500-awardee decision's p50 ÷ 500).
 */
const AREA_AWARDS = Number(process.env.BENCH_AREA_AWARDS ?? 20_000);
const OTHER_AREA_AWARDS = Number(process.env.BENCH_OTHER_AREA_AWARDS ?? 1_000);
const VILLAGES = Number(process.env.BENCH_VILLAGES ?? 40);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
// at least 100 timed requests each, so that p99 (nearest rank) is not simply the slowest one
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const LARGE_SAMPLES = Number(process.env.BENCH_LARGE_SAMPLES ?? 100);
const PRINT_SAMPLES = Number(process.env.BENCH_PRINT_SAMPLES ?? 10);
const FORM = 'BANG_KHEN_CHU_TICH_TINH';
/** Awards per seeded decision of the area fixture. */
const SEEDED_DECISION_SIZE = 100;
const DECISION_SIZES = [1, 50, 500] as const;
/** Untimed decisions of 500 before the timed ones: each writes 500 awards, a few warm the paths. */
const LARGE_WARMUP = 2;

const TODAY = todayInVietnam();
const YEAR = Number(TODAY.slice(0, 4));

const AREA_FIELDS = `totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id registerNumber year nomineeKind awardeeName awardeeDetail decision { id number decidedOn } } }`;
const AREA_QUERY = `query A($id: ID!, $year: Int, $first: Int) {
  adminUnit(id: $id) { id awards(year: $year, scope: AREA, first: $first) { ${AREA_FIELDS} } }
}`;
const PROVINCES_QUERY = `query P($year: Int, $first: Int) {
  adminUnits(kind: PROVINCE, first: 50) { totalCount edges { node { id awards(year: $year, scope: AREA, first: $first) { ${AREA_FIELDS} } } } }
}`;
const ISSUE = `mutation D($input: IssueAwardDecisionInput!) {
  issueAwardDecision(input: $input) { decision { id number awards { id registerNumber } } }
}`;

interface AwardPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string; year: number; decision: { decidedOn: string } } }[];
}

interface Unit {
  id: string;
  code: string;
  name: string;
}

interface Province extends Unit {
  communes: Unit[];
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const logger = createLogger('bench', process.env.LOG_LEVEL);
  await onStack('xhht-bench-awards', logger, async ({ state, connect, lag, gql }) => {
    const [orgDb, awardsDb] = await Promise.all([connect(state.databaseUrls.org), connect(state.databaseUrls.awards)]);
    const token = (subject: string, roles: { role: 'SYSTEM_ADMIN' | 'EMULATION_OFFICER'; unitId?: string }[]) =>
      signUserToken({ subject, roles }, state.jwtSecret, '4h');
    const adminToken = await token('bench-admin', [{ role: 'SYSTEM_ADMIN' }]);

    // 1. the nation through org, villages in the area province, then awards' replica of it all
    const tUnits = performance.now();
    const orm = await orgOrm(state.databaseUrls.org, logger);
    try {
      await importReferenceNation(orm);
    } finally {
      await orm.close();
    }
    const provinces = await currentProvinces(orgDb);
    const communes = provinces.reduce((n, p) => n + p.communes.length, 0);
    if (provinces.length !== 34 || communes !== 3321) {
      throw new Error(`the reference tree has ${provinces.length} provinces and ${communes} communes today`);
    }
    // the province with the most communes holds the big area; the next one issues the timed decisions
    const [area, decider] = [...provinces].sort((a, b) => b.communes.length - a.communes.length || a.code.localeCompare(b.code)) as [
      Province,
      Province,
    ];
    const villages: Unit[] = [];
    for (let v = 0; v < VILLAGES; v++) {
      const commune = area.communes[v % area.communes.length]!;
      const n = Math.floor(v / area.communes.length) + 1;
      const input = { code: `${commune.code}-T${n}`, name: `Thôn ${n}`, kind: 'VILLAGE', parentId: commune.id, validFrom: '2025-07-01' };
      const created = await gql<{ createAdminUnit: { adminUnit: { id: string } } }>(
        `mutation C($input: CreateAdminUnitInput!) { createAdminUnit(input: $input) { adminUnit { id } } }`,
        { input },
        adminToken,
      );
      villages.push({ id: created.createAdminUnit.adminUnit.id, code: input.code, name: input.name });
    }
    figure('seed_units_s', secs(performance.now() - tUnits));
    const versions = await count(orgDb, 'select count(*) as n from admin_unit_version');
    await waitFor("awards' hierarchy replica to hold every unit version", 1800, async () => {
      const behind = await lag(hierarchyConsumerGroup('awards'), eventTopic('org'));
      const n = await count(awardsDb, 'select count(*) as n from admin_unit_version_replica');
      return { done: behind === 0 && n === versions, note: `${n} of ${versions} versions, lag ${behind}` };
    });
    figure('awards_replica_caught_up_s', secs(performance.now() - tUnits));
    say(
      `area province ${area.name} (${area.communes.length} communes, ${villages.length} villages); decisions by ${decider.name} (${decider.communes.length} communes)`,
    );

    // 2. an open round of the province chair's Bằng khen in every province
    const rounds = new Map<string, string>();
    for (const p of provinces) {
      const created = await gql<{ createAwardRound: { round: { id: string } } }>(
        `mutation C($input: CreateAwardRoundInput!) { createAwardRound(input: $input) { round { id } } }`,
        {
          input: {
            scopeUnitId: p.id,
            kind: 'ANNUAL',
            year: YEAR,
            name: `Khen thưởng Tuần lễ hưởng ứng học tập suốt đời năm ${YEAR} — ${p.name}`,
            nominationDeadline: `${YEAR}-12-20`,
            decisionDeadline: `${YEAR}-12-28`,
            forms: [{ formCode: FORM }],
          },
        },
        adminToken,
      );
      const id = created.createAwardRound.round.id;
      await gql(`mutation O($id: ID!) { openAwardRound(id: $id) { round { id } } }`, { id }, adminToken);
      rounds.set(p.id, id);
    }
    say(`an open ${YEAR} round of ${FORM} in each of the ${provinces.length} provinces`);

    // 3. the area fixture in SQL: awards over the area province's communes and villages, fewer in every other province
    const tSeed = performance.now();
    const seeded = new Map<string, number>();
    await awardsDb.query('begin');
    for (const p of provinces) {
      const n = p.id === area.id ? AREA_AWARDS : OTHER_AREA_AWARDS;
      const units = p.id === area.id ? [...area.communes, ...villages] : p.communes;
      await seedAreaAwards(awardsDb, { province: p, roundId: rounds.get(p.id)!, units: units.map((u) => u.id), n });
      seeded.set(p.id, n);
    }
    await awardsDb.query('commit');
    await awardsDb.query('analyze');
    figure('area_awards', AREA_AWARDS);
    figure('area_units', area.communes.length + villages.length);
    figure('other_province_awards', OTHER_AREA_AWARDS);
    figure('seed_area_awards_s', secs(performance.now() - tSeed));
    figure('settle_s', await settle(awardsDb));

    // 4. the area's awards: right first, then timed
    await awardsDb.query('create extension if not exists pg_stat_statements');
    const stats = statementStats(awardsDb);
    const officerA = await token('bench-thi-dua-a', [{ role: 'EMULATION_OFFICER', unitId: area.id }]);
    const areaPage = (first: number, t: string) =>
      gql<{ adminUnit: { awards: AwardPage } }>(AREA_QUERY, { id: area.id, year: YEAR, first }, t).then((d) => d.adminUnit.awards);
    checkPage(await areaPage(50, officerA), AREA_AWARDS, 50, area.name);
    await stats.reset();
    const areaTimed = await timed(WARMUP, REQUESTS, () => areaPage(50, officerA));
    figure('area_requests', REQUESTS);
    figure('area_p50_ms', ms(areaTimed.p50));
    figure('area_p99_ms', ms(areaTimed.p99));
    await stats.describe('area (first: 50)', WARMUP + REQUESTS);

    const nation = () =>
      gql<{ adminUnits: { edges: { node: { id: string; awards: AwardPage } }[] } }>(PROVINCES_QUERY, { year: YEAR, first: 10 }, adminToken);
    const all = await nation();
    if (all.adminUnits.edges.length !== provinces.length) throw new Error(`adminUnits answered ${all.adminUnits.edges.length} provinces`);
    for (const { node } of all.adminUnits.edges) checkPage(node.awards, seeded.get(node.id) ?? -1, 10, node.id);
    checkPage(await areaPage(10, adminToken), AREA_AWARDS, 10, area.name);
    const one = await stats.around(() => areaPage(10, adminToken));
    await stats.describe('one province (first: 10), one request', 1);
    const many = await stats.around(nation);
    await stats.describe('34 provinces (first: 10), one request', 1);
    // alternately, so both see the same machine: two noisy cores drift over a run
    const single: number[] = [];
    const batch: number[] = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      for (const [call, into] of [
        [() => areaPage(10, adminToken), single],
        [nation, batch],
      ] as const) {
        const t0 = performance.now();
        await call();
        if (i >= WARMUP) into.push(performance.now() - t0);
      }
    }
    figure('area_1_first10_p50_ms', ms(percentile(single, 50)));
    figure('area_34_first10_p50_ms', ms(percentile(batch, 50)));
    figure('area_34_first10_p99_ms', ms(percentile(batch, 99)));
    figure('area_1_statements', one);
    figure('area_34_statements', many);
    figure('area_34_vs_1_ratio', (percentile(batch, 50) / percentile(single, 50)).toFixed(2));

    // 5. award decisions of 1, 50 and 500 awardees, each on fresh APPROVED nominations
    const plan = DECISION_SIZES.map((size) => {
      const warmup = size === 500 ? LARGE_WARMUP : WARMUP;
      return { size, warmup, runs: warmup + (size === 500 ? LARGE_SAMPLES : SAMPLES) };
    });
    const pool = await seedApprovedNominations(
      awardsDb,
      decider,
      rounds.get(decider.id)!,
      plan.reduce((n, p) => n + p.size * p.runs, 0),
    );
    await awardsDb.query('analyze');
    say(`${pool.length} APPROVED nominations of households in ${decider.name}'s communes`);
    figure('settle_decisions_s', await settle(awardsDb));
    const officerD = await token('bench-thi-dua-d', [{ role: 'EMULATION_OFFICER', unitId: decider.id }]);
    let next = 0;
    let number = 0;
    const latencies = new Map<number, { p50: number; p99: number }>();
    let last: { id: string; awards: { id: string }[] } | undefined;
    for (const { size, warmup, runs } of plan) {
      await stats.reset();
      const result = await timed(warmup, runs - warmup, async () => {
        const awardees = pool.slice(next, next + size);
        next += size;
        const decided = await gql<{ issueAwardDecision: { decision: { id: string; awards: { id: string }[] } } }>(
          ISSUE,
          {
            input: {
              roundId: rounds.get(decider.id),
              formCode: FORM,
              number: `${++number}/QĐ-UBND`,
              decidedOn: TODAY,
              issuingUnitId: decider.id,
              signerName: 'Nguyễn Văn Bình',
              awardees: awardees.map((a) => ({ nominationId: a, name: 'Gia đình ông Nguyễn Văn An' })),
            },
          },
          officerD,
        );
        const d = decided.issueAwardDecision.decision;
        if (d.awards.length !== size) throw new Error(`a decision of ${size} awardees lists ${d.awards.length}`);
        last = d;
      });
      latencies.set(size, result);
      figure(`decision_${size}_samples`, runs - warmup);
      figure(`decision_${size}_p50_ms`, ms(result.p50));
      figure(`decision_${size}_p99_ms`, ms(result.p99));
      figure(`decision_${size}_statements`, Math.round((await stats.calls()) / runs));
      await stats.describe(`decision of ${size}`, runs);
    }
    const p1 = latencies.get(1)!.p50;
    const p500 = latencies.get(500)!.p50;
    say(`the 499 awardees beyond the first add ${((p500 - p1) / 499).toFixed(2)} ms each (p50s)`);
    const decided = last!;
    const rows = await count(awardsDb, `select count(*) as n from award where decision_id = '${decided.id}'`);
    if (rows !== 500) throw new Error(`the last decision has ${rows} award rows`);

    // 6. one certificate, by the deciding province's emulation officer
    const get = async (path: string) => {
      const res = await fetch(new URL(path, state.gatewayUrl), { headers: { authorization: `Bearer ${officerD}` } });
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200 || res.headers.get('content-type') !== 'application/pdf') {
        throw new Error(`GET ${path}: ${res.status} ${body.toString('utf8', 0, 300)}`);
      }
      return body;
    };
    const certificatePath = `/certificates/${decided.awards[0]!.id}`;
    const certificate = await get(certificatePath);
    if ((await pdfPages(certificate)) !== 1) throw new Error('a certificate is not one page');
    await stats.reset();
    const certificateTimed = await timed(WARMUP, REQUESTS, () => get(certificatePath));
    figure('certificate_bytes', certificate.length);
    figure('certificate_p50_ms', ms(certificateTimed.p50));
    figure('certificate_p99_ms', ms(certificateTimed.p99));
    await stats.describe('certificate', WARMUP + REQUESTS);

    // 7. the whole decision's print
    const printPath = `/certificates/decisions/${decided.id}`;
    const print = await get(printPath);
    const pages = await pdfPages(print);
    if (pages !== 500) throw new Error(`the decision's print has ${pages} pages`);
    await stats.reset();
    const printTimed = await timed(1, PRINT_SAMPLES, () => get(printPath));
    figure('decision_print_bytes', print.length);
    figure('decision_print_pages', pages);
    figure('decision_print_p50_ms', ms(printTimed.p50));
    figure('decision_print_pages_per_s', Math.round(pages / (printTimed.p50 / 1000)));
    await stats.describe('decision print', 1 + PRINT_SAMPLES);

    figure('decision_500_ms_per_awardee', (p500 / 500).toFixed(2));
  });
}

const secs = (msValue: number) => (msValue / 1000).toFixed(1);
const ms = (value: number) => value.toFixed(1);

/** The provinces in force today with their communes, from org's database. */
async function currentProvinces(db: Client): Promise<Province[]> {
  const rows = (
    await db.query<{ id: string; code: string; name: string; kind: string; parent_id: string | null }>(
      `select u.id, u.code, v.name, v.kind, v.parent_id from admin_unit u
       join admin_unit_version v on v.unit_id = u.id and v.valid_from <= current_date and (v.valid_to is null or v.valid_to >= current_date)
       where v.kind in ('PROVINCE', 'COMMUNE') order by u.code`,
    )
  ).rows;
  const provinces = new Map<string, Province>(
    rows.filter((r) => r.kind === 'PROVINCE').map((r) => [r.id, { id: r.id, code: r.code, name: r.name, communes: [] }]),
  );
  for (const r of rows) if (r.kind === 'COMMUNE') provinces.get(r.parent_id!)?.communes.push({ id: r.id, code: r.code, name: r.name });
  return [...provinces.values()];
}

/** A page of AREA awards as seeded: its size, the total, a next page when there are more, newest decision first. */
function checkPage(page: AwardPage, total: number, first: number, what: string): void {
  const expected = Math.min(first, total);
  if (page.totalCount !== total || page.edges.length !== expected || page.pageInfo.hasNextPage !== total > first) {
    throw new Error(
      `${what}: ${page.edges.length} edges of totalCount ${page.totalCount} (hasNextPage ${page.pageInfo.hasNextPage}), expected ${expected} of ${total}`,
    );
  }
  const days = page.edges.map((e) => e.node.decision.decidedOn);
  if (days.some((d, i) => i > 0 && d > days[i - 1]!)) throw new Error(`${what}: the page is not newest decision first`);
  if (page.edges.some((e) => e.node.year !== YEAR)) throw new Error(`${what}: an award of another year`);
}

/**
 * `n` awards of this year to households of `units` (one after another), each from its DECIDED
 * nomination, in decisions of SEEDED_DECISION_SIZE by the province spread over the year so far;
 * register numbers 1… of the province. Numbers `<k>/QĐ-KT` keep clear of the timed decisions'.
 */
async function seedAreaAwards(db: Client, p: { province: Province; roundId: string; units: string[]; n: number }): Promise<void> {
  if (p.n === 0) return;
  const daysSoFar = Math.max(1, Math.round((Date.parse(TODAY) - Date.parse(`${YEAR}-01-01`)) / 86_400_000));
  // (utility statements take no parameters: the tables first, then filled)
  await db.query(`create temp table bench_area (i int, nomination_id uuid, award_id uuid, household_id uuid, unit_id uuid, d int)`);
  await db.query(
    `insert into bench_area
     select i, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), ($1::uuid[])[1 + i % cardinality($1::uuid[])], i / ${SEEDED_DECISION_SIZE}
     from generate_series(0, $2::int - 1) i`,
    [`{${p.units.join(',')}}`, p.n],
  );
  await db.query(`create temp table bench_area_decision (d int, id uuid, number text, number_key text, decided_on date)`);
  await db.query(
    `insert into bench_area_decision
     select d, gen_random_uuid(), (d + 1) || '/QĐ-KT', (d + 1) || '/qđ-kt', $1::date + (d * 7) % $2::int
     from (select distinct d from bench_area) x`,
    [`${YEAR}-01-01`, daysSoFar],
  );
  await db.query(
    `insert into nomination (id, round_id, form_code, nominee_kind, nominee_id, proposing_unit_id, summary, achievement, status, version,
       recognitions, eligibility, submitted_at, decision_ref, created_at, created_by, updated_at, updated_by)
     select a.nomination_id, $1, $2, 'HOUSEHOLD', a.household_id, a.unit_id, 'Gia đình tiêu biểu trong phong trào xây dựng xã hội học tập',
       jsonb_build_object('kind', 'FREE', 'achievementKind', 'Thành tích phong trào', 'year', $3::int - 1, 'text', 'Gia đình học tập tiêu biểu'),
       'DECIDED', 6, '[]', '{"eligible": true, "checks": []}', now(), d.number, now(), 'bench', now(), 'bench'
     from bench_area a join bench_area_decision d using (d)`,
    [p.roundId, FORM, YEAR],
  );
  await db.query(
    `insert into nomination_achievement (nomination_id, achievement_key, live)
     select nomination_id, 'FREE:' || household_id || ':thành tích phong trào:' || ($1::int - 1) || ':gia đình học tập tiêu biểu', true from bench_area`,
    [YEAR],
  );
  await db.query(
    `insert into award_decision (id, round_id, form_code, form_version_id, number, number_key, decided_on, issuing_unit_id, issuing_body,
       grantor, place, signer_name, signer_title, citation, created_at, created_by)
     select d.id, $1, $2, (select id from award_form_version where code = $2 and valid_to is null), d.number, d.number_key, d.decided_on, $3,
       array['ỦY BAN NHÂN DÂN', $4], 'CHỦ TỊCH ỦY BAN NHÂN DÂN ' || $4, $5, 'Nguyễn Văn Bình', 'CHỦ TỊCH',
       'xuất sắc trong phong trào khuyến học, khuyến tài, xây dựng xã hội học tập năm ' || $6, now(), 'bench'
     from bench_area_decision d`,
    // upper-cased here: the database's collation may leave Vietnamese letters as they are
    [p.roundId, FORM, p.province.id, p.province.name.toLocaleUpperCase('vi'), p.province.name.replace(/^(Tỉnh|Thành phố)\s+/u, ''), YEAR],
  );
  await db.query(
    `insert into award (id, decision_id, position, nomination_id, nominee_kind, nominee_id, nominee_unit_id, awardee_name, awardee_detail,
       citation, issuing_unit_id, year, register_seq, register_number, version)
     select a.award_id, d.id, a.i % ${SEEDED_DECISION_SIZE} + 1, a.nomination_id, 'HOUSEHOLD', a.household_id, a.unit_id,
       'Gia đình ông Nguyễn Văn An', null, null, $1, $2::int, a.i + 1, lpad((a.i + 1)::text, 4, '0') || '/' || $2::int, 1
     from bench_area a join bench_area_decision d using (d)`,
    [p.province.id, YEAR],
  );
  await db.query('drop table bench_area, bench_area_decision');
}

/**
 * `n` households in the participant replica, spread over the province's communes one after
 * another, each with an APPROVED nomination for the round's form (a free achievement holding its
 * key); returns the nominations' ids in that order.
 */
async function seedApprovedNominations(db: Client, province: Province, roundId: string, n: number): Promise<string[]> {
  const rows = Array.from({ length: n }, (_, i) => ({
    nomination: randomUUID(),
    household: randomUUID(),
    unit: province.communes[i % province.communes.length]!.id,
    code: `BENCH-${String(i + 1).padStart(6, '0')}`,
  }));
  await db.query('begin');
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = JSON.stringify(rows.slice(i, i + 5000));
    await db.query(
      `insert into participant_replica (id, kind, unit_id, code, source_time)
       select household, 'HOUSEHOLD', unit, code, now() from jsonb_to_recordset($1::jsonb) as x(household uuid, unit uuid, code text)`,
      [chunk],
    );
    await db.query(
      `insert into nomination (id, round_id, form_code, nominee_kind, nominee_id, proposing_unit_id, summary, achievement, status, version,
         recognitions, eligibility, submitted_at, created_at, created_by, updated_at, updated_by)
       select nomination, $2, $3, 'HOUSEHOLD', household, unit, 'Gia đình tiêu biểu trong phong trào xây dựng xã hội học tập',
         jsonb_build_object('kind', 'FREE', 'achievementKind', 'Thành tích phong trào', 'year', $4::int - 1, 'text', 'Gia đình học tập tiêu biểu'),
         'APPROVED', 5, '[]', '{"eligible": true, "checks": []}', now(), now(), 'bench', now(), 'bench'
       from jsonb_to_recordset($1::jsonb) as x(nomination uuid, household uuid, unit uuid)`,
      [chunk, roundId, FORM, YEAR],
    );
    await db.query(
      `insert into nomination_achievement (nomination_id, achievement_key, live)
       select nomination, 'FREE:' || household || ':thành tích phong trào:' || ($2::int - 1) || ':gia đình học tập tiêu biểu', true
       from jsonb_to_recordset($1::jsonb) as x(nomination uuid, household uuid)`,
      [chunk, YEAR],
    );
  }
  await db.query('commit');
  return rows.map((r) => r.nomination);
}

/**
 * What the services sent the awards database, from pg_stat_statements. The outbox relay polls in the
 * background (its try-lock, its outbox statements), so statements on the outbox are left out (a
 * decision's own outbox row too), and transaction control: the counts are the requests' own statements.
 */
function statementStats(db: Client) {
  const OWN = `dbid = (select oid from pg_database where datname = current_database())
    and query not ilike '%outbox%' and query not ilike '%pg_try_advisory_xact_lock%' and query not ilike '%pg_stat_statements%'
    and lower(query) not in ('begin', 'commit', 'rollback')`;
  const reset = async () => void (await db.query('select pg_stat_statements_reset()'));
  const calls = async () => count(db, `select coalesce(sum(calls), 0)::bigint as n from pg_stat_statements where ${OWN}`);
  return {
    reset,
    calls,
    /** The statements `call` makes the services send, on a reset counter. */
    async around(call: () => Promise<unknown>): Promise<number> {
      await reset();
      await call();
      return calls();
    },
    /** The statements that took the most time since the reset, per request (`requests` of them). */
    async describe(what: string, requests: number): Promise<void> {
      const { rows } = await db.query<{ calls: string; total: number; mean: number; max: number; query: string }>(
        `select calls, total_exec_time as total, mean_exec_time as mean, max_exec_time as max,
                regexp_replace(query, '\\s+', ' ', 'g') as query
         from pg_stat_statements where ${OWN} order by total_exec_time desc limit 4`,
      );
      const { rows: sum } = await db.query<{ total: number; calls: string }>(
        `select coalesce(sum(total_exec_time), 0)::float8 as total, coalesce(sum(calls), 0) as calls from pg_stat_statements where ${OWN}`,
      );
      say(
        `${what}: ${(sum[0]!.total / requests).toFixed(1)} ms of statements in ${Math.round(Number(sum[0]!.calls) / requests)} per request`,
      );
      for (const r of rows) {
        say(
          `  ${(r.total / requests).toFixed(1)} ms/request, ${(Number(r.calls) / requests).toFixed(0)} calls/request, mean ${r.mean.toFixed(2)} ms, max ${r.max.toFixed(1)} ms: ${brief(r.query)}`,
        );
      }
    },
  };
}

/** A statement's beginning and end: recursive CTEs over the hierarchy begin alike and differ in what they select. */
const brief = (query: string) => (query.length <= 200 ? query : `${query.slice(0, 110)} … ${query.slice(-80)}`);

/** Pages of a PDF as pdf.js reads it. */
async function pdfPages(pdf: Buffer): Promise<number> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    return doc.numPages;
  } finally {
    await doc.destroy();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  },
);
