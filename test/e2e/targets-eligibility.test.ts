import type { KafkaMessage } from 'kafkajs';
import { todayInVietnam } from '@xhht/infra';
import { recogniseHouseholds, replicated } from '../support/recognition';
import { collectTopic, createProvince, createUnit, eventually, gql, sql, tokenFor, uniqueCode } from '../support/stack';
import { learningFamilyIndicator } from '../support/targets';

/**
 * "Met its targets for the year" through the gateway: a province sets its communes a 70 % Learning
 * Family target for 2025 and asks them for the 2025 annual report; one commune reaches 75 %, the
 * other 25 %. Accepting each report publishes the commune's year judged against its targets; awards
 * keeps it, and a 2026 round's TARGETS_MET rule finds the first commune eligible and refuses the
 * second's nomination as NOT_ELIGIBLE, naming the target and what was achieved.
 */

const TOPIC = 'xhht.reporting.events';
const JUDGED = 'vn.xhht.reporting.targets.judged.v1';

const REGISTER_HOUSEHOLD = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id } } }`;
const CREATE_PLAN = `mutation C($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }`;
const SET_TARGET = `mutation S($input: SetTargetInput!) { setTarget(input: $input) { target { id } } }`;
const CREATE_REQUEST = `mutation C($input: CreateReportRequestInput!) { createReportRequest(input: $input) { request { id } } }`;
const SAVE = `mutation S($input: SaveReportDraftInput!) { saveReportDraft(input: $input) { submission { id version } } }`;
const SUBMIT = `mutation S($input: ReportStepInput!) { submitReport(input: $input) { submission { id version } } }`;
const ACCEPT = `mutation A($input: ReportStepInput!) { acceptReport(input: $input) { submission { id version status } } }`;
const CREATE_ROUND = `mutation C($input: CreateAwardRoundInput!) {
  createAwardRound(input: $input) { round { id forms { formCode rules { kind year description } } } }
}`;
const OPEN_ROUND = `mutation O($id: ID!) { openAwardRound(id: $id) { round { id status } } }`;
const ELIGIBILITY = `query E($roundId: ID!, $formCode: String!, $id: ID!) {
  awardEligibility(roundId: $roundId, formCode: $formCode, nomineeKind: ADMIN_UNIT, nomineeId: $id) {
    eligible checks { passed explanation rule { kind year } }
  }
}`;
const CREATE_NOMINATION = `mutation C($input: CreateNominationInput!) { createNomination(input: $input) { nomination { id version } } }`;
const SUBMIT_NOMINATION = `mutation S($input: NominationStepInput!) {
  submitNomination(input: $input) { nomination { id status eligibility { eligible checks { passed explanation rule { kind } } } } }
}`;

const ok = async (query: string, variables: Record<string, unknown>, token?: string) => {
  const res = await gql(query, variables, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return Object.values(res.data!)[0] as Record<string, any>;
};
const dayOffset = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

let events: { messages: KafkaMessage[]; stop: () => Promise<void> };
beforeAll(async () => {
  events = await collectTopic(TOPIC);
});
afterAll(async () => {
  await events?.stop();
});

describe('targets met, from an accepted annual report to award eligibility', () => {
  it('a commune that met its 2025 targets is eligible; one that missed is NOT_ELIGIBLE, with target and achieved', async () => {
    const { province } = await createProvince('Việt Nam (chỉ tiêu)', 'Tỉnh Lạng Sơn');
    const commune = (name: string) =>
      createUnit({ code: uniqueCode(), name, kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
    const reached = await commune('Xã Hoàng Văn Thụ');
    const missed = await commune('Xã Tân Thành');
    const households = async (unitId: string) => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++)
        ids.push((await ok(REGISTER_HOUSEHOLD, { input: { unitId, code: uniqueCode(), headName: 'Hoàng Văn Nam' } })).household.id);
      return ids;
    };
    const [inReached, inMissed] = [await households(reached.id), await households(missed.id)];
    await replicated('participant_replica', [...inReached, ...inMissed]);

    // Learning Families 2025, decided in January 2026: three of four in one commune, one of four in the other
    const at = (unitId: string, ids: string[]) => ids.map((id) => ({ id, unitId }));
    await recogniseHouseholds({
      year: 2025,
      decidingUnitId: reached.id,
      date: '2026-01-10',
      number: '05/QĐ-UBND',
      households: at(reached.id, inReached.slice(0, 3)),
    });
    await recogniseHouseholds({
      year: 2025,
      decidingUnitId: missed.id,
      date: '2026-01-12',
      number: '07/QĐ-UBND',
      households: at(missed.id, inMissed.slice(0, 1)),
    });
    await eventually(
      async () => {
        const [r] = await sql<{ n: number }>(
          'reporting',
          `select count(*)::int as n from recognition_fact where subject_id = any($1::uuid[])`,
          [[...inReached, ...inMissed]],
        );
        return r!.n === 4 ? true : undefined;
      },
      60000,
      "the recognitions in reporting's read model",
    );

    // the province's plan: 70 % Learning Families in 2025
    const education = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: province.id }], 'giaoduc-langson-chitieu');
    const plan = await ok(CREATE_PLAN, { input: { number: '110/KH-UBND', issuedOn: '2023-03-15', issuingUnitId: province.id } }, education);
    await ok(
      SET_TARGET,
      { input: { planId: plan.plan.id, indicator: 'LEARNING_FAMILY_RATE', unitId: province.id, year: 2025, percentage: 70 } },
      education,
    );

    // the 2025 annual report from every commune, written, submitted and accepted
    const today = todayInVietnam();
    const request = (
      await ok(
        CREATE_REQUEST,
        {
          input: {
            kind: 'ANNUAL_REPORT',
            year: 2025,
            requestingUnitId: province.id,
            dueDate: dayOffset(today, 30),
            reporterUnitKind: 'COMMUNE',
          },
        },
        education,
      )
    ).request;
    const sections = [
      { code: 'RESULTS', text: 'Kết quả xây dựng Gia đình học tập năm 2025' },
      { code: 'DIFFICULTIES', text: 'Kinh phí còn hạn chế' },
      { code: 'PROPOSALS', text: 'Đề nghị tỉnh hỗ trợ tài liệu' },
    ];
    const submissions: Record<string, string> = {};
    for (const c of [reached, missed]) {
      const officer = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: c.id }]);
      const draft = (await ok(SAVE, { input: { requestId: request.id, reporterId: c.id, sections } }, officer)).submission;
      const sent = (await ok(SUBMIT, { input: { submissionId: draft.id, expectedVersion: draft.version } }, officer)).submission;
      const accepted = (await ok(ACCEPT, { input: { submissionId: sent.id, expectedVersion: sent.version } }, education)).submission;
      expect(accepted.status).toBe('ACCEPTED');
      submissions[c.id] = sent.id;
    }

    // each acceptance published the commune's year against its targets, keyed by the commune
    const judged = await eventually(
      async () => {
        const found = events.messages
          .map((m) => ({ key: m.key?.toString(), event: JSON.parse(m.value!.toString()) }))
          .filter((m) => m.event.type === JUDGED && [reached.id, missed.id].includes(m.key!));
        return found.length === 2 ? new Map(found.map((m) => [m.key!, m.event.data])) : undefined;
      },
      60000,
      'targets.judged for both communes',
    );
    expect(judged.get(reached.id)).toMatchObject({
      unitId: reached.id,
      year: 2025,
      outcome: 'MET',
      met: true,
      indicators: [learningFamilyIndicator(3)],
      version: 1,
      trigger: { kind: 'ANNUAL_REPORT_ACCEPTED', requestId: request.id, submissionId: submissions[reached.id] },
    });
    expect(judged.get(missed.id)).toMatchObject({ outcome: 'NOT_MET', met: false, indicators: [learningFamilyIndicator(1)] });
    const asOf = judged.get(reached.id).asOf as string;
    const viAsOf = `${asOf.slice(8, 10)}/${asOf.slice(5, 7)}/${asOf.slice(0, 4)}`;

    // awards' replica has both
    await replicated('admin_unit_version_replica', [province.id, reached.id, missed.id], 'awards');
    await eventually(
      async () => {
        const [r] = await sql<{ n: number }>(
          'awards',
          'select count(*)::int as n from award_targets_result where unit_id = any($1::uuid[]) and year = 2025',
          [[reached.id, missed.id]],
        );
        return r!.n === 2 ? true : undefined;
      },
      60000,
      "the judgements in awards' replica",
    );

    // a 2026 round for communes that met their targets (the year defaults to 2025)
    const emulation = await tokenFor([{ role: 'EMULATION_OFFICER', unitId: province.id }], 'thidua-langson-chitieu');
    const roundInput = (rules: Record<string, unknown>[], formCode = 'BANG_KHEN_CHU_TICH_TINH') => ({
      scopeUnitId: province.id,
      kind: 'ANNUAL',
      year: 2026,
      name: 'Khen thưởng xã hoàn thành chỉ tiêu xây dựng xã hội học tập năm 2025',
      nominationDeadline: '2026-12-20',
      decisionDeadline: '2026-12-28',
      forms: [{ formCode, quota: { count: 5 }, rules }],
    });
    // refused, writing nothing: for a form that admits no administrative unit, or a year after the round's
    const rounds = async () =>
      (await sql<{ n: number }>('awards', 'select count(*)::int as n from award_round where scope_unit_id = $1', [province.id]))[0]!.n;
    for (const [input, messageKey, field] of [
      [
        roundInput([{ kind: 'TARGETS_MET' }], 'LAO_DONG_TIEN_TIEN'),
        'TARGETS_MET_NOT_FOR_FORM',
        ['input', 'forms', '0', 'rules', '0', 'kind'],
      ],
      [
        roundInput([{ kind: 'SUBJECT_KIND', kinds: ['HOUSEHOLD'] }, { kind: 'TARGETS_MET' }]),
        'TARGETS_MET_NOT_FOR_FORM',
        ['input', 'forms', '0', 'rules', '1', 'kind'],
      ],
      [roundInput([{ kind: 'TARGETS_MET', year: 2027 }]), 'RULE_YEAR_AFTER_ROUND', ['input', 'forms', '0', 'rules', '0', 'year']],
    ] as const) {
      const res = await gql(CREATE_ROUND, { input }, { token: emulation });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageKey, field });
    }
    expect(await rounds()).toBe(0);

    const round = (
      await ok(CREATE_ROUND, { input: roundInput([{ kind: 'SUBJECT_KIND', kinds: ['ADMIN_UNIT'] }, { kind: 'TARGETS_MET' }]) }, emulation)
    ).round;
    expect(round.forms[0].rules[1]).toEqual({
      kind: 'TARGETS_MET',
      year: 2025,
      description: 'Đơn vị hoàn thành tất cả chỉ tiêu được giao năm 2025 (theo báo cáo kết quả năm đã được tiếp nhận)',
    });
    await ok(OPEN_ROUND, { id: round.id }, emulation);

    const eligibility = async (id: string) => ok(ELIGIBILITY, { roundId: round.id, formCode: 'BANG_KHEN_CHU_TICH_TINH', id }, emulation);
    const metExplanation =
      `Hoàn thành tất cả 1 chỉ tiêu năm 2025 (tính đến ngày ${viAsOf}): ` +
      'Tỷ lệ hộ gia đình đạt danh hiệu Gia đình học tập đạt 75% (3/4), chỉ tiêu 70%';
    const missedExplanation =
      `Chưa hoàn thành 1/1 chỉ tiêu năm 2025 (tính đến ngày ${viAsOf}): ` +
      'Tỷ lệ hộ gia đình đạt danh hiệu Gia đình học tập đạt 25% (1/4), chỉ tiêu 70%';
    expect(await eligibility(reached.id)).toEqual({
      eligible: true,
      checks: [
        { passed: true, explanation: expect.stringContaining('thôn, xã, tỉnh'), rule: { kind: 'SUBJECT_KIND', year: null } },
        { passed: true, explanation: metExplanation, rule: { kind: 'TARGETS_MET', year: 2025 } },
      ],
    });
    expect((await eligibility(missed.id)).checks[1]).toEqual({
      passed: false,
      explanation: missedExplanation,
      rule: { kind: 'TARGETS_MET', year: 2025 },
    });

    // nominated by the province: the commune that met its targets goes up, the other is refused and stays a draft
    const nominate = async (nomineeId: string) => {
      const draft = (
        await ok(
          CREATE_NOMINATION,
          {
            input: {
              roundId: round.id,
              formCode: 'BANG_KHEN_CHU_TICH_TINH',
              nomineeKind: 'ADMIN_UNIT',
              nomineeId,
              proposingUnitId: province.id,
              summary: 'Xã hoàn thành chỉ tiêu xây dựng Gia đình học tập năm 2025',
              achievement: { free: { kind: 'Hoàn thành chỉ tiêu xây dựng xã hội học tập', year: 2025, text: 'Gia đình học tập' } },
              evidence: [{ title: 'Báo cáo kết quả năm 2025', url: 'https://example.vn/bao-cao-2025.pdf' }],
            },
          },
          emulation,
        )
      ).nomination;
      return {
        draft,
        sent: await gql(SUBMIT_NOMINATION, { input: { id: draft.id, expectedVersion: draft.version } }, { token: emulation }),
      };
    };
    const good = await nominate(reached.id);
    expect(good.sent.errors).toBeUndefined();
    expect(good.sent.data!.submitNomination.nomination).toMatchObject({
      status: 'SUBMITTED',
      eligibility: {
        eligible: true,
        checks: [{ passed: true }, { passed: true, explanation: metExplanation, rule: { kind: 'TARGETS_MET' } }],
      },
    });
    const bad = await nominate(missed.id);
    expect(bad.sent.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      messageKey: 'NOT_ELIGIBLE',
      details: { explanations: [missedExplanation] },
    });
    expect(bad.sent.errors?.[0]?.message).toContain('đạt 25% (1/4), chỉ tiêu 70%');
    const [row] = await sql<{ status: string; version: number }>('awards', 'select status, version from nomination where id = $1', [
      bad.draft.id,
    ]);
    expect(row).toEqual({ status: 'DRAFT', version: bad.draft.version });
  });
});
