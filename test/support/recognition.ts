import { randomUUID } from 'node:crypto';
import { eventually, gql, sql, stack, tokenFor } from './stack';

/** Uploads an evidence file through the gateway's host and expects it accepted (201). */
export async function uploadEvidence(token: string, body: Buffer, fileName: string, contentType: string) {
  const res = await fetch(new URL('/files/evidence', stack().gatewayUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'x-file-name': encodeURIComponent(fileName) },
    body,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; sha256: string };
}

/** Waits until a service's replica (recognition's unless told) has every id (participant_replica.id or admin_unit_version_replica.unit_id). */
export async function replicated(
  table: 'participant_replica' | 'admin_unit_version_replica',
  ids: string[],
  service: 'recognition' | 'awards' = 'recognition',
) {
  const column = table === 'participant_replica' ? 'id' : 'unit_id';
  await eventually(
    async () => {
      const [r] = await sql<{ n: number }>(
        service,
        `select count(distinct ${column})::int as n from ${table} where ${column} = any($1::uuid[])`,
        [ids],
      );
      return r!.n === ids.length ? true : undefined;
    },
    60000,
    `${ids.join(', ')} in ${service}'s ${table}`,
  );
}

const OPEN_CYCLE = `mutation Open($input: OpenRecognitionCycleInput!) { openRecognitionCycle(input: $input) { cycle { id } } }`;
const ISSUE = `mutation Issue($input: IssueRecognitionDecisionInput!) { issueRecognitionDecision(input: $input) { decision { id recognitionCount } } }`;

/**
 * Households recognised as Learning Families for `year` for real: a cycle decided by
 * `decidingUnitId`'s Association officer, their assessments written APPROVED straight into
 * recognition's table (as the assessment workflow leaves them), and decision `number` issued on `date`
 * through the gateway. Returns the decision's id.
 */
export async function recogniseHouseholds(opts: {
  year: number;
  decidingUnitId: string;
  date: string;
  number: string;
  households: { id: string; unitId: string }[];
  officerSubject?: string;
}): Promise<string> {
  const { year, decidingUnitId, date, number, households } = opts;
  const token = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: decidingUnitId }], opts.officerSubject);
  const input = {
    year,
    title: 'LEARNING_FAMILY',
    subjectLevel: 'HOUSEHOLD',
    decidingUnitId,
    submissionDeadline: `${year}-11-30`,
    decisionDeadline: `${year}-12-31`,
    validityMonths: 36,
  };
  const cycle = await gql(OPEN_CYCLE, { input }, { token });
  if (cycle.errors) throw new Error(JSON.stringify(cycle.errors));
  const cycleId = cycle.data!.openRecognitionCycle.cycle.id as string;
  for (const h of households) {
    await sql(
      'recognition',
      `insert into assessment (id, cycle_id, subject_kind, subject_id, subject_unit_id, criteria_set_id, status, result_level, total_points,
         submitted_at, created_by, updated_by)
       values ($1, $2, 'HOUSEHOLD', $3, $4, $5, 'APPROVED', 'ACHIEVED', 86, $6, 'e2e', 'e2e')`,
      [randomUUID(), cycleId, h.id, h.unitId, randomUUID(), `${year}-11-20`],
    );
  }
  const issued = await gql(
    ISSUE,
    { input: { cycleId, number, date, signerName: 'Nông Thị Mai', signerTitle: 'Chủ tịch UBND xã', allApproved: true } },
    { token },
  );
  if (issued.errors) throw new Error(JSON.stringify(issued.errors));
  expect(issued.data!.issueRecognitionDecision.decision.recognitionCount).toBe(households.length);
  return issued.data!.issueRecognitionDecision.decision.id as string;
}
