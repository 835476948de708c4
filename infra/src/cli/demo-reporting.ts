import type { Logger } from '../logger';
import type { StackState } from '../stack/stack';
import type { DemoAccount } from './demo-accounts';
import { readDemoUnits } from './demo-data';
import { gatewayClient, signIn, type Gql } from './demo-graphql';

/**
 * The reporting demo of `npm start`, through the gateway as the demo accounts would do it:
 * - Lạng Sơn's plan 110/KH-UBND (2023–2030) with the province's targets for 2025 and 2030
 *   (domain.md §3: 70/65/65/80/40/60 % and 80/75/75/90/60/80 %), set by the province's education officer;
 * - the province's request for the communes' 2026 annual report, due 10 December 2026;
 * - Phường Đông Kinh's draft of it, its figures pre-filled from the ward's progress.
 * Every step looks first, so a later start writes nothing.
 */

export interface ReportingDemo {
  planNumber: string;
  requestTitle: string;
  dueDate: string;
}

const PLAN = { number: '110/KH-UBND', issuedOn: '2023-03-15', title: 'Xây dựng xã hội học tập tỉnh Lạng Sơn giai đoạn 2023–2030' };
const TARGETS: [indicator: string, y2025: number, y2030: number][] = [
  ['LEARNING_FAMILY_RATE', 70, 80],
  ['LEARNING_CLAN_RATE', 65, 75],
  ['LEARNING_COMMUNITY_RATE', 65, 75],
  ['LEARNING_UNIT_RATE', 80, 90],
  ['LEARNING_CITIZEN_RATE_WORKERS', 40, 60],
  ['LEARNING_CITIZEN_RATE_STAFF', 60, 80],
];
const REQUEST = { kind: 'ANNUAL_REPORT', year: 2026, dueDate: '2026-12-10' };

export async function seedReportingDemo(state: StackState, accounts: DemoAccount[], logger: Logger): Promise<ReportingDemo> {
  const units = readDemoUnits(state.profile);
  const provinceId = units['ls'];
  const communeId = units['ls-dongkinh'];
  if (!provinceId || !communeId) throw new Error('Lạng Sơn or Phường Đông Kinh is not in demo-units.json');
  const as = async (username: string): Promise<Gql> => {
    const account = accounts.find((a) => a.username === username);
    if (!account) throw new Error(`demo account ${username} is missing`);
    return gatewayClient(state.gatewayUrl, await signIn(state.gatewayUrl, account.username, account.password));
  };
  const education = await as('giaoduc.langson');
  const commune = await as('canbo.dongkinh');

  const plans = await education(`query($unitId: ID) { plans(unitId: $unitId) { edges { node { id number } } } }`, { unitId: provinceId });
  let planId = (plans.plans.edges as { node: { id: string; number: string } }[]).find((e) => e.node.number === PLAN.number)?.node.id;
  if (!planId) {
    const created = await education(`mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }`, {
      input: { ...PLAN, issuingUnitId: provinceId },
    });
    planId = created.createPlan.plan.id as string;
    for (const [indicator, y2025, y2030] of TARGETS) {
      for (const [year, percentage] of [
        [2025, y2025],
        [2030, y2030],
      ] as const) {
        await education(`mutation($input: SetTargetInput!) { setTarget(input: $input) { target { id } } }`, {
          input: { planId, indicator, unitId: provinceId, year, percentage },
        });
      }
    }
    logger.info({ plan: PLAN.number }, 'reporting demo: the province plan and its targets');
  }

  const requests = await education(
    `query($unitId: ID, $year: Int) { reportRequests(unitId: $unitId, year: $year) { edges { node { id kind title } } } }`,
    {
      unitId: provinceId,
      year: REQUEST.year,
    },
  );
  let request = (requests.reportRequests.edges as { node: { id: string; kind: string; title: string } }[]).find(
    (e) => e.node.kind === REQUEST.kind,
  )?.node;
  if (!request) {
    const created = await education(
      `mutation($input: CreateReportRequestInput!) { createReportRequest(input: $input) { request { id kind title } } }`,
      { input: { ...REQUEST, requestingUnitId: provinceId, reporterUnitKind: 'COMMUNE' } },
    );
    request = created.createReportRequest.request as { id: string; kind: string; title: string };
    await commune(`mutation($input: SaveReportDraftInput!) { saveReportDraft(input: $input) { submission { id } } }`, {
      input: {
        requestId: request.id,
        reporterId: communeId,
        sections: [
          {
            code: 'RESULTS',
            text: 'Tám hộ được công nhận Gia đình học tập năm 2025 (Quyết định 15/QĐ-UBND); trường tiểu học đăng ký Đơn vị học tập.',
          },
          { code: 'DIFFICULTIES', text: 'Một số hộ chưa nộp đủ minh chứng; kinh phí cho trung tâm học tập cộng đồng còn hạn chế.' },
        ],
      },
    });
    logger.info({ request: request.title }, 'reporting demo: the 2026 annual report requested, Đông Kinh drafting');
  }
  return { planNumber: PLAN.number, requestTitle: request.title, dueDate: REQUEST.dueDate };
}
