import type { KafkaMessage } from 'kafkajs';
import { todayInVietnam } from '@xhht/infra';
import { tinyPdf, tinyPng } from '../support/files';
import { citizenTokenFor, collectTopic, createProvince, createUnit, eventually, gql, sql, tokenFor, uniqueCode } from '../support/stack';
import { replicated, uploadEvidence } from '../support/recognition';

/**
 * The whole recognition lifecycle of each of the five titles, through the public interface only:
 * participants registered in org → the deciding authority named by the shipped rules opens a cycle
 * on the title's sample criteria set → the subject registers, scores every indicator so the set's
 * rules hold, attaches evidence (uploaded files or links) and submits → the reviewer takes it
 * (returns it once with a reason for some titles; the subject fixes and resubmits) and approves →
 * the deciding authority issues a decision → the recognition is visible on its subject through
 * federation and in `recognitions(filter)`, and the subject's events are on the topic in order.
 * SQL is used only to wait for recognition's replicas and to check nothing else was written.
 */

const TOPIC = 'xhht.recognition.events';
const YEAR = 2026;
const SUBMITTED = 'vn.xhht.recognition.assessment.submitted.v1';
const RETURNED = 'vn.xhht.recognition.assessment.returned.v1';
const APPROVED = 'vn.xhht.recognition.assessment.approved.v1';
const GRANTED = 'vn.xhht.recognition.recognition.granted.v1';

type Level = 'ACHIEVED' | 'LEVEL_1' | 'LEVEL_2';
type Role = 'ASSOCIATION_OFFICER' | 'EDUCATION_OFFICER';
interface Indicator {
  code: string;
  scoring: 'POINTS' | 'PASS_FAIL';
  maxPoints: number | null;
  evidenceRequired: boolean;
  thresholds: { level: Level; points: number }[];
}
interface CriteriaSet {
  id: string;
  code: string;
  sample: boolean;
  status: string;
  criteria: { code: string; indicators: Indicator[] }[];
}
interface Score {
  indicatorCode: string;
  points?: number;
  passed?: boolean;
}
interface Place {
  commune: { id: string };
  village: { id: string };
  /** A commune officer of the commune: registers participants and self-assesses for households, clans and units */
  communeOfficer: string;
}
interface Subject {
  id: string;
  /** The unit recognition's replica should place it in */
  unitId: string;
  /** Who self-assesses: a commune officer in scope, the organization's own officer, or the citizen */
  selfAssessor: string;
}
interface Lifecycle {
  name: string;
  title: string;
  subjectLevel: string;
  subjectKind: string;
  level: Level;
  reviewerRole: Role;
  evidence: 'file' | 'link';
  /** Registers the subject through org's GraphQL mutations */
  subject: (place: Place) => Promise<Subject>;
  /** Scores every indicator of the set so the rules give `level` */
  scores: (set: CriteriaSet) => Score[];
  /** The reviewer returns the dossier once with this reason; the subject fixes it and resubmits */
  returned?: { reasonCode: string; reason: string; fix: { scores?: Score[]; evidenceFor?: string } };
  /** The subject's federation field, as `Recognition`s */
  viaSubject: (id: string, token: string) => Promise<any[]>;
}

const RECOGNITION = `id subjectKind subjectId title titleName level levelName year validFrom validTo status validOn
  decision { id number decidingUnit { id } }`;
const A = `id version status statusName resultLevel totalPoints late subjectKind subjectId subjectUnitId subjectLevel
  criteriaSet { id code sample }
  explanation { resultLevel levels { level held } }
  scores { indicatorCode evidenceRequired selfPoints selfPassed evidence { id url file { id sha256 } } }
  history { fromStatus toStatus reasonCode reason }`;
const step = (name: string, input: string) => `mutation($input: ${input}!) { ${name}(input: $input) { assessment { ${A} } } }`;
const REGISTER = step('registerForAssessment', 'RegisterForAssessmentInput');
const SAVE = step('saveSelfAssessment', 'SaveSelfAssessmentInput');
const ATTACH = step('attachAssessmentEvidence', 'AttachAssessmentEvidenceInput');
const SUBMIT = step('submitAssessment', 'AssessmentStepInput');
const TAKE = step('takeAssessmentForReview', 'AssessmentStepInput');
const RETURN = step('returnAssessment', 'AssessmentReasonInput');
const APPROVE = step('approveAssessment', 'AssessmentStepInput');
const AUTHORITY = `query($title: LearningTitle!, $level: RecognitionSubjectLevel!, $asOf: Date) {
  recognitionAuthority(title: $title, subjectLevel: $level, asOf: $asOf) { id decidingLevel decidingRole authorityName validFrom validTo }
}`;
const SAMPLE_SETS = `query($title: LearningTitle, $level: String) {
  criteriaSets(title: $title, subjectLevel: $level, status: PUBLISHED, first: 100) { edges { node { id sample } } }
}`;
const CRITERIA_SET = `query($id: ID!) { criteriaSet(id: $id) {
  id code sample status criteria { code indicators { code scoring maxPoints evidenceRequired thresholds { level points } } }
} }`;
const OPEN_CYCLE = `mutation($input: OpenRecognitionCycleInput!) { openRecognitionCycle(input: $input) {
  cycle { id year title subjectLevel criteriaSetId validityMonths status decisionDeadline decidingUnit { id } authority { id } }
} }`;
const ISSUE = `mutation($input: IssueRecognitionDecisionInput!) { issueRecognitionDecision(input: $input) { decision {
  id number date signerName signerTitle late recognitionCount title year decidingUnit { id } cycle { id }
  levelCounts { level count }
  recognitions(first: 10) { totalCount edges { node { ${RECOGNITION} assessmentId } } }
} } }`;
const LIST = `query($filter: RecognitionFilter) { recognitions(filter: $filter, first: 50) { totalCount edges { node { ${RECOGNITION} } } } }`;

let events: { messages: KafkaMessage[]; stop: () => Promise<void> };
let nation: { id: string };
let province: { id: string };
let decisionSeq = 0;

async function ok<T = any>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await gql(query, variables, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data as T;
}

/** A fresh commune and village of the suite's province, and an officer of the commune. */
async function freshPlace(communeName: string, villageName: string): Promise<Place> {
  const commune = await createUnit({
    code: uniqueCode(),
    name: communeName,
    kind: 'COMMUNE',
    parentId: province.id,
    validFrom: '2025-07-01',
  });
  const village = await createUnit({
    code: uniqueCode(),
    name: villageName,
    kind: 'VILLAGE',
    parentId: commune.id,
    validFrom: '2025-07-01',
  });
  await replicated('admin_unit_version_replica', [commune.id, village.id]);
  return { commune, village, communeOfficer: await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: commune.id }]) };
}

async function registerHousehold(unitId: string, headName: string, token: string): Promise<string> {
  const data = await ok(
    `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id } } }`,
    { input: { unitId, code: uniqueCode(), headName } },
    token,
  );
  return data.registerHousehold.household.id;
}

const indicators = (set: CriteriaSet) => set.criteria.flatMap((c) => c.indicators);
/** Full marks (or passed) everywhere, then the overrides. */
const fullMarks =
  (overrides: Record<string, number> = {}) =>
  (set: CriteriaSet): Score[] =>
    indicators(set).map((i) =>
      i.scoring === 'PASS_FAIL'
        ? { indicatorCode: i.code, passed: true }
        : { indicatorCode: i.code, points: overrides[i.code] ?? i.maxPoints! },
    );
/** Every points indicator exactly at its threshold for `level` (full marks where it has none), every pass/fail one passed. */
const atThreshold =
  (level: Level) =>
  (set: CriteriaSet): Score[] =>
    indicators(set).map((i) =>
      i.scoring === 'PASS_FAIL'
        ? { indicatorCode: i.code, passed: true }
        : { indicatorCode: i.code, points: i.thresholds.find((t) => t.level === level)?.points ?? i.maxPoints! },
    );
const pointsOf = (scores: Score[]) => scores.reduce((s, x) => s + (x.points ?? 0), 0);

const participant =
  (type: string, extra = '') =>
  async (id: string, token: string) => {
    const field = type.charAt(0).toLowerCase() + type.slice(1);
    const data = await ok(`query($id: ID!) { ${field}(id: $id) { id ${extra} recognitions { ${RECOGNITION} } } }`, { id }, token);
    return data[field].recognitions as any[];
  };

const LIFECYCLES: Lifecycle[] = [
  {
    name: 'Learning Family: a household',
    title: 'LEARNING_FAMILY',
    subjectLevel: 'HOUSEHOLD',
    subjectKind: 'HOUSEHOLD',
    level: 'ACHIEVED',
    reviewerRole: 'ASSOCIATION_OFFICER',
    evidence: 'file',
    subject: async (place) => ({
      id: await registerHousehold(place.village.id, 'Nguyễn Văn Bình', place.communeOfficer),
      unitId: place.village.id,
      selfAssessor: place.communeOfficer,
    }),
    scores: fullMarks({ '2.2': 10, '3.2': 5 }),
    viaSubject: participant('Household'),
  },
  {
    name: 'Learning Clan: a clan, returned once for its scores',
    title: 'LEARNING_CLAN',
    subjectLevel: 'CLAN',
    subjectKind: 'CLAN',
    level: 'ACHIEVED',
    reviewerRole: 'ASSOCIATION_OFFICER',
    evidence: 'link',
    subject: async (place) => {
      const members = [
        await registerHousehold(place.village.id, 'Phạm Văn Tộc', place.communeOfficer),
        await registerHousehold(place.village.id, 'Phạm Thị Chi', place.communeOfficer),
      ];
      const data = await ok(
        `mutation($input: RegisterClanInput!) { registerClan(input: $input) { clan { id householdCount } } }`,
        {
          input: {
            unitId: place.commune.id,
            code: uniqueCode(),
            name: 'Dòng họ Phạm',
            branches: [{ name: 'Chi trưởng', unitId: place.village.id }],
            households: members.map((householdId) => ({ householdId, branchName: 'Chi trưởng' })),
          },
        },
        place.communeOfficer,
      );
      expect(data.registerClan.clan.householdCount).toBe(2);
      return { id: data.registerClan.clan.id, unitId: place.commune.id, selfAssessor: place.communeOfficer };
    },
    scores: fullMarks(),
    returned: {
      reasonCode: 'INCORRECT_SCORES',
      reason: 'Quỹ khuyến học chưa công khai đầy đủ: chấm lại chỉ tiêu 1.2',
      fix: { scores: [{ indicatorCode: '1.2', points: 10 }] },
    },
    viaSubject: participant('Clan', 'name'),
  },
  {
    name: 'Learning Community: a village, at level 1',
    title: 'LEARNING_COMMUNITY',
    subjectLevel: 'VILLAGE',
    subjectKind: 'ADMIN_UNIT',
    level: 'LEVEL_1',
    reviewerRole: 'ASSOCIATION_OFFICER',
    evidence: 'link',
    subject: async (place) => ({ id: place.village.id, unitId: place.village.id, selfAssessor: place.communeOfficer }),
    // 80 points: level 1 (at least 70, no criterion at zero), not level 2 (at least 85)
    scores: fullMarks({ '2.1': 10, '2.2': 5 }),
    viaSubject: async (id, token) => {
      const data = await ok(
        `query($id: ID!, $year: Int, $title: LearningTitle) { adminUnit(id: $id) { id
          recognitions(year: $year, title: $title) { totalCount edges { node { ${RECOGNITION} } } } } }`,
        { id, year: YEAR, title: 'LEARNING_COMMUNITY' },
        token,
      );
      return data.adminUnit.recognitions.edges.map((e: { node: unknown }) => e.node);
    },
  },
  {
    name: 'Learning Community: a commune, reaching level 2',
    title: 'LEARNING_COMMUNITY',
    subjectLevel: 'COMMUNE',
    subjectKind: 'ADMIN_UNIT',
    level: 'LEVEL_2',
    reviewerRole: 'EDUCATION_OFFICER',
    evidence: 'link',
    subject: async (place) => ({ id: place.commune.id, unitId: place.commune.id, selfAssessor: place.communeOfficer }),
    scores: fullMarks(),
    viaSubject: async (id, token) => {
      const data = await ok(
        `query($id: ID!, $year: Int, $title: LearningTitle) { adminUnit(id: $id) { id
          recognitions(year: $year, title: $title) { totalCount edges { node { ${RECOGNITION} } } } } }`,
        { id, year: YEAR, title: 'LEARNING_COMMUNITY' },
        token,
      );
      return data.adminUnit.recognitions.edges.map((e: { node: unknown }) => e.node);
    },
  },
  {
    name: 'Learning Unit: an organization, self-assessed by its own officer, at level 1',
    title: 'LEARNING_UNIT',
    subjectLevel: 'ORGANIZATION',
    subjectKind: 'ORGANIZATION',
    level: 'LEVEL_1',
    reviewerRole: 'EDUCATION_OFFICER',
    evidence: 'file',
    subject: async (place) => {
      const data = await ok(
        `mutation($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { organization { id } } }`,
        { input: { unitId: place.commune.id, code: uniqueCode(), name: 'Trường Tiểu học Hòa Bình', type: 'SCHOOL' } },
        place.communeOfficer,
      );
      const id = data.registerOrganization.organization.id as string;
      return { id, unitId: place.commune.id, selfAssessor: await tokenFor([{ role: 'ORGANIZATION_OFFICER', organizationId: id }]) };
    },
    scores: atThreshold('LEVEL_1'),
    viaSubject: participant('Organization', 'name'),
  },
  {
    name: 'Learning Citizen: a person assessing themself, returned once for missing evidence',
    title: 'LEARNING_CITIZEN',
    subjectLevel: 'PERSON',
    subjectKind: 'PERSON',
    level: 'ACHIEVED',
    reviewerRole: 'ASSOCIATION_OFFICER',
    evidence: 'file',
    subject: async (place) => {
      const data = await ok(
        `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { person { id } } }`,
        {
          input: {
            unitId: place.village.id,
            code: uniqueCode(),
            fullName: 'Lê Thị Hoa',
            birthYear: 1988,
            sex: 'FEMALE',
            occupationalGroup: 'TEACHER',
          },
        },
        place.communeOfficer,
      );
      const id = data.registerPerson.person.id as string;
      return { id, unitId: place.village.id, selfAssessor: await citizenTokenFor(id) };
    },
    // 85 points, no competency at zero
    scores: fullMarks({ '2.3': 5, '3.2': 0 }),
    returned: {
      reasonCode: 'MISSING_EVIDENCE',
      reason: 'Bổ sung giấy chứng nhận hoàn thành lớp bồi dưỡng (chỉ tiêu 1.3)',
      fix: { evidenceFor: '1.3' },
    },
    viaSubject: participant('Person', 'fullName'),
  },
];

/** validFrom plus `months`, minus one day (as a date + interval in PostgreSQL: the day clamped to the month's end). */
function validToOf(validFrom: string, months: number): string {
  const [y, m, d] = validFrom.split('-').map(Number) as [number, number, number];
  const total = m - 1 + months;
  const year = y + Math.floor(total / 12);
  const month = total % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const end = new Date(Date.UTC(year, month, Math.min(d, lastDay)) - 24 * 3600 * 1000);
  return end.toISOString().slice(0, 10);
}

type Event = { id: string; type: string; subject: string; time: string; data: Record<string, any> };
const parsed = (m: KafkaMessage) => JSON.parse(m.value!.toString()) as Event;

beforeAll(async () => {
  events = await collectTopic(TOPIC);
  ({ nation, province } = await createProvince('Việt Nam (vòng đời công nhận)', 'Tỉnh Hòa Bình'));
  await replicated('admin_unit_version_replica', [nation.id, province.id]);
}, 120000);

afterAll(async () => {
  await events.stop();
});

describe('the whole recognition lifecycle of each title, through the gateway', () => {
  it.each(LIFECYCLES.map((l) => [l.name, l] as const))('%s', async (_name, life) => {
    const place = await freshPlace(`Xã ${uniqueCode()}`, `Thôn ${uniqueCode()}`);
    const subject = await life.subject(place);
    if (life.subjectKind === 'ADMIN_UNIT') await replicated('admin_unit_version_replica', [subject.id]);
    else await replicated('participant_replica', [subject.id]);
    const [replica] =
      life.subjectKind === 'ADMIN_UNIT'
        ? [{ unit_id: subject.id }]
        : await sql<{ unit_id: string }>('recognition', 'select unit_id from participant_replica where id = $1', [subject.id]);
    expect(replica!.unit_id).toBe(subject.unitId);

    // who decides: the rule in force on the decision date, on a unit of its level above the subject
    const today = todayInVietnam();
    const rule = (await ok(AUTHORITY, { title: life.title, level: life.subjectLevel, asOf: today })).recognitionAuthority;
    expect(rule).not.toBeNull();
    const decidingUnit = { COMMUNE: place.commune, PROVINCE: province, NATION: nation }[rule.decidingLevel as string];
    expect(decidingUnit).toBeDefined();
    const decider = await tokenFor([{ role: rule.decidingRole, unitId: decidingUnit!.id }]);
    const reviewer = await tokenFor([{ role: life.reviewerRole, unitId: decidingUnit!.id }]);

    // the title's sample criteria set, as published
    const sets = await ok(SAMPLE_SETS, { title: life.title, level: life.subjectLevel });
    const sampleId = sets.criteriaSets.edges.map((e: { node: { id: string; sample: boolean } }) => e.node).find((n: any) => n.sample)?.id;
    expect(sampleId).toBeDefined();
    const set = (await ok(CRITERIA_SET, { id: sampleId }, subject.selfAssessor)).criteriaSet as CriteriaSet;
    expect(set).toMatchObject({ sample: true, status: 'PUBLISHED' });

    const cycle = (
      await ok(
        OPEN_CYCLE,
        {
          input: {
            year: YEAR,
            title: life.title,
            subjectLevel: life.subjectLevel,
            decidingUnitId: decidingUnit!.id,
            criteriaSetId: set.id,
          },
        },
        decider,
      )
    ).openRecognitionCycle.cycle;
    expect(cycle).toMatchObject({
      year: YEAR,
      title: life.title,
      subjectLevel: life.subjectLevel,
      criteriaSetId: set.id,
      validityMonths: 36,
      status: 'OPEN',
      decidingUnit: { id: decidingUnit!.id },
      // the rule in force on the cycle's decision deadline is the one in force today
      authority: { id: rule.id },
    });

    // self-assessment
    const by = subject.selfAssessor;
    let a = (await ok(REGISTER, { input: { cycleId: cycle.id, subjectKind: life.subjectKind, subjectId: subject.id } }, by))
      .registerForAssessment.assessment;
    expect(a).toMatchObject({
      status: 'REGISTERED',
      subjectKind: life.subjectKind,
      subjectId: subject.id,
      subjectUnitId: subject.unitId,
      subjectLevel: life.subjectLevel,
      criteriaSet: { id: set.id, code: set.code, sample: true },
    });
    expect(a.scores.map((s: { indicatorCode: string }) => s.indicatorCode)).toEqual(indicators(set).map((i) => i.code));

    let scores = life.scores(set);
    a = (await ok(SAVE, { input: { assessmentId: a.id, expectedVersion: a.version, scores } }, by)).saveSelfAssessment.assessment;
    expect(a).toMatchObject({ status: 'DRAFT', resultLevel: life.level, totalPoints: pointsOf(scores) });

    const files = new Map<string, string>();
    const attach = async (indicatorCode: string, kind: 'file' | 'link') => {
      let evidence: { evidenceFileId?: string; url?: string };
      if (kind === 'file') {
        const file = indicatorCode.endsWith('1')
          ? await uploadEvidence(
              by,
              tinyPdf(`Minh chung ${indicatorCode} ${cycle.id}`),
              `Minh chứng ${indicatorCode}.pdf`,
              'application/pdf',
            )
          : await uploadEvidence(by, tinyPng([indicatorCode.length * 40, 90, 30]), `Ảnh ${indicatorCode}.png`, 'image/png');
        files.set(indicatorCode, file.sha256);
        evidence = { evidenceFileId: file.id };
      } else evidence = { url: `https://minhchung.example.vn/${cycle.id}/${indicatorCode}` };
      a = (await ok(ATTACH, { input: { assessmentId: a.id, expectedVersion: a.version, indicatorCode, ...evidence } }, by))
        .attachAssessmentEvidence.assessment;
    };
    const needEvidence = indicators(set).filter((i) => i.evidenceRequired);
    expect(needEvidence.length).toBeGreaterThan(0);
    for (const i of needEvidence) await attach(i.code, life.evidence);
    expect(a.status).toBe('SELF_ASSESSED');
    for (const s of a.scores.filter((x: { evidenceRequired: boolean }) => x.evidenceRequired)) {
      expect(s.evidence).toHaveLength(1);
      if (life.evidence === 'file') expect(s.evidence[0].file.sha256).toBe(files.get(s.indicatorCode));
      else expect(s.evidence[0].url).toBe(`https://minhchung.example.vn/${cycle.id}/${s.indicatorCode}`);
    }

    a = (await ok(SUBMIT, { input: { assessmentId: a.id, expectedVersion: a.version } }, by)).submitAssessment.assessment;
    expect(a).toMatchObject({ status: 'SUBMITTED', late: false, resultLevel: life.level });

    // review, returned once where the title's case says so
    a = (await ok(TAKE, { input: { assessmentId: a.id, expectedVersion: a.version } }, reviewer)).takeAssessmentForReview.assessment;
    expect(a.status).toBe('UNDER_REVIEW');
    const expectedHistory = ['REGISTERED', 'DRAFT', 'SELF_ASSESSED', 'SUBMITTED', 'UNDER_REVIEW'];
    if (life.returned) {
      const { reasonCode, reason, fix } = life.returned;
      a = (await ok(RETURN, { input: { assessmentId: a.id, expectedVersion: a.version, reasonCode, reason } }, reviewer)).returnAssessment
        .assessment;
      expect(a.status).toBe('RETURNED');
      expect(a.history.at(-1)).toMatchObject({ fromStatus: 'UNDER_REVIEW', toStatus: 'RETURNED', reasonCode, reason });
      if (fix.scores) {
        a = (await ok(SAVE, { input: { assessmentId: a.id, expectedVersion: a.version, scores: fix.scores } }, by)).saveSelfAssessment
          .assessment;
        const fixed = new Map(fix.scores.map((s) => [s.indicatorCode, s]));
        scores = scores.map((s) => fixed.get(s.indicatorCode) ?? s);
      }
      if (fix.evidenceFor) {
        await attach(fix.evidenceFor, life.evidence);
        expect(a.scores.find((s: { indicatorCode: string }) => s.indicatorCode === fix.evidenceFor).evidence).toHaveLength(1);
      }
      expect(a).toMatchObject({ status: 'SELF_ASSESSED', resultLevel: life.level, totalPoints: pointsOf(scores) });
      a = (await ok(SUBMIT, { input: { assessmentId: a.id, expectedVersion: a.version } }, by)).submitAssessment.assessment;
      a = (await ok(TAKE, { input: { assessmentId: a.id, expectedVersion: a.version } }, reviewer)).takeAssessmentForReview.assessment;
      expectedHistory.push('RETURNED', 'SELF_ASSESSED', 'SUBMITTED', 'UNDER_REVIEW');
    }
    a = (await ok(APPROVE, { input: { assessmentId: a.id, expectedVersion: a.version } }, reviewer)).approveAssessment.assessment;
    expect(a).toMatchObject({ status: 'APPROVED', resultLevel: life.level, totalPoints: pointsOf(scores) });
    expect(a.explanation.levels.find((l: { level: string }) => l.level === life.level)).toMatchObject({ held: true });
    expect(a.history.map((t: { toStatus: string }) => t.toStatus)).toEqual([...expectedHistory, 'APPROVED']);

    // the decision, by the deciding authority
    const number = `${++decisionSeq}/QĐ-UBND`;
    const decision = (
      await ok(
        ISSUE,
        {
          input: {
            cycleId: cycle.id,
            number,
            date: today,
            signerName: 'Trần Văn Quyết',
            signerTitle: rule.authorityName,
            subjects: [{ assessmentId: a.id }],
          },
        },
        decider,
      )
    ).issueRecognitionDecision.decision;
    const validTo = validToOf(today, 36);
    const expected = {
      subjectKind: life.subjectKind,
      subjectId: subject.id,
      title: life.title,
      level: life.level,
      year: YEAR,
      validFrom: today,
      validTo,
      status: 'ACTIVE',
      validOn: true,
      decision: { id: decision.id, number, decidingUnit: { id: decidingUnit!.id } },
    };
    expect(decision).toMatchObject({
      number,
      date: today,
      late: false,
      recognitionCount: 1,
      title: life.title,
      year: YEAR,
      decidingUnit: { id: decidingUnit!.id },
      cycle: { id: cycle.id },
      levelCounts: [{ level: life.level, count: 1 }],
    });
    expect(decision.recognitions.totalCount).toBe(1);
    const recognition = decision.recognitions.edges[0].node;
    expect(recognition).toMatchObject({ ...expected, assessmentId: a.id });

    // visible on the subject through federation, and in the list by filter
    // read by the deciding authority, and by whoever assessed for the subject (the citizen themself)
    for (const token of [decider, subject.selfAssessor]) {
      const held = await life.viaSubject(subject.id, token);
      expect(held).toEqual([expect.objectContaining({ id: recognition.id, ...expected })]);
    }
    const filter = { title: life.title, year: YEAR, subjectKind: life.subjectKind, unitId: place.commune.id, validOn: today };
    for (const token of [decider, subject.selfAssessor]) {
      const list = (await ok(LIST, { filter }, token)).recognitions;
      expect(list.totalCount).toBe(1);
      expect(list.edges[0].node).toMatchObject({ id: recognition.id, ...expected });
    }
    expect((await ok(LIST, { filter: { ...filter, level: life.level } })).recognitions.totalCount).toBe(1);
    const otherLevel = life.level === 'LEVEL_2' ? 'LEVEL_1' : life.level === 'LEVEL_1' ? 'LEVEL_2' : 'LEVEL_1';
    expect((await ok(LIST, { filter: { ...filter, level: otherLevel } })).recognitions.totalCount).toBe(0);
    // nothing else was written for the subject
    expect(await sql('recognition', 'select id from assessment where subject_id = $1', [subject.id])).toEqual([{ id: a.id }]);
    expect(await sql('recognition', 'select id from recognition where subject_id = $1', [subject.id])).toEqual([{ id: recognition.id }]);

    // the subject's events, in order
    const forSubject = () =>
      events.messages
        .map(parsed)
        .filter((e) => (e.type === GRANTED ? e.subject === subject.id : e.subject === a.id && e.data.subjectId === subject.id));
    const expectedTypes = life.returned ? [SUBMITTED, RETURNED, SUBMITTED, APPROVED, GRANTED] : [SUBMITTED, APPROVED, GRANTED];
    const seen = await eventually(
      async () => {
        const got = forSubject();
        return got.filter((e) => e.type === GRANTED).length >= 1 && got.length >= expectedTypes.length ? got : undefined;
      },
      30000,
      `the events of ${life.name}`,
    );
    // one aggregate's events share a key, so a partition: they arrive in the order they were written
    const assessmentEvents = seen.filter((e) => e.type !== GRANTED);
    expect(assessmentEvents.map((e) => e.type)).toEqual(expectedTypes.slice(0, -1));
    const granted = seen.filter((e) => e.type === GRANTED);
    expect(granted).toHaveLength(1);
    const times = [...assessmentEvents, granted[0]!].map((e) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    const submissions = assessmentEvents.filter((e) => e.type === SUBMITTED);
    expect(submissions.map((e) => e.data.resubmission)).toEqual(life.returned ? [false, true] : [false]);
    for (const e of assessmentEvents)
      expect(e.data).toMatchObject({ assessmentId: a.id, cycleId: cycle.id, title: life.title, year: YEAR, subjectKind: life.subjectKind });
    if (life.returned) expect(assessmentEvents[1]!.data.reasonCode).toBe(life.returned.reasonCode);
    expect(assessmentEvents.at(-1)!.data).toMatchObject({ resultLevel: life.level, totalPoints: pointsOf(scores) });
    expect(granted[0]!.data).toMatchObject({
      recognitionId: recognition.id,
      decisionId: decision.id,
      subjectKind: life.subjectKind,
      subjectId: subject.id,
      title: life.title,
      level: life.level,
      year: YEAR,
      validFrom: today,
      validTo,
      decisionNumber: number,
      decidingUnitId: decidingUnit!.id,
    });
  });
});
