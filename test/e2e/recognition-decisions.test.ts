import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { todayInVietnam } from '@xhht/infra';
import { collectTopic, createProvince, createUnit, eventually, gql, sql, tokenFor, uniqueCode } from '../support/stack';

/**
 * Recognition decisions through the gateway: the deciding authority recognises the approved
 * subjects of a cycle (one granted event each), refusals write nothing, a recognition can be
 * revoked and expires on its own, and a commune merge keeps its households' recognitions.
 *
 * The assessments are written straight into recognition's `assessment` table (APPROVED, as the
 * assessment workflow leaves them): decisions read only that table.
 */

const TOPIC = 'xhht.recognition.events';
const GRANTED = 'vn.xhht.recognition.recognition.granted.v1';
const REVOKED = 'vn.xhht.recognition.recognition.revoked.v1';
const EXPIRED = 'vn.xhht.recognition.recognition.expired.v1';
const ISSUED = 'vn.xhht.recognition.decision.issued.v1';
/** The Learning Family sample criteria set shipped by the criteria module's migration. */
const FAMILY_SAMPLE_ID = '074ceb0a-15fd-4017-ab42-31a9e7016a81';

const REGISTER_HOUSEHOLD = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id code } } }`;
const OPEN_CYCLE = `mutation Open($input: OpenRecognitionCycleInput!) { openRecognitionCycle(input: $input) { cycle { id } } }`;
const ISSUE = `mutation Issue($input: IssueRecognitionDecisionInput!) {
  issueRecognitionDecision(input: $input) {
    decision {
      id number date signerName signerTitle late recognitionCount title year
      levelCounts { level levelName count }
      decidingUnit { id name } cycle { id }
      recognitions(first: 10) {
        totalCount
        edges { node { id subjectKind subjectId level levelName title titleName year validFrom validTo status household { id code } } }
      }
    }
  }
}`;
const REVOKE = `mutation Revoke($input: RevokeRecognitionInput!) {
  revokeRecognition(input: $input) { recognition { id status revokedReason revokedBy validOn } }
}`;
const EXPIRE = `mutation { expireRecognitions { expiredCount } }`;
const HOUSEHOLD = `query H($id: ID!, $validOn: Date) {
  household(id: $id) { id code recognitions(validOn: $validOn) { id title level status validFrom validTo decision { number } } }
}`;
const UNIT_RECOGNITIONS = `query U($id: ID!, $year: Int, $validOn: Date) {
  adminUnit(id: $id) { id recognitions(year: $year, validOn: $validOn, first: 50) { totalCount edges { node { subjectId status } } } }
}`;
const LIST = `query L($filter: RecognitionFilter, $first: Int) {
  recognitions(filter: $filter, first: $first) { totalCount edges { node { id subjectId status } } }
}`;
const MERGE = `mutation Merge($input: MergeAdminUnitsInput!) { mergeAdminUnits(input: $input) { units { id } } }`;

let events: { messages: KafkaMessage[]; stop: () => Promise<void> };
let communeA: { id: string };
let communeB: { id: string };
let communeM: { id: string };
let villageB: { id: string };
let households: { id: string; code: string }[];
let householdB: { id: string; code: string };
let cycleA: string;
let assessments: Map<string, string>;
let officerA: string;

const parsed = (m: KafkaMessage) => JSON.parse(m.value!.toString()) as { id: string; type: string; subject: string; data: any };
const eventsOf = (type: string, pred: (e: { subject: string; data: any }) => boolean = () => true) =>
  events.messages.map(parsed).filter((e) => e.type === type && pred(e));

async function household(unitId: string): Promise<{ id: string; code: string }> {
  const res = await gql(REGISTER_HOUSEHOLD, { input: { unitId, code: uniqueCode(), headName: 'Nguyễn Văn Học' } });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.registerHousehold.household as { id: string; code: string };
}

async function openCycle(unitId: string, validityMonths: number, token: string): Promise<string> {
  const res = await gql(
    OPEN_CYCLE,
    {
      input: {
        year: 2025,
        title: 'LEARNING_FAMILY',
        subjectLevel: 'HOUSEHOLD',
        decidingUnitId: unitId,
        submissionDeadline: '2025-11-30',
        decisionDeadline: '2025-12-31',
        validityMonths,
      },
    },
    { token },
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.openRecognitionCycle.cycle.id as string;
}

/** APPROVED assessments as the workflow leaves them; returns subject id → assessment id. */
async function approve(cycleId: string, unitOf: Map<string, string>, status = 'APPROVED'): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [subjectId, unitId] of unitOf) {
    const id = randomUUID();
    await sql(
      'recognition',
      `insert into assessment (id, cycle_id, subject_kind, subject_id, subject_unit_id, criteria_set_id, status, result_level, total_points,
         submitted_at, created_by, updated_by)
       values ($1, $2, 'HOUSEHOLD', $3, $4, $5, $6, 'ACHIEVED', 86, '2025-11-20', 'e2e', 'e2e')`,
      [id, cycleId, subjectId, unitId, randomUUID(), status],
    );
    out.set(subjectId, id);
  }
  return out;
}

const footprint = async () =>
  (
    await sql<{ decisions: number; recognitions: number; outbox: number }>(
      'recognition',
      `select (select count(*)::int from recognition_decision) as decisions, (select count(*)::int from recognition) as recognitions,
         (select count(*)::int from outbox) as outbox`,
    )
  )[0]!;

const issueInput = (over: Record<string, unknown> = {}) => ({
  cycleId: cycleA,
  number: '12/QĐ-UBND',
  date: '2026-01-10',
  signerName: 'Trần Thị Bình',
  signerTitle: 'Chủ tịch UBND xã',
  allApproved: true,
  ...over,
});

beforeAll(async () => {
  events = await collectTopic(TOPIC);
  const { province } = await createProvince('Việt Nam (quyết định công nhận)', 'Tỉnh Bắc Ninh');
  const commune = (name: string) =>
    createUnit({ code: uniqueCode(), name, kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
  communeA = await commune('Xã Tân Yên');
  communeB = await commune('Xã Việt Yên');
  communeM = await commune('Xã Ngọc Thiện');
  const village = (parentId: string) =>
    createUnit({ code: uniqueCode(), name: 'Thôn Đông', kind: 'VILLAGE', parentId, validFrom: '2025-07-01' });
  const villageA = await village(communeA.id);
  villageB = await village(communeB.id);
  households = [await household(villageA.id), await household(villageA.id), await household(villageA.id), await household(villageA.id)];
  householdB = await household(villageB.id);
  const all = [...households, householdB].map((h) => h.id);
  await eventually(
    async () => {
      const [r] = await sql<{ n: number; u: number }>(
        'recognition',
        `select (select count(*)::int from participant_replica where id = any($1::uuid[])) as n,
           (select count(*)::int from admin_unit_version_replica where unit_id = any($2::uuid[])) as u`,
        [all, [communeA.id, communeB.id, communeM.id, villageA.id, villageB.id]],
      );
      return r!.n === all.length && r!.u === 5 ? true : undefined;
    },
    60000,
    'households and units in the recognition replicas',
  );
  officerA = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: communeA.id }], 'hkh-tan-yen');
  cycleA = await openCycle(communeA.id, 36, officerA);
  // three approved, one still under review: only the approved are recognised
  assessments = await approve(cycleA, new Map(households.slice(0, 3).map((h) => [h.id, villageA.id])));
  await approve(cycleA, new Map([[households[3]!.id, villageA.id]]), 'UNDER_REVIEW');
}, 120000);

afterAll(async () => {
  await events.stop();
});

describe('recognition decisions', () => {
  it('refuses the wrong authority and callers out of scope, writing nothing', async () => {
    const before = await footprint();
    const wrongRole = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: communeA.id }]);
    const res1 = await gql(ISSUE, { input: issueInput() }, { token: wrongRole });
    expect(res1.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'NOT_DECIDING_AUTHORITY' });
    const otherCommune = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: communeB.id }]);
    const res2 = await gql(ISSUE, { input: issueInput() }, { token: otherCommune });
    expect(res2.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const citizen = await tokenFor([{ role: 'CITIZEN' }]);
    const res3 = await gql(ISSUE, { input: issueInput() }, { token: citizen });
    expect(res3.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await footprint()).toEqual(before);
  });

  it('recognises every approved subject of the cycle, with one granted event each', async () => {
    const res = await gql(ISSUE, { input: issueInput() }, { token: officerA });
    expect(res.errors).toBeUndefined();
    const d = res.data!.issueRecognitionDecision.decision;
    expect(d).toMatchObject({
      number: '12/QĐ-UBND',
      date: '2026-01-10',
      signerName: 'Trần Thị Bình',
      // after the cycle's decision deadline: flagged, not refused
      late: true,
      recognitionCount: 3,
      title: 'LEARNING_FAMILY',
      year: 2025,
      levelCounts: [{ level: 'ACHIEVED', levelName: 'Đạt', count: 3 }],
      decidingUnit: { id: communeA.id, name: 'Xã Tân Yên' },
      cycle: { id: cycleA },
    });
    expect(d.recognitions.totalCount).toBe(3);
    const nodes = d.recognitions.edges.map((e: { node: any }) => e.node);
    expect(nodes.map((n: { subjectId: string }) => n.subjectId).sort()).toEqual(
      households
        .slice(0, 3)
        .map((h) => h.id)
        .sort(),
    );
    for (const n of nodes) {
      expect(n).toMatchObject({
        subjectKind: 'HOUSEHOLD',
        level: 'ACHIEVED',
        title: 'LEARNING_FAMILY',
        titleName: 'Gia đình học tập',
        year: 2025,
        validFrom: '2026-01-10',
        validTo: '2029-01-09',
        status: 'ACTIVE',
        household: { id: n.subjectId },
      });
    }

    const granted = await eventually(
      async () => {
        const g = eventsOf(GRANTED, (e) => e.data.decisionId === d.id);
        return g.length >= 3 ? g : undefined;
      },
      30000,
      'granted events',
    );
    expect(granted).toHaveLength(3);
    expect(granted.map((e) => e.subject).sort()).toEqual(nodes.map((n: { subjectId: string }) => n.subjectId).sort());
    const one = granted.find((e) => e.subject === households[0]!.id)!;
    expect(one.data).toEqual({
      recognitionId: nodes.find((n: { subjectId: string }) => n.subjectId === households[0]!.id).id,
      decisionId: d.id,
      subjectKind: 'HOUSEHOLD',
      subjectId: households[0]!.id,
      title: 'LEARNING_FAMILY',
      level: 'ACHIEVED',
      year: 2025,
      validFrom: '2026-01-10',
      validTo: '2029-01-09',
      decisionNumber: '12/QĐ-UBND',
      decisionDate: '2026-01-10',
      decidingUnitId: communeA.id,
    });
    await eventually(async () => (eventsOf(ISSUED, (e) => e.subject === d.id).length === 1 ? true : undefined), 30000, 'issued event');
    expect(eventsOf(ISSUED, (e) => e.subject === d.id)[0]!.data).toMatchObject({ recognitionCount: 3, late: true, number: '12/QĐ-UBND' });

    // the federation fields
    const h = await gql(HOUSEHOLD, { id: households[0]!.id, validOn: todayInVietnam() });
    expect(h.errors).toBeUndefined();
    expect(h.data!.household.recognitions).toEqual([
      expect.objectContaining({ title: 'LEARNING_FAMILY', level: 'ACHIEVED', status: 'ACTIVE', decision: { number: '12/QĐ-UBND' } }),
    ]);
    const u = await gql(UNIT_RECOGNITIONS, { id: communeA.id, year: 2025 });
    expect(u.errors).toBeUndefined();
    expect(u.data!.adminUnit.recognitions.totalCount).toBe(3);
    const list = await gql(LIST, { filter: { unitId: communeA.id, title: 'LEARNING_FAMILY', year: 2025, subjectKind: 'HOUSEHOLD' } });
    expect(list.data!.recognitions.totalCount).toBe(3);

    // households' recognitions are personal data: another commune's officer does not see them
    const outsider = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeB.id }]);
    const hidden = await gql(LIST, { filter: { unitId: communeA.id } }, { token: outsider });
    expect(hidden.data!.recognitions.totalCount).toBe(0);
  });

  it('refuses a duplicate number, an already recognised subject and a level above the assessed one, writing nothing', async () => {
    const before = await footprint();
    const dup = await gql(ISSUE, { input: issueInput({ date: '2026-02-01' }) }, { token: officerA });
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'DUPLICATE_DECISION_NUMBER' });
    const again = await gql(
      ISSUE,
      { input: issueInput({ number: '13/QĐ-UBND', allApproved: null, subjects: [{ assessmentId: assessments.get(households[0]!.id) }] }) },
      { token: officerA },
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'ALREADY_RECOGNISED' });
    const level = await gql(
      ISSUE,
      {
        input: issueInput({
          number: '14/QĐ-UBND',
          allApproved: null,
          subjects: [{ assessmentId: assessments.get(households[0]!.id), level: 'LEVEL_2' }],
        }),
      },
      { token: officerA },
    );
    expect(level.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'LEVEL_NOT_OF_TITLE' });
    const notApproved = await gql(
      ISSUE,
      { input: issueInput({ number: '15/QĐ-UBND', allApproved: null, subjects: [{ assessmentId: randomUUID() }] }) },
      { token: officerA },
    );
    expect(notApproved.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'ASSESSMENT_NOT_IN_CYCLE' });
    // every approved subject already recognised: nothing left to decide
    const none = await gql(ISSUE, { input: issueInput({ number: '16/QĐ-UBND' }) }, { token: officerA });
    expect(none.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'NO_APPROVED_SUBJECTS' });
    expect(await footprint()).toEqual(before);
  });

  it('revokes a recognition with a reason, by the deciding authority only', async () => {
    const [rec] = await sql<{ id: string }>('recognition', 'select id from recognition where subject_id = $1', [households[1]!.id]);
    const outsider = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: communeB.id }]);
    const refused = await gql(REVOKE, { input: { id: rec!.id, reason: 'Không đúng' } }, { token: outsider });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const noReason = await gql(REVOKE, { input: { id: rec!.id, reason: '  ' } }, { token: officerA });
    expect(noReason.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const res = await gql(REVOKE, { input: { id: rec!.id, reason: 'Hồ sơ minh chứng không trung thực' } }, { token: officerA });
    expect(res.errors).toBeUndefined();
    expect(res.data!.revokeRecognition.recognition).toEqual({
      id: rec!.id,
      status: 'REVOKED',
      revokedReason: 'Hồ sơ minh chứng không trung thực',
      revokedBy: 'hkh-tan-yen',
      validOn: false,
    });
    const revoked = await eventually(async () => eventsOf(REVOKED, (e) => e.data.recognitionId === rec!.id)[0], 30000, 'revoked event');
    expect(revoked.subject).toBe(households[1]!.id);
    expect(revoked.data).toMatchObject({ reason: 'Hồ sơ minh chứng không trung thực', title: 'LEARNING_FAMILY', year: 2025 });
    const twice = await gql(REVOKE, { input: { id: rec!.id, reason: 'Lần nữa' } }, { token: officerA });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'ALREADY_REVOKED' });
    // a revoked recognition no longer counts
    const h = await gql(HOUSEHOLD, { id: households[1]!.id, validOn: todayInVietnam() });
    expect(h.data!.household.recognitions).toEqual([]);
  });

  it('an expired recognition stops counting at once, and the sweep emits its expired event exactly once', async () => {
    const officerB = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: communeB.id }], 'hkh-viet-yen');
    // valid one month from a backdated decision: its last day is long past
    const cycleB = await openCycle(communeB.id, 1, officerB);
    await approve(cycleB, new Map([[householdB.id, communeB.id]]));
    const res = await gql(
      ISSUE,
      { input: { ...issueInput({ cycleId: cycleB, number: '3/QĐ-UBND', date: '2026-01-05' }) } },
      { token: officerB },
    );
    expect(res.errors).toBeUndefined();
    const rec = res.data!.issueRecognitionDecision.decision.recognitions.edges[0].node;
    expect(rec).toMatchObject({ validFrom: '2026-01-05', validTo: '2026-02-04', status: 'EXPIRED' });
    const [stored] = await sql<{ status: string }>('recognition', 'select status from recognition where id = $1', [rec.id]);
    expect(stored!.status).toBe('ACTIVE');

    // before any sweep it already stops counting
    const today = todayInVietnam();
    expect((await gql(HOUSEHOLD, { id: householdB.id, validOn: today })).data!.household.recognitions).toEqual([]);
    expect((await gql(HOUSEHOLD, { id: householdB.id, validOn: '2026-01-20' })).data!.household.recognitions).toHaveLength(1);
    expect((await gql(UNIT_RECOGNITIONS, { id: communeB.id, validOn: today })).data!.adminUnit.recognitions.totalCount).toBe(0);
    expect((await gql(LIST, { filter: { unitId: communeB.id, status: 'ACTIVE' } })).data!.recognitions.totalCount).toBe(0);
    expect((await gql(LIST, { filter: { unitId: communeB.id, status: 'EXPIRED' } })).data!.recognitions.totalCount).toBe(1);

    // only administrators run the sweep by hand
    expect((await gql(EXPIRE, {}, { token: officerB })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // two sweeps at once (as two service instances would): the recognition expires once
    const sweeps = await Promise.all([gql(EXPIRE), gql(EXPIRE)]);
    for (const s of sweeps) expect(s.errors).toBeUndefined();
    const [after] = await sql<{ status: string; expired_at: Date | null }>(
      'recognition',
      'select status, expired_at from recognition where id = $1',
      [rec.id],
    );
    expect(after!.status).toBe('EXPIRED');
    expect(after!.expired_at).not.toBeNull();
    await eventually(
      async () => (eventsOf(EXPIRED, (e) => e.data.recognitionId === rec.id).length > 0 ? true : undefined),
      30000,
      'expired event',
    );
    expect((await gql(EXPIRE)).errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1500));
    const expired = eventsOf(EXPIRED, (e) => e.data.recognitionId === rec.id);
    expect(expired).toHaveLength(1);
    expect(expired[0]!.subject).toBe(householdB.id);
    expect(expired[0]!.data).toMatchObject({ validTo: '2026-02-04', title: 'LEARNING_FAMILY', level: 'ACHIEVED' });
    // the stored status answers the same
    expect((await gql(LIST, { filter: { unitId: communeB.id, status: 'EXPIRED' } })).data!.recognitions.totalCount).toBe(1);
  });

  it('recognises a household taken through the whole assessment workflow, at its assessed level', async () => {
    const commune = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeB.id }]);
    const association = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: communeB.id }], 'hkh-viet-yen');
    const ok = async (query: string, input: Record<string, unknown>, token: string) => {
      const res = await gql(query, { input }, { token });
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return Object.values(res.data!)[0].assessment as { id: string; version: number; status: string; resultLevel: string | null };
    };
    const step = (name: string, input: string) =>
      `mutation($input: ${input}!) { ${name}(input: $input) { assessment { id version status resultLevel } } }`;
    const open = await gql(
      OPEN_CYCLE,
      {
        input: {
          year: 2026,
          title: 'LEARNING_FAMILY',
          subjectLevel: 'HOUSEHOLD',
          decidingUnitId: communeB.id,
          criteriaSetId: FAMILY_SAMPLE_ID,
        },
      },
      { token: association },
    );
    expect(open.errors).toBeUndefined();
    const cycleId = open.data!.openRecognitionCycle.cycle.id as string;
    const h = await household(villageB.id);
    await eventually(
      async () => ((await sql('recognition', 'select 1 from participant_replica where id = $1', [h.id])).length ? true : undefined),
      30000,
      'the household in the replica',
    );
    let a = await ok(
      step('registerForAssessment', 'RegisterForAssessmentInput'),
      { cycleId, subjectKind: 'HOUSEHOLD', subjectId: h.id },
      commune,
    );
    const scores = Object.entries({ '1.1': 10, '1.2': 10, '1.3': 10, '2.1': 15, '2.2': 10, '2.3': 10, '3.1': 10, '3.2': 5, '3.3': 10 }).map(
      ([indicatorCode, points]) => ({ indicatorCode, points }),
    );
    a = await ok(
      step('saveSelfAssessment', 'SaveSelfAssessmentInput'),
      { assessmentId: a.id, expectedVersion: a.version, scores },
      commune,
    );
    for (const indicatorCode of ['1.1', '2.1']) {
      const res = await gql(
        `mutation($input: AttachAssessmentEvidenceInput!) { attachAssessmentEvidence(input: $input) { assessment { id version status } } }`,
        { input: { assessmentId: a.id, expectedVersion: a.version, indicatorCode, url: `https://minhchung.example.vn/${indicatorCode}` } },
        { token: commune },
      );
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      a = { ...a, ...res.data!.attachAssessmentEvidence.assessment };
    }
    a = await ok(step('submitAssessment', 'AssessmentStepInput'), { assessmentId: a.id, expectedVersion: a.version }, commune);
    a = await ok(step('takeAssessmentForReview', 'AssessmentStepInput'), { assessmentId: a.id, expectedVersion: a.version }, association);
    a = await ok(step('approveAssessment', 'AssessmentStepInput'), { assessmentId: a.id, expectedVersion: a.version }, association);
    expect(a).toMatchObject({ status: 'APPROVED', resultLevel: 'ACHIEVED' });

    const today = todayInVietnam();
    const res = await gql(
      ISSUE,
      { input: issueInput({ cycleId, number: '7/QĐ-UBND', date: today, allApproved: null, subjects: [{ assessmentId: a.id }] }) },
      { token: association },
    );
    expect(res.errors).toBeUndefined();
    const d = res.data!.issueRecognitionDecision.decision;
    expect(d).toMatchObject({ recognitionCount: 1, late: false, year: 2026 });
    expect(d.recognitions.edges[0].node).toMatchObject({ subjectId: h.id, level: 'ACHIEVED', validFrom: today, status: 'ACTIVE' });
    const granted = await eventually(
      async () => eventsOf(GRANTED, (e) => e.data.decisionId === d.id)[0],
      30000,
      'granted event of the workflow decision',
    );
    expect(granted.subject).toBe(h.id);
    const held = await gql(HOUSEHOLD, { id: h.id, validOn: today });
    expect(held.data!.household.recognitions).toEqual([expect.objectContaining({ level: 'ACHIEVED', decision: { number: '7/QĐ-UBND' } })]);
  });

  it('a commune merge keeps its households’ recognitions, and the successor counts them', async () => {
    const merged = await gql(MERGE, {
      input: {
        unitIds: [communeA.id, communeM.id],
        newUnit: { code: uniqueCode(), name: 'Xã Tân Yên Mới' },
        basis: { effectiveDate: '2026-07-01', legalBasis: 'Nghị quyết 1234/NQ-UBTVQH15' },
      },
    });
    expect(merged.errors).toBeUndefined();
    const successor = merged.data!.mergeAdminUnits.units[0] as { id: string };
    await eventually(
      async () => {
        const rows = await sql('recognition', 'select 1 from admin_unit_version_replica where unit_id = $1', [successor.id]);
        const ended = await sql('recognition', `select 1 from admin_unit_version_replica where unit_id = $1 and valid_to = '2026-06-30'`, [
          communeA.id,
        ]);
        return rows.length > 0 && ended.length > 0 ? true : undefined;
      },
      30000,
      'the merge in the recognition replica',
    );
    const u = await gql(UNIT_RECOGNITIONS, { id: successor.id, year: 2025 });
    expect(u.errors).toBeUndefined();
    expect(u.data!.adminUnit.recognitions.totalCount).toBe(3);
    const valid = await gql(UNIT_RECOGNITIONS, { id: successor.id, year: 2025, validOn: todayInVietnam() });
    // the revoked one no longer counts
    expect(valid.data!.adminUnit.recognitions.edges.map((e: { node: { subjectId: string } }) => e.node.subjectId).sort()).toEqual(
      [households[0]!.id, households[2]!.id].sort(),
    );
    const h = await gql(HOUSEHOLD, { id: households[0]!.id, validOn: todayInVietnam() });
    expect(h.data!.household.recognitions).toHaveLength(1);
    // an officer of the successor reads them; the list by unit follows the merge
    const successorOfficer = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: successor.id }]);
    const list = await gql(LIST, { filter: { unitId: successor.id, year: 2025 } }, { token: successorOfficer });
    expect(list.data!.recognitions.totalCount).toBe(3);
  });

  it('a household that moves to another commune keeps its recognition, and the new commune counts it', async () => {
    const moved = households[2]!;
    const res = await gql(`mutation($input: MoveHouseholdInput!) { moveHousehold(input: $input) { household { id } } }`, {
      input: { id: moved.id, unitId: villageB.id },
    });
    expect(res.errors).toBeUndefined();
    await eventually(
      async () =>
        (await sql('recognition', 'select 1 from participant_replica where id = $1 and unit_id = $2', [moved.id, villageB.id])).length
          ? true
          : undefined,
      30000,
      'the move in the recognition replica',
    );
    const today = todayInVietnam();
    const subjects = async (unitId: string) =>
      (
        (await gql(UNIT_RECOGNITIONS, { id: unitId, year: 2025, validOn: today })).data!.adminUnit.recognitions.edges as {
          node: { subjectId: string };
        }[]
      ).map((e) => e.node.subjectId);
    expect(await subjects(communeB.id)).toContain(moved.id);
    const h = await gql(HOUSEHOLD, { id: moved.id, validOn: today });
    expect(h.data!.household.recognitions).toEqual([expect.objectContaining({ title: 'LEARNING_FAMILY', status: 'ACTIVE' })]);
    // and the commune it left no longer counts it
    const [villageAParent] = await sql<{ id: string }>(
      'recognition',
      `select parent_id as id from admin_unit_version_replica where unit_id = (select unit_id from participant_replica where id = $1)
       and valid_to is null`,
      [households[0]!.id],
    );
    expect(await subjects(villageAParent!.id)).not.toContain(moved.id);
  });
});
