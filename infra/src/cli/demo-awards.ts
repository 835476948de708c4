import { todayInVietnam } from '../graphql/scalars';
import type { Logger } from '../logger';
import type { StackState } from '../stack/stack';
import type { DemoAccount } from './demo-accounts';
import { readDemoUnits } from './demo-data';
import { GatewayError, gatewayClient, signIn, whenReplicated, type Gql } from './demo-graphql';

/**
 * The awards demo of `npm start`, through the gateway as the demo accounts would do it, on top of
 * the recognition demo (Learning Family 2025 in Phường Đông Kinh):
 * - Lạng Sơn's ANNUAL 2026 round for the province chair's Bằng khen (quota 5, Learning Family 2025
 *   held), opened by the province's emulation officer (thidua.langson);
 * - three households of the ward proposed by the commune officer, submitted, received and under review;
 * - the province's council (three members with accounts; quorum 2/3, passes with > 50 % of those
 *   present, secret ballot) in one closed session that passes two of them and the ward's initiative;
 *   the third stays under review for a later session;
 * - decision 1520/QĐ-UBND of the province for the two approved households, whose certificates print;
 * - the ward's initiative recognised as an exemplary story; the ward's study-promotion fund with a
 *   donation and a "Học không bao giờ ngừng" scholarship.
 *
 * Every step looks first (the round by name, nominations by nominee, the council's members by
 * subject, its session by place, the decision by number, the initiative by title, the fund's
 * movements by receipt and decision reference), so a later start writes nothing.
 */

const YEAR = 2026;
const FORM = 'BANG_KHEN_CHU_TICH_TINH';
const ROUND_NAME = 'Khen thưởng Tuần lễ hưởng ứng học tập suốt đời năm 2026';
/** Nominees by household code, and what the council does with them */
const NOMINEES: { code: string; printedName: string; votes?: [string, string, string] }[] = [
  { code: 'DK-HGD-001', printedName: 'Gia đình ông Hoàng Văn Thắng', votes: ['APPROVE', 'APPROVE', 'APPROVE'] },
  { code: 'DK-HGD-004', printedName: 'Gia đình bà Lương Thị Mai', votes: ['APPROVE', 'APPROVE', 'ABSTAIN'] },
  // left for the council's next session: a unit with a council cannot approve it by hand
  { code: 'DK-HGD-007', printedName: 'Gia đình bà Lục Thị Hằng' },
];
const COUNCIL = {
  name: 'Hội đồng Thi đua – Khen thưởng tỉnh Lạng Sơn',
  quorum: { numerator: 2, denominator: 3 },
  passThreshold: { base: 'PRESENT', comparator: 'GT', percent: 50 },
  secretBallot: true,
};
const MEMBERS = [
  { username: 'hoidong1.langson', displayName: 'Lý Văn Hòa', chair: true },
  { username: 'hoidong2.langson', displayName: 'Nông Thị Thanh', chair: false },
  { username: 'hoidong3.langson', displayName: 'Triệu Văn Lâm', chair: false },
];
const SESSION_PLACE = 'Phòng họp số 1, UBND tỉnh Lạng Sơn';
const DECISION = { number: '1520/QĐ-UBND', signerName: 'Hoàng Quốc Khánh' };
const INITIATIVE = {
  kind: 'GOOD_MODEL',
  title: 'Tủ sách gia đình – góc học tập của tổ dân phố',
  description:
    'Mỗi tổ dân phố có một tủ sách dùng chung đặt tại nhà văn hóa; các hộ góp sách, học sinh mượn sách và học nhóm buổi tối, cán bộ hưu trí kèm cặp các em.',
  field: 'READING_CULTURE',
  appliedSince: '2024-09-05',
  effectScope: 'COMMUNE',
  effectDescription: 'Ba tổ dân phố của phường áp dụng; hơn 600 lượt mượn sách mỗi năm.',
  evidence: [{ title: 'Báo cáo kết quả mô hình năm 2025', url: 'https://dongkinh.example.vn/mo-hinh/tu-sach-gia-dinh-2025.pdf' }],
};
const FUND_NAME = 'Quỹ khuyến học Phường Đông Kinh';
const DONATION = { donorName: 'Công ty TNHH Thương mại Kỳ Lừa (demo)', amount: 20_000_000, receiptNumber: 'PT-2026-001' };
const SCHOLARSHIP = { amount: 2_000_000, decisionReference: '25/QĐ-HKH', programmeCode: 'HOC_KHONG_BAO_GIO_NGUNG' };
/** The person the scholarship goes to (a pupil of the demo's households) and the initiative's author */
const SCHOLAR = 'DK-CD-002';
const AUTHOR = 'DK-CD-004';

export interface AwardsDemo {
  roundName: string;
  nominations: number;
  /** Nominations by status, as they are now */
  byStatus: Record<string, number>;
  decisionNumber: string;
  decisionId: string | null;
  /** One award of the decision, for the banner's certificate line */
  award: { id: string; awardeeName: string | null } | null;
  initiativeTitle: string;
  fundBalance: number;
}

const nodes = (conn: { edges: { node: any }[] }) => conn.edges.map((e) => e.node);

/** What awards answers while it has not yet received the units, participants and recognitions just created: its replicas follow events. */
const LAG_CODES = [
  'NOMINEE_NOT_FOUND',
  'RECOGNITION_NOT_OF_NOMINEE',
  'NOT_ELIGIBLE',
  'AUTHOR_NOT_FOUND',
  'PERSON_NOT_FOUND',
  'UNIT_NOT_FOUND',
  'OUTSIDE_SCOPE',
];

type Nomination = { id: string; status: string; version: number; nomineeId: string };
const N = 'id status version nomineeId';

/** Loads the awards demo (see the comment at the top); returns what the banner says of it. */
export async function seedAwardsDemo(state: StackState, accounts: DemoAccount[], logger: Logger): Promise<AwardsDemo> {
  const units = readDemoUnits(state.profile);
  const provinceId = units['ls'];
  const communeId = units['ls-dongkinh'];
  if (!provinceId || !communeId) throw new Error('Lạng Sơn or Phường Đông Kinh is not in demo-units.json');
  const account = (username: string) => {
    const found = accounts.find((a) => a.username === username);
    if (!found) throw new Error(`demo account ${username} is missing`);
    return found;
  };
  const as = async (username: string): Promise<Gql> =>
    gatewayClient(state.gatewayUrl, await signIn(state.gatewayUrl, username, account(username).password));
  const emulation = await as('thidua.langson');
  const commune = await as('canbo.dongkinh');
  const association = await as('khuyenhoc.dongkinh');
  // the council, the session and the decision are dated the first start's day, kept inside the round's year
  const today = todayInVietnam();
  const inYear = (d: string) => {
    const notBefore = d > today ? d : today;
    return notBefore > `${YEAR}-12-31` ? `${YEAR}-12-31` : notBefore;
  };
  const day = inYear(today);

  // the ward's households and persons, by code (the recognition demo registered them)
  const { households, persons, recognitions } = await commune(
    `query($unitId: ID!) {
      households(unitId: $unitId, first: 100) { edges { node { id code } } }
      persons(unitId: $unitId, first: 100) { edges { node { id code } } }
      recognitions: adminUnit(id: $unitId) { recognitions(year: 2025) { edges { node { id household { id } } } } }
    }`,
    { unitId: communeId },
  );
  const household = new Map<string, string>(nodes(households).map((h) => [h.code, h.id]));
  const person = new Map<string, string>(nodes(persons).map((p) => [p.code, p.id]));
  const recognitionOf = new Map<string, string>(
    nodes(recognitions.recognitions).flatMap((r) => (r.household ? [[r.household.id, r.id] as [string, string]] : [])),
  );
  for (const n of NOMINEES) {
    if (!recognitionOf.has(household.get(n.code) ?? '')) throw new Error(`household ${n.code} holds no Learning Family 2025`);
  }

  // the round
  const { awardRounds } = await emulation(`query($unitId: ID!) { awardRounds(scopeUnitId: $unitId, year: ${YEAR}) { id name status } }`, {
    unitId: provinceId,
  });
  let round = (awardRounds as { id: string; name: string; status: string }[]).find((r) => r.name === ROUND_NAME);
  if (!round) {
    const input = {
      scopeUnitId: provinceId,
      kind: 'ANNUAL',
      year: YEAR,
      name: ROUND_NAME,
      nominationDeadline: inYear(`${YEAR}-08-31`),
      decisionDeadline: inYear(`${YEAR}-09-25`),
      forms: [{ formCode: FORM, quota: { count: 5 }, rules: [{ kind: 'TITLE_HELD', title: 'LEARNING_FAMILY', year: 2025 }] }],
    };
    const created = await whenReplicated(LAG_CODES, () =>
      emulation(`mutation($input: CreateAwardRoundInput!) { createAwardRound(input: $input) { round { id name status } } }`, { input }),
    );
    round = created.createAwardRound.round as { id: string; name: string; status: string };
    logger.info({ round: ROUND_NAME }, 'awards demo: the province round');
  }
  if (round.status === 'DRAFT') {
    await emulation(`mutation($id: ID!) { openAwardRound(id: $id) { round { id } } }`, { id: round.id });
  }
  const roundNominations = async (): Promise<Nomination[]> =>
    (await emulation(`query($id: ID!) { awardRound(id: $id) { nominations { ${N} } } }`, { id: round!.id })).awardRound.nominations;

  // the initiative, submitted before the council's session
  const initiatives = await commune(`query($unitId: ID!) { adminUnit(id: $unitId) { initiatives { id title status version } } }`, {
    unitId: communeId,
  });
  let initiative = (initiatives.adminUnit.initiatives as { id: string; title: string; status: string; version: number }[]).find(
    (i) => i.title === INITIATIVE.title,
  );
  if (!initiative) {
    const input = { ...INITIATIVE, unitId: communeId, authorPersonIds: [person.get(AUTHOR)].filter(Boolean) };
    const registered = await whenReplicated(LAG_CODES, () =>
      commune(
        `mutation($input: RegisterInitiativeInput!) { registerInitiative(input: $input) { initiative { id title status version } } }`,
        {
          input,
        },
      ),
    );
    initiative = registered.registerInitiative.initiative as NonNullable<typeof initiative>;
  }
  if (initiative.status === 'DRAFT') {
    const submitted = await commune(
      `mutation($input: InitiativeStepInput!) { submitInitiative(input: $input) { initiative { id title status version } } }`,
      { input: { id: initiative.id, expectedVersion: initiative.version } },
    );
    initiative = submitted.submitInitiative.initiative as NonNullable<typeof initiative>;
    logger.info({ initiative: INITIATIVE.title }, 'awards demo: the ward initiative submitted');
  }

  // the nominations: proposed by the ward, taken up to review by the province
  const existing = new Map((await roundNominations()).map((n) => [n.nomineeId, n]));
  const step = async (gql: Gql, name: string, n: Nomination) =>
    (
      await gql(`mutation($input: NominationStepInput!) { ${name}(input: $input) { nomination { ${N} } } }`, {
        input: { id: n.id, expectedVersion: n.version },
      })
    )[name].nomination as Nomination;
  for (const spec of NOMINEES) {
    const nomineeId = household.get(spec.code)!;
    let n = existing.get(nomineeId);
    if (!n) {
      const input = {
        roundId: round.id,
        formCode: FORM,
        nomineeKind: 'HOUSEHOLD',
        nomineeId,
        proposingUnitId: communeId,
        summary: 'Gia đình học tập năm 2025 (Quyết định 15/QĐ-UBND của UBND phường); các thành viên tích cực học tập, con cháu học tốt.',
        achievement: { recognitionIds: [recognitionOf.get(nomineeId)] },
        evidence: [{ title: 'Tờ trình của UBND Phường Đông Kinh', url: 'https://dongkinh.example.vn/khen-thuong/2026/to-trinh.pdf' }],
      };
      const created = await whenReplicated(LAG_CODES, () =>
        commune(`mutation($input: CreateNominationInput!) { createNomination(input: $input) { nomination { ${N} } } }`, { input }),
      );
      n = created.createNomination.nomination as Nomination;
    }
    if (n.status === 'DRAFT') n = await whenReplicated(LAG_CODES, () => step(commune, 'submitNomination', n!));
    if (n.status === 'SUBMITTED') n = await step(emulation, 'receiveNomination', n);
    if (n.status === 'RECEIVED') n = await step(emulation, 'startNominationReview', n);
    existing.set(nomineeId, n);
  }

  // the province's council and its members (each votes with its account's subject)
  const councilQuery = `query($unitId: ID!) { adminUnit(id: $unitId) { council { id members(history: true) { id subject }
    sessions { id place status agenda { id status nominationId initiativeId } } } } }`;
  const readCouncil = async () => (await emulation(councilQuery, { unitId: provinceId })).adminUnit.council;
  let council = await readCouncil();
  if (!council) {
    await emulation(`mutation($input: CreateCouncilInput!) { createCouncil(input: $input) { council { id } } }`, {
      input: { ...COUNCIL, unitId: provinceId },
    });
    council = await readCouncil();
    logger.info({ council: COUNCIL.name }, 'awards demo: the province council');
  }
  for (const m of MEMBERS) {
    const subject = account(m.username).accountId;
    if (council.members.some((x: { subject: string }) => x.subject === subject)) continue;
    await emulation(`mutation($input: AddCouncilMemberInput!) { addCouncilMember(input: $input) { member { id } } }`, {
      input: { councilId: council.id, subject, displayName: m.displayName, chair: m.chair, from: `${YEAR}-01-01` },
    });
  }
  council = await readCouncil();

  // one session: the two households and the initiative put to the vote, and closed
  let session = council.sessions.find((s: { place: string }) => s.place === SESSION_PLACE);
  if (!session) {
    await emulation(`mutation($input: PlanCouncilSessionInput!) { planCouncilSession(input: $input) { session { id } } }`, {
      input: { councilId: council.id, date: day, place: SESSION_PLACE },
    });
    session = (await readCouncil()).sessions.find((s: { place: string }) => s.place === SESSION_PLACE);
  }
  const votesOf = new Map<string, readonly string[]>();
  for (const spec of NOMINEES.filter((x) => x.votes)) votesOf.set(existing.get(household.get(spec.code)!)!.id, spec.votes!);
  votesOf.set(initiative.id, ['APPROVE', 'APPROVE', 'APPROVE']);
  if (session.status === 'PLANNED') {
    const onAgenda = new Set(session.agenda.map((i: { nominationId?: string; initiativeId?: string }) => i.nominationId ?? i.initiativeId));
    for (const spec of NOMINEES.filter((x) => x.votes)) {
      const n = existing.get(household.get(spec.code)!)!;
      if (onAgenda.has(n.id) || n.status !== 'UNDER_REVIEW') continue;
      await emulation(`mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { item { id } } }`, {
        input: {
          sessionId: session.id,
          subjectKind: 'NOMINATION',
          subjectId: n.id,
          title: `Bằng khen của Chủ tịch UBND tỉnh: ${spec.printedName}`,
        },
      });
    }
    if (!onAgenda.has(initiative.id)) {
      await emulation(`mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { item { id } } }`, {
        input: { sessionId: session.id, subjectKind: 'INITIATIVE', subjectId: initiative.id, title: `Mô hình: ${INITIATIVE.title}` },
      });
    }
    await emulation(`mutation($input: OpenCouncilSessionInput!) { openCouncilSession(input: $input) { session { id } } }`, {
      input: { sessionId: session.id, presentMemberIds: council.members.map((m: { id: string }) => m.id) },
    });
    session = (await readCouncil()).sessions.find((s: { id: string }) => s.id === session.id);
  }
  if (session.status === 'OPEN') {
    for (const [k, m] of MEMBERS.entries()) {
      const member = await as(m.username);
      for (const item of session.agenda.filter((i: { status: string }) => i.status === 'OPEN')) {
        const choice = votesOf.get(item.nominationId ?? item.initiativeId)?.[k] ?? 'ABSTAIN';
        try {
          await member(`mutation($input: CastVoteInput!) { castVote(input: $input) { recorded } }`, { input: { itemId: item.id, choice } });
        } catch (err) {
          // a start stopped halfway through the vote: the member's vote is already in
          if (!(err instanceof GatewayError) || err.messageKey !== 'ALREADY_VOTED') throw err;
        }
      }
    }
    await emulation(`mutation($input: CloseCouncilSessionInput!) { closeCouncilSession(input: $input) { session { id } } }`, {
      input: { sessionId: session.id },
    });
    logger.info({ session: day }, 'awards demo: the council session closed');
  }
  const sessionRef = `Phiên họp ngày ${day.split('-').reverse().join('/')} của ${COUNCIL.name}`;

  // the initiative, recognised by the province on the council's advice
  if (initiative.status === 'SUBMITTED') {
    await emulation(`mutation($input: RecognizeInitiativeInput!) { recognizeInitiative(input: $input) { initiative { id } } }`, {
      input: {
        id: initiative.id,
        expectedVersion: initiative.version,
        councilSessionRef: sessionRef,
        recognisedEffectScope: 'COMMUNE',
        recognisingUnitId: provinceId,
      },
    });
    logger.info({ initiative: INITIATIVE.title }, 'awards demo: the initiative recognised');
  }

  // the decision for the approved households
  const decisionsQuery = `query($id: ID!) { awardRound(id: $id) { decisions { id number awards { id awardeeName } } } }`;
  const decisions = async () =>
    (
      (await emulation(decisionsQuery, { id: round!.id })).awardRound.decisions as {
        id: string;
        number: string;
        awards: { id: string; awardeeName: string | null }[];
      }[]
    ).find((d) => d.number === DECISION.number);
  let decision = await decisions();
  if (!decision) {
    const approved = new Map((await roundNominations()).filter((n) => n.status === 'APPROVED').map((n) => [n.nomineeId, n]));
    const awardees = NOMINEES.flatMap((spec) => {
      const n = approved.get(household.get(spec.code)!);
      return n ? [{ nominationId: n.id, name: spec.printedName }] : [];
    });
    if (awardees.length) {
      await emulation(`mutation($input: IssueAwardDecisionInput!) { issueAwardDecision(input: $input) { decision { id } } }`, {
        input: { roundId: round.id, formCode: FORM, decidedOn: day, issuingUnitId: provinceId, ...DECISION, awardees },
      });
      decision = await decisions();
      logger.info({ decision: DECISION.number }, 'awards demo: the province decision issued');
    }
  }

  // the ward's study-promotion fund: a donation in, a scholarship out
  const fundQuery = `query($unitId: ID!) { adminUnit(id: $unitId) { studyPromotionFund { id balance
    movements(first: 100) { edges { node { kind receiptNumber decisionReference } } } } } }`;
  let fund = (await association(fundQuery, { unitId: communeId })).adminUnit.studyPromotionFund;
  if (!fund) {
    await whenReplicated(LAG_CODES, () =>
      association(`mutation($input: OpenStudyPromotionFundInput!) { openStudyPromotionFund(input: $input) { fund { id } } }`, {
        input: { unitId: communeId, name: FUND_NAME, openedOn: `${YEAR}-01-01` },
      }),
    );
    fund = (await association(fundQuery, { unitId: communeId })).adminUnit.studyPromotionFund;
  }
  const movements = nodes(fund.movements) as { kind: string; receiptNumber?: string; decisionReference?: string }[];
  if (!movements.some((m) => m.kind === 'DONATION' && m.receiptNumber === DONATION.receiptNumber)) {
    await association(`mutation($input: RecordFundDonationInput!) { recordFundDonation(input: $input) { movement { id } } }`, {
      input: { fundId: fund.id, ...DONATION, receivedOn: day },
    });
  }
  if (!movements.some((m) => m.kind === 'SCHOLARSHIP' && m.decisionReference === SCHOLARSHIP.decisionReference)) {
    await whenReplicated(LAG_CODES, () =>
      association(`mutation($input: GrantScholarshipInput!) { grantScholarship(input: $input) { movement { id } } }`, {
        input: { fundId: fund.id, recipientPersonId: person.get(SCHOLAR), ...SCHOLARSHIP, grantedOn: day },
      }),
    );
    logger.info({ fund: FUND_NAME }, 'awards demo: the ward fund, a donation and a scholarship');
  }
  fund = (await association(fundQuery, { unitId: communeId })).adminUnit.studyPromotionFund;

  const now = await roundNominations();
  const byStatus: Record<string, number> = {};
  for (const n of now) byStatus[n.status] = (byStatus[n.status] ?? 0) + 1;
  return {
    roundName: ROUND_NAME,
    nominations: now.length,
    byStatus,
    decisionNumber: decision?.number ?? '',
    decisionId: decision?.id ?? null,
    award: decision?.awards[0] ?? null,
    initiativeTitle: INITIATIVE.title,
    fundBalance: fund.balance,
  };
}
