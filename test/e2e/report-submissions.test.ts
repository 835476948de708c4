import ExcelJS from 'exceljs';
import type { KafkaMessage } from 'kafkajs';
import { todayInVietnam, type MikroORM } from '@xhht/infra';
import { reportFigures } from '../../services/reporting/src/reports/report-figures';
import { reportingTestOrm } from '../support/reporting';
import { collectTopic, createProvince, createUnit, eventually, gql, sql, stack, tokenFor, uniqueCode } from '../support/stack';

/**
 * Report requests and submissions through the gateway: a province asks its communes for the
 * annual report; a commune drafts (figures pre-filled from reporting's read models) and submits on
 * time, is returned with a reason, resubmits and is accepted; under a request already past its due
 * date one commune submits late and the others are found overdue by the sweep, once each; the
 * statistics per level are exact; refusals write nothing; events reach xhht.reporting.events.
 */

const TOPIC = 'xhht.reporting.events';
const SUBMITTED = 'vn.xhht.reporting.report.submitted.v1';
const ACCEPTED = 'vn.xhht.reporting.report.accepted.v1';
const RETURNED = 'vn.xhht.reporting.report.returned.v1';
const OVERDUE = 'vn.xhht.reporting.report.overdue.v1';

const REGISTER_HOUSEHOLD = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id } } }`;
const CREATE_PLAN = `mutation C($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }`;
const SET_TARGET = `mutation S($input: SetTargetInput!) { setTarget(input: $input) { target { id } } }`;
const CREATE_REQUEST = `mutation C($input: CreateReportRequestInput!) {
  createReportRequest(input: $input) {
    request { id kind kindName year title periodStart periodEnd dueDate reporterCount requestingUnit { id name } sections { code title } }
  }
}`;
const SUBMISSION_FIELDS = `id status statusName version late timeliness timelinessName returnReason figuresAsOf firstSubmittedAt submittedAt
  reporterKind reporterId level unit { id name } request { id }
  sections { code title text } figures { indicator name numerator denominator rate target status }
  transitions { fromStatus toStatus reason by }`;
const SAVE = `mutation S($input: SaveReportDraftInput!) { saveReportDraft(input: $input) { submission { ${SUBMISSION_FIELDS} } } }`;
const SUBMIT = `mutation S($input: ReportStepInput!) { submitReport(input: $input) { submission { ${SUBMISSION_FIELDS} } } }`;
const ACCEPT = `mutation A($input: ReportStepInput!) { acceptReport(input: $input) { submission { ${SUBMISSION_FIELDS} } } }`;
const RETURN = `mutation R($input: ReturnReportInput!) { returnReport(input: $input) { submission { ${SUBMISSION_FIELDS} } } }`;
const SWEEP = `mutation { runReportOverdueSweep { overdueCount } }`;
const STATS = `query Q($id: ID!) {
  reportRequest(id: $id) {
    statistics { level levelName expected submitted accepted returned onTime late missing reportingRate onTimeRate }
  }
}`;
const REPORTERS = `query Q($id: ID!, $first: Int, $after: String, $status: ReportSubmissionStatus) {
  reportRequest(id: $id) {
    reporters(first: $first, after: $after, status: $status) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { reporterId level levelName status statusName timeliness timelinessName overdueAt unit { id name } submission { id version } } }
    }
  }
}`;

interface ReportEvent {
  type: string;
  subject: string;
  data: {
    requestId: string;
    reporterId: string;
    timeliness: string;
    level: string;
    dueDate: string;
    year: number;
    kind: string;
    submissionId: string | null;
    status?: string;
    reason?: string;
    resubmission?: boolean;
  };
}
const parsed = (m: KafkaMessage) => JSON.parse(m.value!.toString()) as ReportEvent;

const dayOffset = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Rows of every report table, to show a refusal wrote nothing. */
const snapshot = async () =>
  sql(
    'reporting',
    `select (select count(*)::int from report_request) as requests, (select count(*)::int from report_reporter) as reporters,
       (select count(*)::int from report_submission_transition) as transitions,
       (select coalesce(json_agg(json_build_object('id', id, 'status', status, 'version', version, 'sections', sections) order by id), '[]')
        from report_submission) as submissions`,
  );

const ok = async (query: string, input: Record<string, unknown>, token: string) => {
  const res = await gql(query, { input }, { token });
  expect(res.errors).toBeUndefined();
  return Object.values(res.data!)[0] as Record<string, any>;
};
const refused = async (query: string, input: Record<string, unknown>, token: string) => {
  const res = await gql(query, { input }, { token });
  expect(res.data ?? null).toBeNull();
  return res.errors![0]!;
};

let events: { messages: KafkaMessage[]; stop: () => Promise<void> };
let orm: MikroORM;

beforeAll(async () => {
  events = await collectTopic(TOPIC);
  orm = await reportingTestOrm();
});

afterAll(async () => {
  await events?.stop();
  await orm?.close(true);
});

describe('report requests and submissions, through the gateway', () => {
  it('a province asks its communes for the annual report: lifecycle, lateness, overdue, statistics, refusals, events', async () => {
    const today = todayInVietnam();
    // the late request's due date is ten days ago; both requests are for that day's year
    const pastDue = dayOffset(today, -10);
    const year = Number(pastDue.slice(0, 4));
    const futureDue = dayOffset(today, 30);

    const { province } = await createProvince('Việt Nam (báo cáo)', 'Tỉnh Lạng Sơn');
    const commune = (name: string) =>
      createUnit({ code: uniqueCode(), name, kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
    const communeA = await commune('Phường Đông Kinh');
    const communeB = await commune('Xã Hữu Lũng');
    const communeC = await commune('Xã Chi Lăng');
    const village = await createUnit({
      code: uniqueCode(),
      name: 'Khối 1',
      kind: 'VILLAGE',
      parentId: communeA.id,
      validFrom: '2025-07-01',
    });
    const households: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await gql(REGISTER_HOUSEHOLD, { input: { unitId: village.id, code: uniqueCode(), headName: 'Hoàng Văn Lâm' } });
      expect(res.errors).toBeUndefined();
      households.push(res.data!.registerHousehold.household.id);
    }
    await eventually(
      async () => {
        const [r] = await sql<{ units: number; households: number }>(
          'reporting',
          `select (select count(distinct unit_id)::int from admin_unit_version_replica where unit_id = any($1::uuid[])) as units,
             (select count(*)::int from participant_replica where id = any($2::uuid[])) as households`,
          [[province.id, communeA.id, communeB.id, communeC.id, village.id], households],
        );
        return r!.units === 5 && r!.households === 2 ? true : undefined;
      },
      60000,
      'units and households in reporting',
    );

    const provinceOfficer = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: province.id }], 'giaoduc-langson');
    const officerA = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeA.id }], 'canbo-dongkinh');
    const officerB = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeB.id }], 'canbo-huulung');
    const officerC = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeC.id }], 'canbo-chilang');

    // a province target the commune's figures carry
    const plan = await gql(
      CREATE_PLAN,
      { input: { number: '110/KH-UBND', issuedOn: '2023-03-15', issuingUnitId: province.id } },
      {
        token: provinceOfficer,
      },
    );
    expect(plan.errors).toBeUndefined();
    const target = await gql(
      SET_TARGET,
      { input: { planId: plan.data!.createPlan.plan.id, indicator: 'LEARNING_FAMILY_RATE', unitId: province.id, year, percentage: 70 } },
      { token: provinceOfficer },
    );
    expect(target.errors).toBeUndefined();

    // the annual report, due in a month, from every commune of the province
    const request = (
      await ok(
        CREATE_REQUEST,
        { kind: 'ANNUAL_REPORT', year, requestingUnitId: province.id, dueDate: futureDue, reporterUnitKind: 'COMMUNE' },
        provinceOfficer,
      )
    ).request;
    expect(request).toMatchObject({
      kind: 'ANNUAL_REPORT',
      kindName: 'Báo cáo kết quả thực hiện phong trào năm',
      year,
      periodStart: `${year}-01-01`,
      periodEnd: `${year}-12-31`,
      dueDate: futureDue,
      reporterCount: 3,
      requestingUnit: { id: province.id, name: 'Tỉnh Lạng Sơn' },
      sections: [
        { code: 'RESULTS', title: 'Kết quả đạt được' },
        { code: 'DIFFICULTIES', title: 'Khó khăn, vướng mắc' },
        { code: 'PROPOSALS', title: 'Đề xuất, kiến nghị' },
      ],
    });

    // commune A drafts: figures pre-filled as reporting's read models hold them today
    const draft = (
      await ok(
        SAVE,
        { requestId: request.id, reporterId: communeA.id, sections: [{ code: 'RESULTS', text: '2 hộ đăng ký Gia đình học tập' }] },
        officerA,
      )
    ).submission;
    expect(draft).toMatchObject({
      status: 'DRAFT',
      statusName: 'Đang soạn',
      version: 1,
      late: false,
      timeliness: null,
      figuresAsOf: today,
      reporterKind: 'UNIT',
      reporterId: communeA.id,
      level: 'COMMUNE',
      unit: { id: communeA.id, name: 'Phường Đông Kinh' },
      sections: [
        { code: 'RESULTS', title: 'Kết quả đạt được', text: '2 hộ đăng ký Gia đình học tập' },
        { code: 'DIFFICULTIES', title: 'Khó khăn, vướng mắc', text: '' },
        { code: 'PROPOSALS', title: 'Đề xuất, kiến nghị', text: '' },
      ],
      transitions: [{ fromStatus: 'NOT_STARTED', toStatus: 'DRAFT', reason: null, by: 'canbo-dongkinh' }],
    });
    const expectedFigures = await reportFigures(orm.em.fork() as unknown as Parameters<typeof reportFigures>[0], communeA.id, year, today);
    expect(draft.figures).toEqual(expectedFigures);
    expect(draft.figures.find((f: { indicator: string }) => f.indicator === 'LEARNING_FAMILY_RATE')).toEqual({
      indicator: 'LEARNING_FAMILY_RATE',
      name: 'Tỷ lệ hộ gia đình đạt danh hiệu Gia đình học tập',
      numerator: 0,
      denominator: 2,
      rate: 0,
      target: 70,
      status: 'BEHIND',
    });

    // every section must be written before submitting; a stale version is a conflict
    const empty = await refused(SUBMIT, { submissionId: draft.id, expectedVersion: 1 }, officerA);
    expect(empty.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey: 'SECTION_EMPTY' });
    const written = (
      await ok(
        SAVE,
        {
          requestId: request.id,
          reporterId: communeA.id,
          expectedVersion: 1,
          sections: [
            { code: 'DIFFICULTIES', text: 'Kinh phí cho trung tâm học tập cộng đồng còn hạn chế' },
            { code: 'PROPOSALS', text: 'Đề nghị tỉnh hỗ trợ tài liệu' },
          ],
        },
        officerA,
      )
    ).submission;
    expect(written.version).toBe(2);
    expect(written.sections.map((s: { text: string }) => s.text)).toEqual([
      '2 hộ đăng ký Gia đình học tập',
      'Kinh phí cho trung tâm học tập cộng đồng còn hạn chế',
      'Đề nghị tỉnh hỗ trợ tài liệu',
    ]);
    let before = await snapshot();
    const stale = await refused(SUBMIT, { submissionId: draft.id, expectedVersion: 1 }, officerA);
    expect(stale.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'STALE_VERSION', field: ['input', 'expectedVersion'] });
    const staleDraft = await refused(SAVE, { requestId: request.id, reporterId: communeA.id, sections: [] }, officerA);
    expect(staleDraft.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'STALE_VERSION' });
    // a commune officer of another commune can neither write nor submit commune A's report
    const foreignSave = await refused(
      SAVE,
      { requestId: request.id, reporterId: communeA.id, expectedVersion: 2, sections: [{ code: 'RESULTS', text: 'x' }] },
      officerC,
    );
    expect(foreignSave.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect((await refused(SUBMIT, { submissionId: draft.id, expectedVersion: 2 }, officerC)).extensions).toMatchObject({
      code: 'FORBIDDEN',
    });
    // nor may a commune accept its own report or ask for reports of the province
    expect((await refused(ACCEPT, { submissionId: draft.id, expectedVersion: 2 }, officerA)).extensions).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      (
        await refused(
          CREATE_REQUEST,
          { kind: 'ANNUAL_REPORT', year, requestingUnitId: province.id, dueDate: futureDue, reporterUnitKind: 'COMMUNE' },
          officerA,
        )
      ).extensions,
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(await snapshot()).toEqual(before);

    // submitted on time, with the figures of the day frozen
    const submitted = (await ok(SUBMIT, { submissionId: draft.id, expectedVersion: 2 }, officerA)).submission;
    expect(submitted).toMatchObject({ status: 'SUBMITTED', version: 3, timeliness: 'ON_TIME', timelinessName: 'Đúng hạn', late: false });
    expect(submitted.figures).toEqual(expectedFigures);
    expect(
      (await refused(SAVE, { requestId: request.id, reporterId: communeA.id, expectedVersion: 3, sections: [] }, officerA)).extensions,
    ).toMatchObject({ code: 'CONFLICT', messageKey: 'WRONG_REPORT_STATUS' });

    // the province returns it with a reason (an empty one is refused, nothing changes)
    before = await snapshot();
    const noReason = await refused(RETURN, { submissionId: draft.id, expectedVersion: 3, reason: '   ' }, provinceOfficer);
    expect(noReason.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'reason'] });
    expect(await snapshot()).toEqual(before);
    const returned = (
      await ok(RETURN, { submissionId: draft.id, expectedVersion: 3, reason: 'Bổ sung số liệu Dòng họ học tập' }, provinceOfficer)
    ).submission;
    expect(returned).toMatchObject({
      status: 'RETURNED',
      statusName: 'Bị trả lại',
      version: 4,
      returnReason: 'Bổ sung số liệu Dòng họ học tập',
    });

    // the commune redrafts and resubmits; the province accepts
    const redrafted = (
      await ok(
        SAVE,
        { requestId: request.id, reporterId: communeA.id, expectedVersion: 4, sections: [{ code: 'RESULTS', text: 'Đã bổ sung số liệu' }] },
        officerA,
      )
    ).submission;
    expect(redrafted).toMatchObject({ status: 'DRAFT', version: 5 });
    const resubmitted = (await ok(SUBMIT, { submissionId: draft.id, expectedVersion: 5 }, officerA)).submission;
    expect(resubmitted).toMatchObject({ status: 'SUBMITTED', version: 6, timeliness: 'ON_TIME', returnReason: null });
    const accepted = (await ok(ACCEPT, { submissionId: draft.id, expectedVersion: 6 }, provinceOfficer)).submission;
    expect(accepted).toMatchObject({ status: 'ACCEPTED', statusName: 'Đã tiếp nhận', version: 7, timeliness: 'ON_TIME' });
    expect(
      accepted.transitions.map((t: { fromStatus: string; toStatus: string; reason: string | null }) => [
        t.fromStatus,
        t.toStatus,
        t.reason,
      ]),
    ).toEqual([
      ['NOT_STARTED', 'DRAFT', null],
      ['DRAFT', 'SUBMITTED', null],
      ['SUBMITTED', 'RETURNED', 'Bổ sung số liệu Dòng họ học tập'],
      ['RETURNED', 'DRAFT', null],
      ['DRAFT', 'SUBMITTED', null],
      ['SUBMITTED', 'ACCEPTED', null],
    ]);

    // the accepted report downloads as .xlsx for the province and the commune, with the figures sent and the narrative
    const reportXlsx = async (submissionId: string, token: string) => {
      const res = await fetch(new URL(`/exports/reports/${submissionId}`, stack().gatewayUrl), {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
    };
    for (const token of [provinceOfficer, officerA]) {
      const xlsx = await reportXlsx(draft.id, token);
      expect(xlsx.status).toBe(200);
      expect(xlsx.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
      const rows = book.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
      const rowOf = (first: string) => rows.find((r) => r[1] === first)?.slice(1);
      const family = accepted.figures.find((f: { indicator: string }) => f.indicator === 'LEARNING_FAMILY_RATE');
      expect(rowOf(family.name)).toEqual([family.name, family.numerator, family.denominator, family.rate, family.target]);
      expect(rowOf('Trạng thái')).toEqual(['Trạng thái', 'Đã tiếp nhận', 'ACCEPTED']);
      expect(rowOf('Kinh phí cho trung tâm học tập cộng đồng còn hạn chế')).toBeDefined();
    }
    // a commune officer of another commune may not read it, and nothing is sent
    const foreign = await reportXlsx(draft.id, officerB);
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.bytes.toString()).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(
      (await gql(`query($id: ID!) { reportSubmission(id: $id) { id } }`, { id: draft.id }, { token: officerB })).errors?.[0]?.extensions
        ?.code,
    ).toBe('FORBIDDEN');

    // a request already past its due date, to three communes named one by one
    const lateRequest = (
      await ok(
        CREATE_REQUEST,
        {
          kind: 'ANNUAL_REPORT',
          year,
          requestingUnitId: province.id,
          dueDate: pastDue,
          reporterUnitIds: [communeA.id, communeB.id, communeC.id],
          sections: [{ code: 'RESULTS', title: 'Kết quả đạt được' }],
        },
        provinceOfficer,
      )
    ).request;
    const draftB = (
      await ok(SAVE, { requestId: lateRequest.id, reporterId: communeB.id, sections: [{ code: 'RESULTS', text: 'Hoàn thành' }] }, officerB)
    ).submission;
    expect(draftB.timeliness).toBe('MISSING');
    const lateB = (await ok(SUBMIT, { submissionId: draftB.id, expectedVersion: 1 }, officerB)).submission;
    expect(lateB).toMatchObject({ status: 'SUBMITTED', timeliness: 'LATE', timelinessName: 'Trễ hạn', late: true });
    const draftC = (
      await ok(
        SAVE,
        { requestId: lateRequest.id, reporterId: communeC.id, sections: [{ code: 'RESULTS', text: 'Đang tổng hợp' }] },
        officerC,
      )
    ).submission;

    // statistics per level
    const stats = async (id: string) => {
      const res = await gql(STATS, { id }, { token: officerB });
      expect(res.errors).toBeUndefined();
      return res.data!.reportRequest.statistics;
    };
    expect(await stats(request.id)).toEqual([
      {
        level: 'COMMUNE',
        levelName: 'Cấp xã',
        expected: 3,
        submitted: 1,
        accepted: 1,
        returned: 0,
        onTime: 1,
        late: 0,
        missing: 0,
        reportingRate: 33.33,
        onTimeRate: 33.33,
      },
    ]);
    expect(await stats(lateRequest.id)).toEqual([
      {
        level: 'COMMUNE',
        levelName: 'Cấp xã',
        expected: 3,
        submitted: 1,
        accepted: 0,
        returned: 0,
        onTime: 0,
        late: 1,
        missing: 2,
        reportingRate: 33.33,
        onTimeRate: 0,
      },
    ]);

    // the overdue sweep: operators only; twice, one event per missing reporter, none for the submitted one
    expect((await gql(SWEEP, {}, { token: provinceOfficer })).errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const first = await gql(SWEEP);
    expect(first.errors).toBeUndefined();
    const second = await gql(SWEEP);
    expect(second.errors).toBeUndefined();
    expect(second.data!.runReportOverdueSweep.overdueCount).toBe(0);
    const overdueRows = await sql<{ reporter_id: string }>(
      'reporting',
      'select reporter_id from report_reporter where request_id = $1 and overdue_at is not null order by reporter_id',
      [lateRequest.id],
    );
    expect(overdueRows.map((r) => r.reporter_id)).toEqual([communeA.id, communeC.id].sort());
    expect(
      await sql('reporting', 'select 1 from report_reporter where request_id = $1 and overdue_at is not null', [request.id]),
    ).toHaveLength(0);

    // the reporters list, paged
    const page1 = await gql(REPORTERS, { id: lateRequest.id, first: 2 }, { token: officerB });
    expect(page1.errors).toBeUndefined();
    const list1 = page1.data!.reportRequest.reporters;
    expect(list1.totalCount).toBe(3);
    expect(list1.pageInfo.hasNextPage).toBe(true);
    const page2 = await gql(REPORTERS, { id: lateRequest.id, first: 2, after: list1.pageInfo.endCursor }, { token: officerB });
    const nodes = [...list1.edges, ...page2.data!.reportRequest.reporters.edges].map((e: { node: any }) => e.node);
    const byId = new Map<string, any>(nodes.map((n: { reporterId: string }) => [n.reporterId, n]));
    expect(byId.get(communeA.id)).toMatchObject({
      status: 'NOT_STARTED',
      statusName: 'Chưa thực hiện',
      timeliness: 'MISSING',
      submission: null,
    });
    expect(byId.get(communeA.id).overdueAt).not.toBeNull();
    expect(byId.get(communeB.id)).toMatchObject({
      status: 'SUBMITTED',
      timeliness: 'LATE',
      overdueAt: null,
      submission: { id: draftB.id },
    });
    expect(byId.get(communeC.id)).toMatchObject({
      status: 'DRAFT',
      timeliness: 'MISSING',
      timelinessName: 'Không gửi báo cáo',
      levelName: 'Cấp xã',
      unit: { id: communeC.id, name: 'Xã Chi Lăng' },
    });
    const notStarted = await gql(REPORTERS, { id: lateRequest.id, status: 'NOT_STARTED' }, { token: officerB });
    expect(notStarted.data!.reportRequest.reporters.edges.map((e: { node: { reporterId: string } }) => e.node.reporterId)).toEqual([
      communeA.id,
    ]);

    // the unit's reports of the year
    const unitReports = await gql(
      `query U($id: ID!, $year: Int!) { adminUnit(id: $id) { name reportSubmissions(year: $year) { id status request { id } } } }`,
      { id: communeB.id, year },
      { token: officerB },
    );
    expect(unitReports.errors).toBeUndefined();
    expect(unitReports.data!.adminUnit.reportSubmissions).toEqual([
      { id: draftB.id, status: 'SUBMITTED', request: { id: lateRequest.id } },
    ]);
    // another commune's officer does not read them
    const foreignReports = await gql(
      `query U($id: ID!, $year: Int!) { adminUnit(id: $id) { reportSubmissions(year: $year) { id } } }`,
      { id: communeB.id, year },
      { token: officerA },
    );
    expect(foreignReports.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // bad input writes nothing
    before = await snapshot();
    const badDate = await gql(
      CREATE_REQUEST,
      { input: { kind: 'YEARLY_PLAN', year, requestingUnitId: province.id, dueDate: `${year}-02-30`, reporterUnitKind: 'COMMUNE' } },
      { token: provinceOfficer },
    );
    expect(badDate.data ?? null).toBeNull();
    expect(badDate.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    const outside = await refused(
      CREATE_REQUEST,
      { kind: 'YEARLY_PLAN', year, requestingUnitId: communeA.id, dueDate: `${year}-03-01`, reporterUnitIds: [communeB.id] },
      provinceOfficer,
    );
    expect(outside.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'reporterUnitIds', '0'] });
    expect(await snapshot()).toEqual(before);

    // events on the reporting topic
    const ids = new Set([request.id, lateRequest.id]);
    const ours = () => events.messages.map(parsed).filter((e) => ids.has(e.data.requestId));
    const got = await eventually(
      async () => {
        const all = ours();
        return all.filter((e) => e.type === SUBMITTED).length >= 3 &&
          all.filter((e) => e.type === OVERDUE).length >= 2 &&
          all.some((e) => e.type === ACCEPTED)
          ? all
          : undefined;
      },
      30000,
      'report events',
    );
    // give a duplicate overdue event the chance to show up before counting
    await new Promise((r) => setTimeout(r, 1500));
    const all = ours();
    expect(all.every((e) => ids.has(e.subject))).toBe(true);
    expect(got.filter((e) => e.type === SUBMITTED).map((e) => [e.data.reporterId, e.data.timeliness, e.data.resubmission])).toEqual([
      [communeA.id, 'ON_TIME', false],
      [communeA.id, 'ON_TIME', true],
      [communeB.id, 'LATE', false],
    ]);
    expect(all.filter((e) => e.type === RETURNED).map((e) => [e.data.reporterId, e.data.reason])).toEqual([
      [communeA.id, 'Bổ sung số liệu Dòng họ học tập'],
    ]);
    expect(all.filter((e) => e.type === ACCEPTED).map((e) => [e.data.reporterId, e.data.timeliness])).toEqual([[communeA.id, 'ON_TIME']]);
    const overdue = all.filter((e) => e.type === OVERDUE);
    expect(overdue.map((e) => [e.data.requestId, e.data.reporterId, e.data.status, e.data.submissionId, e.data.timeliness]).sort()).toEqual(
      [
        [lateRequest.id, communeA.id, 'NOT_STARTED', null, 'MISSING'],
        [lateRequest.id, communeC.id, 'DRAFT', draftC.id, 'MISSING'],
      ].sort(),
    );
    expect(overdue[0]!.data).toMatchObject({ kind: 'ANNUAL_REPORT', year, level: 'COMMUNE', dueDate: pastDue });
  });
  it('agencies report to the Department of Education and Training; the Association asks its branches for their plans', async () => {
    const today = todayInVietnam();
    const year = Number(today.slice(0, 4));
    const { province } = await createProvince('Việt Nam (báo cáo cơ quan)', 'Tỉnh Tây Ninh');
    const commune = await createUnit({
      code: uniqueCode(),
      name: 'Xã Hòa Thành',
      kind: 'COMMUNE',
      parentId: province.id,
      validFrom: '2025-07-01',
    });
    const org = async (unitId: string, name: string, type: string) => {
      const res = await gql(
        `mutation($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { organization { id } } }`,
        {
          input: { unitId, code: uniqueCode(), name, type },
        },
      );
      expect(res.errors).toBeUndefined();
      return res.data!.registerOrganization.organization.id as string;
    };
    const education = await org(province.id, 'Sở Giáo dục và Đào tạo', 'STATE_AGENCY');
    const finance = await org(province.id, 'Sở Tài chính', 'STATE_AGENCY');
    const provinceAssociation = await org(province.id, 'Hội Khuyến học tỉnh Tây Ninh', 'STUDY_PROMOTION_ASSOCIATION');
    const communeAssociation = await org(commune.id, 'Hội Khuyến học xã Hòa Thành', 'STUDY_PROMOTION_ASSOCIATION');
    const orgs = [education, finance, provinceAssociation, communeAssociation];
    await eventually(
      async () => {
        const [r] = await sql<{ n: number }>('reporting', 'select count(*)::int as n from participant_replica where id = any($1::uuid[])', [
          orgs,
        ]);
        return r!.n === orgs.length ? true : undefined;
      },
      60000,
      'organizations in reporting',
    );

    const educationOfficer = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: province.id }]);
    const financeOfficer = await tokenFor([{ role: 'ORGANIZATION_OFFICER', organizationId: finance }], 'so-tai-chinh');
    const communeOfficer = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: commune.id }]);
    const provinceAssociationOfficer = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: province.id }]);
    const communeAssociationOfficer = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: commune.id }]);

    // the province's agencies report to the Department of Education and Training by 1 December
    const request = (
      await ok(
        CREATE_REQUEST,
        {
          kind: 'ANNUAL_REPORT',
          year,
          requestingUnitId: province.id,
          requestingOrganizationId: education,
          dueDate: dayOffset(today, 30),
          reporterOrganizationIds: [finance],
        },
        educationOfficer,
      )
    ).request;
    expect(request.reporterCount).toBe(1);
    const sections = [
      { code: 'RESULTS', text: '100% công chức đăng ký Công dân học tập' },
      { code: 'DIFFICULTIES', text: 'Không' },
      { code: 'PROPOSALS', text: 'Không' },
    ];
    // only the agency's own officer writes its report
    expect((await refused(SAVE, { requestId: request.id, reporterId: finance, sections }, communeOfficer)).extensions).toMatchObject({
      code: 'FORBIDDEN',
    });
    const draft = (await ok(SAVE, { requestId: request.id, reporterId: finance, sections }, financeOfficer)).submission;
    expect(draft).toMatchObject({ reporterKind: 'ORGANIZATION', reporterId: finance, level: 'ORGANIZATION', unit: { id: province.id } });
    // an agency's figures are its unit's
    expect(draft.figures).toEqual(
      await reportFigures(orm.em.fork() as unknown as Parameters<typeof reportFigures>[0], province.id, year, today),
    );
    const submitted = (await ok(SUBMIT, { submissionId: draft.id, expectedVersion: 1 }, financeOfficer)).submission;
    expect(submitted).toMatchObject({ status: 'SUBMITTED', timeliness: 'ON_TIME' });
    // the Association's officers do not review the Department's requests
    expect((await refused(ACCEPT, { submissionId: draft.id, expectedVersion: 2 }, provinceAssociationOfficer)).extensions).toMatchObject({
      code: 'FORBIDDEN',
    });
    await ok(ACCEPT, { submissionId: draft.id, expectedVersion: 2 }, educationOfficer);
    const detail = await gql(
      `query Q($id: ID!) { reportRequest(id: $id) { requestingOrganization { id name }
         reporters { edges { node { reporterKind organization { id name } status } } }
         statistics { level levelName expected submitted accepted onTime reportingRate onTimeRate } } }`,
      { id: request.id },
      { token: financeOfficer },
    );
    expect(detail.errors).toBeUndefined();
    expect(detail.data!.reportRequest).toEqual({
      requestingOrganization: { id: education, name: 'Sở Giáo dục và Đào tạo' },
      reporters: {
        edges: [{ node: { reporterKind: 'ORGANIZATION', organization: { id: finance, name: 'Sở Tài chính' }, status: 'ACCEPTED' } }],
      },
      statistics: [
        {
          level: 'ORGANIZATION',
          levelName: 'Cơ quan, tổ chức',
          expected: 1,
          submitted: 1,
          accepted: 1,
          onTime: 1,
          reportingRate: 100,
          onTimeRate: 100,
        },
      ],
    });

    // the Association asks its commune branch for next year's plan by 1 March; its officers act throughout
    expect(
      (
        await refused(
          CREATE_REQUEST,
          {
            kind: 'YEARLY_PLAN',
            year: year + 1,
            requestingUnitId: province.id,
            requestingOrganizationId: education,
            dueDate: `${year + 1}-03-01`,
            reporterUnitKind: 'COMMUNE',
          },
          provinceAssociationOfficer,
        )
      ).extensions,
    ).toMatchObject({ code: 'FORBIDDEN' });
    const plan = (
      await ok(
        CREATE_REQUEST,
        {
          kind: 'YEARLY_PLAN',
          year: year + 1,
          requestingUnitId: province.id,
          requestingOrganizationId: provinceAssociation,
          dueDate: `${year + 1}-03-01`,
          reporterOrganizationIds: [communeAssociation],
        },
        provinceAssociationOfficer,
      )
    ).request;
    expect(plan).toMatchObject({
      kind: 'YEARLY_PLAN',
      kindName: 'Kế hoạch năm',
      title: `Kế hoạch xây dựng xã hội học tập năm ${year + 1}`,
    });
    const branchDraft = (await ok(SAVE, { requestId: plan.id, reporterId: communeAssociation, sections }, communeAssociationOfficer))
      .submission;
    await ok(SUBMIT, { submissionId: branchDraft.id, expectedVersion: 1 }, communeAssociationOfficer);
    const accepted = (await ok(ACCEPT, { submissionId: branchDraft.id, expectedVersion: 2 }, provinceAssociationOfficer)).submission;
    expect(accepted).toMatchObject({ status: 'ACCEPTED', timeliness: 'ON_TIME' });

    // the province's requests, latest due date first, by year
    const LIST = `query L($unitId: ID, $year: Int, $first: Int) {
      reportRequests(unitId: $unitId, year: $year, first: $first) { totalCount pageInfo { hasNextPage } edges { node { id kind } } }
    }`;
    const all = await gql(LIST, { unitId: province.id }, { token: communeOfficer });
    expect(all.errors).toBeUndefined();
    expect(all.data!.reportRequests).toEqual({
      totalCount: 2,
      pageInfo: { hasNextPage: false },
      edges: [{ node: { id: plan.id, kind: 'YEARLY_PLAN' } }, { node: { id: request.id, kind: 'ANNUAL_REPORT' } }],
    });
    const firstOnly = await gql(LIST, { unitId: province.id, first: 1 }, { token: communeOfficer });
    expect(firstOnly.data!.reportRequests).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const ofYear = await gql(LIST, { unitId: province.id, year }, { token: communeOfficer });
    expect(ofYear.data!.reportRequests.edges).toEqual([{ node: { id: request.id, kind: 'ANNUAL_REPORT' } }]);
  });
});
