import { todayInVietnam } from '../graphql/scalars';
import type { Logger } from '../logger';
import type { StackState } from '../stack/stack';
import type { DemoAccount } from './demo-accounts';
import { readDemoUnits } from './demo-data';
import { gatewayClient, signIn, whenReplicated, type Gql } from './demo-graphql';

/**
 * The recognition demo of `npm start`, in Phường Đông Kinh (Lạng Sơn), through the gateway as the
 * demo accounts would do it:
 * - org: three residential groups (if the ward has no villages yet), ten households, a clan, a
 *   school and a few persons, registered by the commune officer;
 * - recognition: the 2025 Learning Family cycle with the sample criteria set, decided by the
 *   authority the shipped rules name; eight households self-assessed, submitted, reviewed by the
 *   Study Promotion Association and approved, one returned for the commune to fix, one still a
 *   draft; decision 15/QĐ-UBND recognises the approved ones; the 2026 cycle is open.
 *
 * Every step looks first (participants by code, cycles by year, the decision by cycle), so a later
 * start writes nothing; once the 2025 decision exists its assessments are left as users leave them.
 */

type Target = 'APPROVED' | 'RETURNED' | 'DRAFT';
interface HouseholdSpec {
  code: string;
  headName: string;
  group: number;
  target: Target;
  /** A reviewer's change to the self-assessed score */
  review?: { indicatorCode: string; points: number; comment: string };
}

const HOUSEHOLDS: HouseholdSpec[] = [
  { code: 'DK-HGD-001', headName: 'Hoàng Văn Thắng', group: 0, target: 'APPROVED' },
  { code: 'DK-HGD-002', headName: 'Hoàng Thị Lan', group: 0, target: 'APPROVED' },
  {
    code: 'DK-HGD-003',
    headName: 'Nông Văn Hải',
    group: 0,
    target: 'APPROVED',
    review: { indicatorCode: '2.2', points: 10, comment: 'Mới có một thành viên tham gia học nghề' },
  },
  { code: 'DK-HGD-004', headName: 'Lương Thị Mai', group: 1, target: 'APPROVED' },
  { code: 'DK-HGD-005', headName: 'Vi Văn Đức', group: 1, target: 'APPROVED' },
  { code: 'DK-HGD-006', headName: 'Hoàng Văn Bình', group: 1, target: 'APPROVED' },
  { code: 'DK-HGD-007', headName: 'Lục Thị Hằng', group: 2, target: 'APPROVED' },
  { code: 'DK-HGD-008', headName: 'Nguyễn Văn Tuấn', group: 2, target: 'APPROVED' },
  { code: 'DK-HGD-009', headName: 'Đinh Thị Thu', group: 2, target: 'RETURNED' },
  { code: 'DK-HGD-010', headName: 'Hà Văn Sơn', group: 0, target: 'DRAFT' },
];
const SCHOOL = { code: 'DK-TH-01', name: 'Trường Tiểu học Đông Kinh', type: 'SCHOOL' };
const CLAN = {
  code: 'DK-DH-HOANG',
  name: 'Dòng họ Hoàng',
  branches: [{ name: 'Chi trưởng' }, { name: 'Chi thứ' }],
  members: [
    ['DK-HGD-001', 'Chi trưởng'],
    ['DK-HGD-002', 'Chi trưởng'],
    ['DK-HGD-006', 'Chi thứ'],
  ],
};
const PERSONS = [
  { code: 'DK-CD-001', fullName: 'Hoàng Văn Thắng', birthYear: 1975, sex: 'MALE', occupationalGroup: 'OFFICIAL', household: 'DK-HGD-001' },
  { code: 'DK-CD-002', fullName: 'Hoàng Thị Ngọc', birthYear: 2014, sex: 'FEMALE', occupationalGroup: 'STUDENT', household: 'DK-HGD-001' },
  { code: 'DK-CD-003', fullName: 'Nông Văn Hải', birthYear: 1970, sex: 'MALE', occupationalGroup: 'WORKER', household: 'DK-HGD-003' },
  {
    code: 'DK-CD-004',
    fullName: 'Lương Thị Mai',
    birthYear: 1984,
    sex: 'FEMALE',
    occupationalGroup: 'TEACHER',
    household: 'DK-HGD-004',
    atSchool: true,
  },
  { code: 'DK-CD-005', fullName: 'Lục Thị Hằng', birthYear: 1990, sex: 'FEMALE', occupationalGroup: 'OTHER', household: 'DK-HGD-007' },
];
/** The Learning Family sample set (criteria 1–3, 100 points; achieved at 80 with no criterion at 0). */
const SAMPLE_SET = 'MAU-GDHT';
const MAX_POINTS: [string, number][] = [
  ['1.1', 10],
  ['1.2', 10],
  ['1.3', 10],
  ['2.1', 15],
  ['2.2', 15],
  ['2.3', 10],
  ['3.1', 10],
  ['3.2', 10],
  ['3.3', 10],
];
/** Household i scores 60% on every fourth indicator starting at a different one (totals 86–92), the full points elsewhere. */
const selfScores = (i: number) =>
  MAX_POINTS.map(([indicatorCode, max], k) => ({ indicatorCode, points: (i + k) % 4 === 0 ? Math.floor(max * 0.6) : max }));
const RETURN_REASON = {
  reasonCode: 'MISSING_EVIDENCE',
  reason: 'Bổ sung giấy xác nhận của nhà trường cho chỉ tiêu 2.1 (con đang học lớp 7)',
};
const DECISION = { number: '15/QĐ-UBND', signerName: 'Hoàng Văn Minh', signerTitle: 'Chủ tịch UBND phường' };

export interface RecognitionDemo {
  households: number;
  decisionNumber: string;
  recognised: number;
  /** Assessments of the 2025 cycle by status, as they are now */
  returned: number;
  drafts: number;
}

const A = 'id status version scores { indicatorCode evidenceRequired evidence { id } }';
type Assessment = {
  id: string;
  status: string;
  version: number;
  scores: { indicatorCode: string; evidenceRequired: boolean; evidence: unknown[] }[];
};
type Ids = Map<string, string>;

/** What recognition answers while it has not yet received the units and participants just created: its replicas follow events. */
const LAG_CODES = ['SUBJECT_NOT_FOUND', 'OUTSIDE_SCOPE', 'SUBJECT_OUTSIDE_CYCLE', 'DECIDING_UNIT_NOT_FOUND', 'NOT_DECIDING_AUTHORITY'];

const nodes = (conn: { edges: { node: any }[] }) => conn.edges.map((e) => e.node);

/** Registers through org what the commune officer does not find by code in the ward; returns the ids by code. */
async function seedParticipants(admin: Gql, officer: Gql, communeId: string): Promise<Ids> {
  const { adminUnit } = await admin(`query($id: ID!) { adminUnit(id: $id) { children { id kind } } }`, { id: communeId });
  const groups: string[] = adminUnit.children.filter((c: any) => c.kind === 'VILLAGE').map((c: any) => c.id);
  for (const n of groups.length ? [] : [1, 2, 3]) {
    const input = { code: `05977-TDP0${n}`, name: `Tổ dân phố ${n}`, kind: 'VILLAGE', subtype: 'RESIDENTIAL_GROUP', parentId: communeId };
    const mutation = `mutation($input: CreateAdminUnitInput!) { createAdminUnit(input: $input) { adminUnit { id } } }`;
    groups.push((await admin(mutation, { input: { ...input, validFrom: '2025-07-01' } })).createAdminUnit.adminUnit.id);
  }
  const groupOf = (householdCode: string) => groups[HOUSEHOLDS.find((h) => h.code === householdCode)!.group % groups.length]!;

  // households(unitId) + registerHousehold(input) { household { id } }, and the same for the others
  const ensure = async <S extends { code: string }>(kind: string, specs: S[], input: (spec: S) => Record<string, unknown>) => {
    const field = kind.toLowerCase();
    const listed = await officer(`query($unitId: ID!) { ${field}s(unitId: $unitId, first: 100) { edges { node { id code } } } }`, {
      unitId: communeId,
    });
    const ids: Ids = new Map(nodes(listed[`${field}s`]).map((n) => [n.code, n.id]));
    for (const spec of specs.filter((x) => !ids.has(x.code))) {
      const mutation = `mutation($input: Register${kind}Input!) { register${kind}(input: $input) { ${field} { id } } }`;
      ids.set(spec.code, (await officer(mutation, { input: input(spec) }))[`register${kind}`][field].id);
    }
    return ids;
  };
  const households = await ensure('Household', HOUSEHOLDS, ({ code, headName }) => ({ unitId: groupOf(code), code, headName }));
  const schools = await ensure('Organization', [SCHOOL], (s) => ({ ...s, unitId: communeId }));
  await ensure('Clan', [CLAN], ({ members, ...c }) => ({
    ...c,
    unitId: communeId,
    households: members.map(([code, branchName]) => ({ householdId: households.get(code!), branchName })),
  }));
  await ensure('Person', PERSONS, ({ household, atSchool, ...p }) => ({
    ...p,
    unitId: groupOf(household),
    householdId: households.get(household),
    workplaceId: atSchool ? schools.get(SCHOOL.code) : null,
  }));
  return households;
}

/** The Learning Family cycle of a year for the commune (or its province, as the rule in force says), opened when missing. */
async function familyCycle(
  gql: Gql,
  tokens: Record<string, Gql>,
  units: Record<string, string>,
  year: number,
  deadlines: { submissionDeadline: string; decisionDeadline: string },
): Promise<{ id: string; decide: Gql }> {
  const { recognitionAuthority: rule } = await gql(
    `query($asOf: Date) { recognitionAuthority(title: LEARNING_FAMILY, subjectLevel: HOUSEHOLD, asOf: $asOf) { decidingLevel decidingRole } }`,
    { asOf: deadlines.decisionDeadline },
  );
  const unitId = { COMMUNE: units['ls-dongkinh'], PROVINCE: units['ls'] }[rule?.decidingLevel as string];
  const decide = tokens[rule?.decidingRole as string];
  if (!unitId || !decide) throw new Error(`no demo account decides Learning Families for ${JSON.stringify(rule)}`);
  const { recognitionCycles } = await gql(
    `query($year: Int, $unitId: ID) { recognitionCycles(year: $year, title: LEARNING_FAMILY, unitId: $unitId) {
      edges { node { id subjectLevel decidingUnit { id } } } } }`,
    { year, unitId },
  );
  const found = nodes(recognitionCycles).find((c) => c.subjectLevel === 'HOUSEHOLD' && c.decidingUnit.id === unitId);
  if (found) return { id: found.id, decide };
  const { criteriaSets } = await gql(`{ criteriaSets(title: LEARNING_FAMILY, status: PUBLISHED) { edges { node { id code } } } }`);
  const criteriaSetId = nodes(criteriaSets).find((s) => s.code === SAMPLE_SET)?.id;
  const input = { year, title: 'LEARNING_FAMILY', subjectLevel: 'HOUSEHOLD', decidingUnitId: unitId, criteriaSetId, ...deadlines };
  const opened = await whenReplicated(LAG_CODES, () =>
    decide(`mutation($input: OpenRecognitionCycleInput!) { openRecognitionCycle(input: $input) { cycle { id } } }`, { input }),
  );
  return { id: opened.openRecognitionCycle.cycle.id, decide };
}

/** Takes one household's assessment, step by step from wherever it is, to its target status. */
async function advance(officer: Gql, reviewer: Gql, cycleId: string, householdId: string, i: number, a: Assessment | undefined) {
  const h = HOUSEHOLDS[i]!;
  const step = async (gql: Gql, name: string, inputType: string, input: Record<string, unknown>) =>
    (await gql(`mutation($input: ${inputType}!) { ${name}(input: $input) { assessment { ${A} } } }`, { input }))[name]
      .assessment as Assessment;
  const on = (x: Assessment, extra: Record<string, unknown> = {}) => ({ assessmentId: x.id, expectedVersion: x.version, ...extra });
  a ??= await whenReplicated(LAG_CODES, () =>
    step(officer, 'registerForAssessment', 'RegisterForAssessmentInput', { cycleId, subjectKind: 'HOUSEHOLD', subjectId: householdId }),
  );
  for (let n = 0; a.status !== h.target && n < 12; n++) {
    if (a.status === 'REGISTERED' || a.status === 'DRAFT') {
      // a draft has the first criterion scored so far; the others every indicator and the evidence required
      const scores = h.target === 'DRAFT' ? selfScores(i).slice(0, 3) : selfScores(i);
      a = await step(officer, 'saveSelfAssessment', 'SaveSelfAssessmentInput', on(a, { scores }));
      for (const s of h.target === 'DRAFT' ? [] : a.scores.filter((x) => x.evidenceRequired && !x.evidence.length)) {
        const url = `https://dongkinh.example.vn/minh-chung/2025/${h.code}/${s.indicatorCode}.pdf`;
        const { attachAssessmentEvidence } = await officer(
          `mutation($input: AttachAssessmentEvidenceInput!) { attachAssessmentEvidence(input: $input) { assessment { ${A} } } }`,
          { input: on(a, { indicatorCode: s.indicatorCode, url }) },
        );
        a = attachAssessmentEvidence.assessment as Assessment;
      }
    } else if (a.status === 'SELF_ASSESSED') a = await step(officer, 'submitAssessment', 'AssessmentStepInput', on(a));
    else if (a.status === 'SUBMITTED') a = await step(reviewer, 'takeAssessmentForReview', 'AssessmentStepInput', on(a));
    else if (a.status === 'UNDER_REVIEW' && h.target === 'RETURNED')
      a = await step(reviewer, 'returnAssessment', 'AssessmentReasonInput', on(a, RETURN_REASON));
    else if (a.status === 'UNDER_REVIEW') {
      if (h.review) a = await step(reviewer, 'reviewAssessmentScores', 'ReviewAssessmentScoresInput', on(a, { scores: [h.review] }));
      a = await step(reviewer, 'approveAssessment', 'AssessmentStepInput', on(a, { comment: 'Đạt' }));
    } else throw new Error(`demo household ${h.code} is ${a.status}, not on its way to ${h.target}`);
  }
}

/** Loads the recognition demo (see the comment at the top); returns what the banner says of it. */
export async function seedRecognitionDemo(
  state: StackState,
  adminToken: string,
  accounts: DemoAccount[],
  logger: Logger,
): Promise<RecognitionDemo> {
  const units = readDemoUnits(state.profile);
  const communeId = units['ls-dongkinh'];
  if (!communeId) throw new Error('Phường Đông Kinh is not in demo-units.json');
  const as = async (username: string) => {
    const account = accounts.find((a) => a.username === username);
    if (!account) throw new Error(`demo account ${username} is missing`);
    return gatewayClient(state.gatewayUrl, await signIn(state.gatewayUrl, account.username, account.password));
  };
  const admin = gatewayClient(state.gatewayUrl, adminToken);
  const officer = await as('canbo.dongkinh');
  const association = await as('khuyenhoc.dongkinh');
  const tokens = { COMMUNE_OFFICER: officer, ASSOCIATION_OFFICER: association, EDUCATION_OFFICER: await as('giaoduc.langson') };

  const households = await seedParticipants(admin, officer, communeId);
  // dossiers are entered today: the 2025 deadlines (15 Jan / 15 Feb 2026 by default) are moved to today if past
  const today = todayInVietnam();
  const notBefore = (d: string) => (d > today ? d : today);
  const deadlines = { submissionDeadline: notBefore('2026-01-15'), decisionDeadline: notBefore('2026-02-15') };
  const cycle2025 = await familyCycle(admin, tokens, units, 2025, deadlines);
  const decisionsQuery = `query($cycleId: ID) { recognitionDecisions(cycleId: $cycleId) { edges { node { number recognitionCount } } } }`;
  const decisions = async () => nodes((await admin(decisionsQuery, { cycleId: cycle2025.id })).recognitionDecisions);
  let [decision] = await decisions();
  if (!decision) {
    const query = `query($cycleId: ID) { assessments(cycleId: $cycleId, first: 100) { edges { node { subjectId ${A} } } } }`;
    const { assessments } = await association(query, { cycleId: cycle2025.id });
    const bySubject = new Map<string, Assessment>(nodes(assessments).map((a) => [a.subjectId, a]));
    for (const [i, h] of HOUSEHOLDS.entries()) {
      const householdId = households.get(h.code)!;
      await advance(officer, association, cycle2025.id, householdId, i, bySubject.get(householdId));
    }
    const issue = `mutation($input: IssueRecognitionDecisionInput!) { issueRecognitionDecision(input: $input) { decision { id } } }`;
    await cycle2025.decide(issue, { input: { cycleId: cycle2025.id, date: today, allApproved: true, ...DECISION } });
    [decision] = await decisions();
    logger.info({ decision: DECISION.number }, 'recognition demo: Learning Family 2025 decided');
  }
  await familyCycle(admin, tokens, units, 2026, { submissionDeadline: '2027-01-15', decisionDeadline: '2027-02-15' });
  const count = (status: string) => `${status}: assessments(cycleId: $cycleId, status: ${status}, first: 1) { totalCount }`;
  const now = await admin(`query($cycleId: ID) { ${count('RETURNED')} ${count('DRAFT')} }`, { cycleId: cycle2025.id });
  return {
    households: households.size,
    decisionNumber: decision.number,
    recognised: decision.recognitionCount,
    returned: now.RETURNED.totalCount,
    drafts: now.DRAFT.totalCount,
  };
}
