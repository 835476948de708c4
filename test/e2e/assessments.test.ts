import { randomUUID } from 'node:crypto';
import { collectTopic, createProvince, createUnit, eventually, gql, sql, tokenFor, uniqueCode } from '../support/stack';
import { replicated, uploadEvidence } from '../support/recognition';

const TOPIC = 'xhht.recognition.events';
type Msg = { type: string; subject: string; data: Record<string, any> };
/** The Learning Family sample set shipped by the migration (services/recognition/src/criteria/sample-criteria-sets.ts). */
const FAMILY_SAMPLE_ID = '074ceb0a-15fd-4017-ab42-31a9e7016a81';

const A = `id cycleId year title subjectLevel subjectKind subjectId subjectUnitId status statusName version late submittedAt reviewer
  resultLevel resultLevelName totalPoints cycle { id name }
  criteriaSet { id code version }
  explanation { resultLevel summary totalPoints levels { level held rulesHeld missingLowerLevel rules { kind held message shortfall failedCriteria failedIndicators } } }
  scores { indicatorCode evidenceRequired selfPoints selfPassed selfComment reviewPoints reviewPassed reviewComment evidence { id url file { id sha256 } } }
  history { fromStatus toStatus reasonCode reason by }`;
const mutation = (name: string, input: string) => `mutation($input: ${input}!) { ${name}(input: $input) { assessment { ${A} } } }`;
const REGISTER = mutation('registerForAssessment', 'RegisterForAssessmentInput');
const SAVE = mutation('saveSelfAssessment', 'SaveSelfAssessmentInput');
const ATTACH = `mutation($input: AttachAssessmentEvidenceInput!) { attachAssessmentEvidence(input: $input) { assessment { ${A} } evidence { id indicatorCode url file { id } } } }`;
const SUBMIT = mutation('submitAssessment', 'AssessmentStepInput');
const TAKE = mutation('takeAssessmentForReview', 'AssessmentStepInput');
const REVIEW = mutation('reviewAssessmentScores', 'ReviewAssessmentScoresInput');
const RETURN = mutation('returnAssessment', 'AssessmentReasonInput');
const APPROVE = mutation('approveAssessment', 'AssessmentStepInput');
const REJECT = mutation('rejectAssessment', 'AssessmentReasonInput');
const GET = `query($id: ID!) { assessment(id: $id) { ${A} } }`;
const OPEN_CYCLE = `mutation($input: OpenRecognitionCycleInput!) { openRecognitionCycle(input: $input) { cycle { id criteriaSetId submissionDeadline } } }`;

let events: { messages: { value: Buffer | null }[]; stop: () => Promise<void> };
const published = () => events.messages.map((m) => JSON.parse(m.value!.toString()) as Msg);
const eventsFor = (subject: string) => published().filter((e) => e.subject === subject);
const eventFor = (type: string, subject: string, n = 1) =>
  eventually(
    async () => {
      const found = published().filter((e) => e.type === type && e.subject === subject);
      return found.length >= n ? found[n - 1] : undefined;
    },
    30000,
    `${type} #${n} for ${subject}`,
  );

let province: { id: string };
let communeA: { id: string };
let communeB: { id: string };
let villageA: { id: string };
let villageB: { id: string };
let familyCycle: string;
let communityCycle: string;
let citizenCycle: string;

async function ok<T = any>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await gql(query, variables, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data as T;
}

async function household(unitId: string) {
  const data = await ok(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id } } }`, {
    input: { unitId, code: uniqueCode(), headName: 'Nguyễn Văn Bình' },
  });
  const id = data.registerHousehold.household.id as string;
  await replicated('participant_replica', [id]);
  return id;
}

async function person(unitId: string) {
  const data = await ok(`mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { person { id } } }`, {
    input: { unitId, code: uniqueCode(), fullName: 'Lê Thị Hoa', birthYear: 1990, sex: 'FEMALE', occupationalGroup: 'FARMER' },
  });
  const id = data.registerPerson.person.id as string;
  await replicated('participant_replica', [id]);
  return id;
}

const familyScores = (o: Record<string, number> = {}) =>
  Object.entries({ '1.1': 10, '1.2': 10, '1.3': 10, '2.1': 15, '2.2': 5, '2.3': 10, '3.1': 10, '3.2': 0, '3.3': 10, ...o }).map(
    ([indicatorCode, points]) => ({ indicatorCode, points }),
  );
const snapshot = (id: string) =>
  Promise.all([
    sql('recognition', 'select status, version, updated_at, result_level from assessment where id = $1', [id]),
    sql('recognition', 'select count(*)::int as n from assessment_transition where assessment_id = $1', [id]),
    sql('recognition', 'select * from assessment_score where assessment_id = $1 order by indicator_code', [id]),
  ]);

let communeOfficerA: string;
let communeOfficerB: string;
let associationA: string;
let associationB: string;
let educationProvince: string;

beforeAll(async () => {
  events = await collectTopic(TOPIC);
  ({ province } = await createProvince('Việt Nam (đánh giá)', 'Tỉnh Bắc Ninh'));
  communeA = await createUnit({ code: uniqueCode(), name: 'Xã Tiên Du', kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
  communeB = await createUnit({ code: uniqueCode(), name: 'Xã Quế Võ', kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
  villageA = await createUnit({
    code: uniqueCode(),
    name: 'Thôn Lũng Giang',
    kind: 'VILLAGE',
    parentId: communeA.id,
    validFrom: '2025-07-01',
  });
  villageB = await createUnit({
    code: uniqueCode(),
    name: 'Thôn Đông Viên',
    kind: 'VILLAGE',
    parentId: communeB.id,
    validFrom: '2025-07-01',
  });
  await replicated(
    'admin_unit_version_replica',
    [province, communeA, communeB, villageA, villageB].map((u) => u.id),
  );
  communeOfficerA = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeA.id }]);
  communeOfficerB = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeB.id }]);
  associationA = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: communeA.id }]);
  associationB = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: communeB.id }]);
  educationProvince = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: province.id }]);

  familyCycle = (
    await ok(OPEN_CYCLE, {
      input: {
        year: 2026,
        title: 'LEARNING_FAMILY',
        subjectLevel: 'HOUSEHOLD',
        decidingUnitId: communeA.id,
        criteriaSetId: FAMILY_SAMPLE_ID,
      },
    })
  ).openRecognitionCycle.cycle.id;
  // deadlines by the procedures: 28 Feb / 31 Mar 2026, long past — submissions are late
  communityCycle = (
    await ok(OPEN_CYCLE, { input: { year: 2025, title: 'LEARNING_COMMUNITY', subjectLevel: 'COMMUNE', decidingUnitId: province.id } })
  ).openRecognitionCycle.cycle.id;
  citizenCycle = (
    await ok(OPEN_CYCLE, { input: { year: 2026, title: 'LEARNING_CITIZEN', subjectLevel: 'PERSON', decidingUnitId: communeA.id } })
  ).openRecognitionCycle.cycle.id;
});
afterAll(() => events.stop());

/** Registers and completes a family self-assessment (scores, evidence for 1.1 and 2.1), up to SELF_ASSESSED. */
async function selfAssessedFamily(token: string, scores = familyScores()) {
  const h = await household(villageA.id);
  let a = (await ok(REGISTER, { input: { cycleId: familyCycle, subjectKind: 'HOUSEHOLD', subjectId: h } }, token)).registerForAssessment
    .assessment;
  a = (await ok(SAVE, { input: { assessmentId: a.id, expectedVersion: a.version, scores } }, token)).saveSelfAssessment.assessment;
  for (const indicatorCode of ['1.1', '2.1'])
    a = (
      await ok(
        ATTACH,
        { input: { assessmentId: a.id, expectedVersion: a.version, indicatorCode, url: `https://minhchung.example.vn/${indicatorCode}` } },
        token,
      )
    ).attachAssessmentEvidence.assessment;
  expect(a.status).toBe('SELF_ASSESSED');
  return { household: h, assessment: a };
}

describe('the assessment workflow through the gateway', () => {
  it('takes a household through Learning Family: self-assessment with evidence, review, return, resubmission, approval at the threshold', async () => {
    const h = await household(villageA.id);
    // out of scope: another commune's officer, and a reviewer, cannot register it — nothing written
    for (const token of [communeOfficerB, associationA]) {
      const res = await gql(REGISTER, { input: { cycleId: familyCycle, subjectKind: 'HOUSEHOLD', subjectId: h } }, { token });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    }
    const wrongKind = await gql(
      REGISTER,
      { input: { cycleId: familyCycle, subjectKind: 'CLAN', subjectId: h } },
      { token: communeOfficerA },
    );
    expect(wrongKind.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await sql('recognition', 'select 1 from assessment where subject_id = $1', [h])).toEqual([]);

    let a = (await ok(REGISTER, { input: { cycleId: familyCycle, subjectKind: 'HOUSEHOLD', subjectId: h } }, communeOfficerA))
      .registerForAssessment.assessment;
    expect(a).toMatchObject({
      status: 'REGISTERED',
      version: 1,
      year: 2026,
      title: 'LEARNING_FAMILY',
      subjectKind: 'HOUSEHOLD',
      subjectUnitId: villageA.id,
      criteriaSet: { id: FAMILY_SAMPLE_ID, version: 1 },
      cycle: { id: familyCycle },
      resultLevel: null,
      explanation: null,
    });
    const again = await gql(
      REGISTER,
      { input: { cycleId: familyCycle, subjectKind: 'HOUSEHOLD', subjectId: h } },
      { token: communeOfficerA },
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'ALREADY_REGISTERED' });

    // a first, partial save opens the draft
    a = (await ok(SAVE, { input: { assessmentId: a.id, expectedVersion: 1, scores: familyScores().slice(0, 4) } }, communeOfficerA))
      .saveSelfAssessment.assessment;
    expect(a).toMatchObject({ status: 'DRAFT', version: 2, resultLevel: null });
    // every indicator scored, exactly 80 points — but two indicators need evidence: still a draft
    a = (await ok(SAVE, { input: { assessmentId: a.id, expectedVersion: 2, scores: familyScores() } }, communeOfficerA)).saveSelfAssessment
      .assessment;
    expect(a).toMatchObject({ status: 'DRAFT', resultLevel: 'ACHIEVED', totalPoints: 80 });
    expect(a.explanation.levels[0].rules[0]).toMatchObject({ kind: 'TOTAL_AT_LEAST', held: true, message: 'tổng điểm 80 ≥ 80' });

    const early = await gql(SUBMIT, { input: { assessmentId: a.id, expectedVersion: a.version } }, { token: communeOfficerA });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'WRONG_ASSESSMENT_STATUS' });
    expect(early.errors?.[0]?.message).toContain('Đang tự đánh giá (DRAFT)');

    const file = await uploadEvidence(
      communeOfficerA,
      Buffer.from('%PDF-1.4\n% giấy xác nhận của nhà trường\n'),
      'xac-nhan.pdf',
      'application/pdf',
    );
    a = (
      await ok(
        ATTACH,
        { input: { assessmentId: a.id, expectedVersion: a.version, indicatorCode: '2.1', evidenceFileId: file.id } },
        communeOfficerA,
      )
    ).attachAssessmentEvidence.assessment;
    expect(a.status).toBe('DRAFT');
    const attached = await ok(
      ATTACH,
      { input: { assessmentId: a.id, expectedVersion: a.version, indicatorCode: '1.1', url: 'https://minhchung.example.vn/ke-hoach.pdf' } },
      communeOfficerA,
    );
    a = attached.attachAssessmentEvidence.assessment;
    expect(attached.attachAssessmentEvidence.evidence).toMatchObject({
      indicatorCode: '1.1',
      url: 'https://minhchung.example.vn/ke-hoach.pdf',
    });
    expect(a.status).toBe('SELF_ASSESSED');
    expect(a.scores.find((s: any) => s.indicatorCode === '2.1').evidence).toEqual([
      expect.objectContaining({ file: { id: file.id, sha256: file.sha256 } }),
    ]);

    // a stale version is refused
    const stale = await gql(SUBMIT, { input: { assessmentId: a.id, expectedVersion: a.version - 1 } }, { token: communeOfficerA });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'STALE_VERSION' });

    a = (await ok(SUBMIT, { input: { assessmentId: a.id, expectedVersion: a.version } }, communeOfficerA)).submitAssessment.assessment;
    expect(a).toMatchObject({ status: 'SUBMITTED', late: false });
    expect(a.submittedAt).toEqual(expect.any(String));

    // review: the commune officer is not a reviewer; another commune's association officer is out of scope — nothing written
    const before = await snapshot(a.id);
    for (const token of [communeOfficerA, associationB, educationProvince]) {
      const res = await gql(TAKE, { input: { assessmentId: a.id, expectedVersion: a.version } }, { token });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    }
    const outsider = await gql(GET, { id: a.id }, { token: communeOfficerB });
    expect(outsider.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await snapshot(a.id)).toEqual(before);

    a = (await ok(TAKE, { input: { assessmentId: a.id, expectedVersion: a.version } }, associationA)).takeAssessmentForReview.assessment;
    expect(a).toMatchObject({ status: 'UNDER_REVIEW', reviewer: expect.any(String) });
    // the reviewer's zeros put criterion 3 at zero: not achieved, and says why
    a = (
      await ok(
        REVIEW,
        {
          input: {
            assessmentId: a.id,
            expectedVersion: a.version,
            scores: [
              { indicatorCode: '3.1', points: 0, comment: 'Không có xác nhận' },
              { indicatorCode: '3.3', points: 0 },
            ],
          },
        },
        associationA,
      )
    ).reviewAssessmentScores.assessment;
    expect(a).toMatchObject({ status: 'UNDER_REVIEW', resultLevel: null, totalPoints: 60 });
    const rules = a.explanation.levels[0].rules;
    expect(rules[0]).toMatchObject({ held: false, shortfall: 20, message: 'tổng điểm 60 < 80, thiếu 20 điểm' });
    expect(rules[1]).toMatchObject({
      kind: 'NO_CRITERION_ZERO',
      held: false,
      failedCriteria: ['TC3'],
      message: 'tiêu chí TC3 (Tác dụng của học tập) được 0 điểm',
    });
    expect(a.scores.find((s: any) => s.indicatorCode === '3.1')).toMatchObject({
      selfPoints: 10,
      reviewPoints: 0,
      reviewComment: 'Không có xác nhận',
    });

    const noReason = await gql(RETURN, { input: { assessmentId: a.id, expectedVersion: a.version, reason: ' ' } }, { token: associationA });
    expect(noReason.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    a = (
      await ok(
        RETURN,
        {
          input: {
            assessmentId: a.id,
            expectedVersion: a.version,
            reasonCode: 'MISSING_EVIDENCE',
            reason: 'Bổ sung minh chứng tiêu chí 3',
          },
        },
        associationA,
      )
    ).returnAssessment.assessment;
    expect(a.status).toBe('RETURNED');

    // the commune fixes and resubmits
    a = (
      await ok(
        SAVE,
        { input: { assessmentId: a.id, expectedVersion: a.version, scores: [{ indicatorCode: '3.2', points: 10 }] } },
        communeOfficerA,
      )
    ).saveSelfAssessment.assessment;
    expect(a.status).toBe('SELF_ASSESSED');
    a = (await ok(SUBMIT, { input: { assessmentId: a.id, expectedVersion: a.version } }, communeOfficerA)).submitAssessment.assessment;
    a = (await ok(TAKE, { input: { assessmentId: a.id, expectedVersion: a.version } }, associationA)).takeAssessmentForReview.assessment;
    // review: 3.1 restored, 3.3 kept at 0, 3.2 by the subject's 10 — exactly 80 points with criterion 3 above zero
    a = (
      await ok(
        REVIEW,
        {
          input: {
            assessmentId: a.id,
            expectedVersion: a.version,
            scores: [{ indicatorCode: '3.1', points: 10, comment: 'Đã có xác nhận' }],
          },
        },
        associationA,
      )
    ).reviewAssessmentScores.assessment;
    expect(a).toMatchObject({ resultLevel: 'ACHIEVED', totalPoints: 80 });
    a = (await ok(APPROVE, { input: { assessmentId: a.id, expectedVersion: a.version, comment: 'Đạt' } }, associationA)).approveAssessment
      .assessment;
    expect(a).toMatchObject({ status: 'APPROVED', resultLevel: 'ACHIEVED', resultLevelName: 'Đạt', totalPoints: 80 });
    expect(a.explanation.summary).toBe('Xếp Đạt. Tổng điểm 80/100.');
    expect(a.history.map((t: any) => t.toStatus)).toEqual([
      'REGISTERED',
      'DRAFT',
      'SELF_ASSESSED',
      'SUBMITTED',
      'UNDER_REVIEW',
      'RETURNED',
      'SELF_ASSESSED',
      'SUBMITTED',
      'UNDER_REVIEW',
      'APPROVED',
    ]);
    expect(a.history[5]).toMatchObject({
      fromStatus: 'UNDER_REVIEW',
      reasonCode: 'MISSING_EVIDENCE',
      reason: 'Bổ sung minh chứng tiêu chí 3',
    });
    const late = await gql(APPROVE, { input: { assessmentId: a.id, expectedVersion: a.version } }, { token: associationA });
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'WRONG_ASSESSMENT_STATUS' });
    expect(late.errors?.[0]?.message).toContain('Đã duyệt (APPROVED)');

    // events: submitted twice, returned, approved — ids, title, year, level, reason codes; no names
    const first = await eventFor('vn.xhht.recognition.assessment.submitted.v1', a.id);
    expect(first.data).toMatchObject({
      assessmentId: a.id,
      cycleId: familyCycle,
      year: 2026,
      title: 'LEARNING_FAMILY',
      subjectId: h,
      late: false,
      resubmission: false,
    });
    const second = await eventFor('vn.xhht.recognition.assessment.submitted.v1', a.id, 2);
    expect(second.data.resubmission).toBe(true);
    expect((await eventFor('vn.xhht.recognition.assessment.returned.v1', a.id)).data.reasonCode).toBe('MISSING_EVIDENCE');
    expect((await eventFor('vn.xhht.recognition.assessment.approved.v1', a.id)).data).toMatchObject({
      resultLevel: 'ACHIEVED',
      totalPoints: 80,
    });
    const text = JSON.stringify(eventsFor(a.id));
    expect(text).not.toContain('Bình');
    expect(text).not.toContain('Bổ sung minh chứng');

    // the set the assessment used is published: it cannot be edited
    const edit = await gql(
      `mutation($input: UpdateCriteriaSetDraftInput!) { updateCriteriaSetDraft(input: $input) { criteriaSet { id } } }`,
      {
        input: { id: FAMILY_SAMPLE_ID, name: 'Sửa bộ mẫu' },
      },
    );
    expect(edit.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'CRITERIA_SET_NOT_DRAFT' });
  });

  it('rejects a household with a reason code, and lists only what the caller may read', async () => {
    const { assessment } = await selfAssessedFamily(communeOfficerA);
    let a = (await ok(SUBMIT, { input: { assessmentId: assessment.id, expectedVersion: assessment.version } }, communeOfficerA))
      .submitAssessment.assessment;
    a = (await ok(TAKE, { input: { assessmentId: a.id, expectedVersion: a.version } }, associationA)).takeAssessmentForReview.assessment;
    a = (
      await ok(
        REJECT,
        { input: { assessmentId: a.id, expectedVersion: a.version, reasonCode: 'NOT_ELIGIBLE', reason: 'Không đủ điều kiện' } },
        associationA,
      )
    ).rejectAssessment.assessment;
    expect(a.status).toBe('REJECTED');
    expect((await eventFor('vn.xhht.recognition.assessment.rejected.v1', a.id)).data).toMatchObject({
      reasonCode: 'NOT_ELIGIBLE',
      title: 'LEARNING_FAMILY',
    });

    const LIST = `query($cycleId: ID, $status: AssessmentStatus) { assessments(cycleId: $cycleId, status: $status, first: 50) {
      totalCount edges { node { id status scores { indicatorCode evidence { id } } history { toStatus } criteriaSet { code } } } } }`;
    const mine = await ok(LIST, { cycleId: familyCycle }, associationA);
    expect(mine.assessments.totalCount).toBeGreaterThanOrEqual(2);
    expect(mine.assessments.edges.map((e: any) => e.node.id)).toContain(a.id);
    const rejected = await ok(LIST, { cycleId: familyCycle, status: 'REJECTED' }, communeOfficerA);
    expect(rejected.assessments.edges.map((e: any) => e.node.id)).toEqual([a.id]);
    const steering = await tokenFor([{ role: 'STEERING_COMMITTEE', unitId: province.id }]);
    expect((await ok(LIST, { cycleId: familyCycle }, steering)).assessments.totalCount).toBe(mine.assessments.totalCount);
    expect((await ok(LIST, { cycleId: familyCycle }, communeOfficerB)).assessments.totalCount).toBe(0);
    // the education department does not review Learning Families
    expect((await ok(LIST, { cycleId: familyCycle }, educationProvince)).assessments.totalCount).toBe(0);
  });

  it('takes a commune to Learning Community level 2 — late, reviewed by the education department; level 2 without level 1 is no level', async () => {
    const register = { cycleId: communityCycle, subjectKind: 'ADMIN_UNIT', subjectId: communeA.id };
    const village = await gql(REGISTER, { input: { ...register, subjectId: villageA.id } }, { token: communeOfficerA });
    expect(village.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'SUBJECT_LEVEL_MISMATCH' });
    const other = await gql(REGISTER, { input: { ...register, subjectId: communeB.id } }, { token: communeOfficerA });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    expect(await sql('recognition', 'select 1 from assessment where subject_id = $1', [communeB.id])).toEqual([]);

    let a = (await ok(REGISTER, { input: register }, communeOfficerA)).registerForAssessment.assessment;
    // no set chosen for the cycle: the published one in force that year (the sample, Circular 25-like)
    expect(a).toMatchObject({ subjectLevel: 'COMMUNE', subjectUnitId: communeA.id, criteriaSet: { code: 'MAU-CDHT-XA' } });
    const all = a.scores.map((s: any) => s.indicatorCode);
    expect(all).toHaveLength(15);
    const scores = a.scores.map((s: any) =>
      ['1.1', '1.2', '1.3'].includes(s.indicatorCode)
        ? { indicatorCode: s.indicatorCode, passed: true }
        : { indicatorCode: s.indicatorCode, points: 8 },
    );
    a = (await ok(SAVE, { input: { assessmentId: a.id, expectedVersion: a.version, scores } }, communeOfficerA)).saveSelfAssessment
      .assessment;
    expect(a).toMatchObject({ status: 'DRAFT', resultLevel: 'LEVEL_2' });
    for (const s of a.scores.filter((x: any) => x.evidenceRequired))
      a = (
        await ok(
          ATTACH,
          {
            input: {
              assessmentId: a.id,
              expectedVersion: a.version,
              indicatorCode: s.indicatorCode,
              url: `https://tiendu.example.vn/minh-chung/${s.indicatorCode}`,
            },
          },
          communeOfficerA,
        )
      ).attachAssessmentEvidence.assessment;
    expect(a.status).toBe('SELF_ASSESSED');
    a = (await ok(SUBMIT, { input: { assessmentId: a.id, expectedVersion: a.version } }, communeOfficerA)).submitAssessment.assessment;
    expect(a).toMatchObject({ status: 'SUBMITTED', late: true });

    // a commune community is reviewed by the education department, not the association
    const assoc = await gql(TAKE, { input: { assessmentId: a.id, expectedVersion: a.version } }, { token: associationA });
    expect(assoc.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    a = (await ok(TAKE, { input: { assessmentId: a.id, expectedVersion: a.version } }, educationProvince)).takeAssessmentForReview
      .assessment;

    // a raised indicator below its level 2 threshold: level 1
    a = (
      await ok(
        REVIEW,
        { input: { assessmentId: a.id, expectedVersion: a.version, scores: [{ indicatorCode: '4.2', points: 6 }] } },
        educationProvince,
      )
    ).reviewAssessmentScores.assessment;
    expect(a.resultLevel).toBe('LEVEL_1');
    const l2 = a.explanation.levels.find((l: any) => l.level === 'LEVEL_2');
    expect(l2.rules[1]).toMatchObject({ held: false, failedIndicators: ['4.2'] });
    expect(l2.rules[1].message).toContain('4.2 (6 < 8 điểm)');

    // level 2's own indicators met, a level 1 indicator failed: no level at all
    a = (
      await ok(
        REVIEW,
        {
          input: {
            assessmentId: a.id,
            expectedVersion: a.version,
            scores: [
              { indicatorCode: '4.2', points: 9 },
              { indicatorCode: '1.2', passed: false, comment: 'Ban chỉ đạo chưa kiện toàn' },
            ],
          },
        },
        educationProvince,
      )
    ).reviewAssessmentScores.assessment;
    expect(a.resultLevel).toBeNull();
    const level2 = a.explanation.levels.find((l: any) => l.level === 'LEVEL_2');
    expect(level2).toMatchObject({ held: false, missingLowerLevel: 'LEVEL_1' });
    expect(level2.rules.map((r: any) => [r.kind, r.held])).toEqual([
      ['LEVEL_HOLDS', false],
      ['INDICATORS_PASS', true],
    ]);
    expect(a.scores.find((s: any) => s.indicatorCode === '1.2')).toMatchObject({ selfPassed: true, reviewPassed: false });

    a = (
      await ok(
        REVIEW,
        { input: { assessmentId: a.id, expectedVersion: a.version, scores: [{ indicatorCode: '1.2', passed: true }] } },
        educationProvince,
      )
    ).reviewAssessmentScores.assessment;
    a = (await ok(APPROVE, { input: { assessmentId: a.id, expectedVersion: a.version } }, educationProvince)).approveAssessment.assessment;
    expect(a).toMatchObject({ status: 'APPROVED', resultLevel: 'LEVEL_2', resultLevelName: 'Mức 2 (Tốt)' });
    expect((await eventFor('vn.xhht.recognition.assessment.submitted.v1', a.id)).data).toMatchObject({
      late: true,
      subjectKind: 'ADMIN_UNIT',
      subjectLevel: 'COMMUNE',
    });
    expect((await eventFor('vn.xhht.recognition.assessment.approved.v1', a.id)).data).toMatchObject({
      resultLevel: 'LEVEL_2',
      year: 2025,
      title: 'LEARNING_COMMUNITY',
    });
  });

  it("lets an organization's own officer self-assess its Learning Unit, reviewed by the education department", async () => {
    const org = (
      await ok(`mutation($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { organization { id } } }`, {
        input: { unitId: communeA.id, code: uniqueCode(), name: 'Trường THCS Tiên Du', type: 'SCHOOL' },
      })
    ).registerOrganization.organization.id as string;
    await replicated('participant_replica', [org]);
    const unitCycle = (
      await ok(OPEN_CYCLE, { input: { year: 2026, title: 'LEARNING_UNIT', subjectLevel: 'ORGANIZATION', decidingUnitId: communeA.id } })
    ).openRecognitionCycle.cycle.id;
    const register = { cycleId: unitCycle, subjectKind: 'ORGANIZATION', subjectId: org };
    const otherOrg = await tokenFor([{ role: 'ORGANIZATION_OFFICER', organizationId: randomUUID() }]);
    const refused = await gql(REGISTER, { input: register }, { token: otherOrg });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    const own = await tokenFor([{ role: 'ORGANIZATION_OFFICER', organizationId: org }]);
    let a = (await ok(REGISTER, { input: register }, own)).registerForAssessment.assessment;
    expect(a).toMatchObject({ subjectUnitId: communeA.id, criteriaSet: { code: 'MAU-DVHT' } });
    const scores = a.scores.map((s: any) => ({ indicatorCode: s.indicatorCode, points: 6 }));
    a = (await ok(SAVE, { input: { assessmentId: a.id, expectedVersion: a.version, scores } }, own)).saveSelfAssessment.assessment;
    for (const s of a.scores.filter((x: any) => x.evidenceRequired))
      a = (
        await ok(
          ATTACH,
          {
            input: {
              assessmentId: a.id,
              expectedVersion: a.version,
              indicatorCode: s.indicatorCode,
              url: `https://thcs.example.vn/${s.indicatorCode}`,
            },
          },
          own,
        )
      ).attachAssessmentEvidence.assessment;
    a = (await ok(SUBMIT, { input: { assessmentId: a.id, expectedVersion: a.version } }, own)).submitAssessment.assessment;
    expect(a).toMatchObject({ status: 'SUBMITTED', resultLevel: 'LEVEL_1' });
    const byAssociation = await gql(TAKE, { input: { assessmentId: a.id, expectedVersion: a.version } }, { token: associationA });
    expect(byAssociation.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    const byOwn = await gql(TAKE, { input: { assessmentId: a.id, expectedVersion: a.version } }, { token: own });
    expect(byOwn.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    a = (await ok(TAKE, { input: { assessmentId: a.id, expectedVersion: a.version } }, educationProvince)).takeAssessmentForReview
      .assessment;
    a = (await ok(APPROVE, { input: { assessmentId: a.id, expectedVersion: a.version } }, educationProvince)).approveAssessment.assessment;
    expect(a).toMatchObject({ status: 'APPROVED', resultLevel: 'LEVEL_1' });
    expect((await ok(GET, { id: a.id }, own)).assessment.status).toBe('APPROVED');
  });

  it('lets citizens register and assess themselves, and nobody else', async () => {
    const p = await person(villageA.id);
    const other = await tokenFor([{ role: 'CITIZEN', personId: randomUUID() }]);
    const refused = await gql(REGISTER, { input: { cycleId: citizenCycle, subjectKind: 'PERSON', subjectId: p } }, { token: other });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'OUTSIDE_SCOPE' });
    const self = await tokenFor([{ role: 'CITIZEN', personId: p }]);
    const a = (await ok(REGISTER, { input: { cycleId: citizenCycle, subjectKind: 'PERSON', subjectId: p } }, self)).registerForAssessment
      .assessment;
    expect(a).toMatchObject({ status: 'REGISTERED', criteriaSet: { code: 'MAU-CDAN-HT' } });
    const saved = await ok(
      SAVE,
      { input: { assessmentId: a.id, expectedVersion: 1, scores: [{ indicatorCode: '1.2', points: 9 }] } },
      self,
    );
    expect(saved.saveSelfAssessment.assessment.status).toBe('DRAFT');
    const read = await gql(GET, { id: a.id }, { token: other });
    expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
