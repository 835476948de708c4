import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, conflict, isoDateInput, rawQuery, type AuthContext, type CloudEvent, type ReplicaScope } from '@xhht/infra';
import {
  DECIDING_LEVEL_NAMES,
  describeAuthority,
  findAuthorityRule,
  requireDecidingAuthority,
  SUBJECT_LEVELS,
  subjectLevelProblem,
  titleAtLevel,
} from '../authority/deciding-authority';
import { defaultDeadlines, FIRST_YEAR, LAST_YEAR } from './cycle-deadlines';
import { RecognitionCycle } from './recognition-cycle.entity';

const date = isoDateInput;

export const openCycleInput = z.object({
  year: z
    .number()
    .int('năm phải là số nguyên')
    .min(FIRST_YEAR, `năm đánh giá trong giai đoạn ${FIRST_YEAR}–${LAST_YEAR}`)
    .max(LAST_YEAR, `năm đánh giá trong giai đoạn ${FIRST_YEAR}–${LAST_YEAR}`),
  title: z.enum(['LEARNING_FAMILY', 'LEARNING_CLAN', 'LEARNING_COMMUNITY', 'LEARNING_UNIT', 'LEARNING_CITIZEN']),
  subjectLevel: z.enum(SUBJECT_LEVELS),
  decidingUnitId: z.string().uuid('mã đơn vị không hợp lệ'),
  name: z.string().trim().min(1, 'tên không được để trống').max(300, 'dài tối đa 300 ký tự').nullish(),
  submissionDeadline: date.nullish(),
  decisionDeadline: date.nullish(),
  validityMonths: z.number().int('số tháng phải là số nguyên').min(1, 'từ 1 đến 120 tháng').max(120, 'từ 1 đến 120 tháng').nullish(),
  criteriaSetId: z.string().uuid('mã bộ tiêu chí không hợp lệ').nullish(),
});
export type OpenCycleInput = z.infer<typeof openCycleInput>;

const field = (name: string) => ['input', name];

/** The unit's name on `asOf` from the hierarchy replica, or null when it is not in force that day. */
async function unitNameOn(em: EntityManager, unitId: string, asOf: string): Promise<string | null> {
  const rows = await rawQuery<{ name: string }[]>(
    em,
    `select name from admin_unit_version_replica where unit_id = ? and valid_from <= ?::date and (valid_to is null or valid_to >= ?::date)`,
    [unitId, asOf, asOf],
  );
  return rows[0]?.name ?? null;
}

/**
 * Opens a recognition cycle: one title and subject level, one assessed year, one deciding unit.
 *
 * Checked, in this order (a refusal writes nothing):
 * - the input (year in the movement's years, dates, validity), the subject level is one the title
 *   is assessed at on the decision deadline (no district level from 2025-07-01), the submission
 *   deadline is not before the assessed year and the decision deadline not before the submission
 *   deadline — BAD_USER_INPUT;
 * - an authority rule is in force on the decision deadline (NO_AUTHORITY_RULE), and the deciding
 *   unit is in force on the submission deadline with the rule's deciding level as its kind
 *   (DECIDING_UNIT_NOT_FOUND, WRONG_DECIDING_UNIT_KIND) — BAD_USER_INPUT;
 * - the caller is an administrator or holds the rule's deciding role on the deciding unit or above
 *   it — FORBIDDEN NOT_DECIDING_AUTHORITY;
 * - no cycle exists for the same year, title, level and unit — CONFLICT CYCLE_EXISTS.
 * Deadlines not given default to the procedures' calendar (cycle-deadlines.ts).
 */
export async function openCycle(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: OpenCycleInput,
): Promise<{ result: RecognitionCycle; events: CloudEvent[] }> {
  const defaults = defaultDeadlines(input.year, input.title, input.subjectLevel);
  const submissionDeadline = input.submissionDeadline ?? defaults.submissionDeadline;
  const decisionDeadline = input.decisionDeadline ?? defaults.decisionDeadline;
  const what = titleAtLevel(input.title, input.subjectLevel);

  const levelProblem = subjectLevelProblem(input.title, input.subjectLevel, decisionDeadline);
  if (levelProblem) throw badInput(levelProblem, 'SUBJECT_LEVEL_NOT_VALID', field('subjectLevel'));
  if (submissionDeadline < `${input.year}-01-01`) {
    throw badInput(
      `Hạn nộp hồ sơ (${submissionDeadline}) trước năm đánh giá ${input.year}`,
      'SUBMISSION_BEFORE_YEAR',
      field('submissionDeadline'),
    );
  }
  if (decisionDeadline < submissionDeadline) {
    throw badInput(
      `Hạn ra quyết định (${decisionDeadline}) trước hạn nộp hồ sơ (${submissionDeadline})`,
      'DECISION_BEFORE_SUBMISSION',
      field('decisionDeadline'),
    );
  }

  const rule = await findAuthorityRule(em, input.title, input.subjectLevel, decisionDeadline);
  if (!rule) {
    throw badInput(
      `Không có quy định thẩm quyền công nhận ${what} áp dụng ngày ${decisionDeadline}`,
      'NO_AUTHORITY_RULE',
      field('decisionDeadline'),
    );
  }
  const kind = (await scope.unitKinds([input.decidingUnitId], submissionDeadline)).get(input.decidingUnitId);
  if (!kind) {
    throw badInput(`Không có đơn vị hành chính này vào ngày ${submissionDeadline}`, 'DECIDING_UNIT_NOT_FOUND', field('decidingUnitId'));
  }
  if (kind !== rule.decidingLevel) {
    throw badInput(
      `${describeAuthority(rule)} quyết định công nhận ${what}: đơn vị quyết định phải là đơn vị ${DECIDING_LEVEL_NAMES[rule.decidingLevel]}`,
      'WRONG_DECIDING_UNIT_KIND',
      field('decidingUnitId'),
      { expected: rule.decidingLevel, actual: kind },
    );
  }
  await requireDecidingAuthority(em, auth, scope, {
    title: input.title,
    subjectLevel: input.subjectLevel,
    decidingUnitId: input.decidingUnitId,
    asOf: decisionDeadline,
  });

  const existing = await em.findOne(RecognitionCycle, {
    year: input.year,
    title: input.title,
    subjectLevel: input.subjectLevel,
    decidingUnitId: input.decidingUnitId,
  });
  if (existing) {
    throw conflict(`Đã có đợt công nhận ${what} năm ${input.year} của đơn vị này`, 'CYCLE_EXISTS', field('year'));
  }

  const unitName = (await unitNameOn(em, input.decidingUnitId, submissionDeadline)) ?? '';
  const cycle = Object.assign(new RecognitionCycle(), {
    id: randomUUID(),
    year: input.year,
    title: input.title,
    subjectLevel: input.subjectLevel,
    name: input.name ?? `Công nhận ${what} năm ${input.year}${unitName ? ` – ${unitName}` : ''}`,
    decidingUnitId: input.decidingUnitId,
    authorityRuleId: rule.id,
    criteriaSetId: input.criteriaSetId ?? null,
    submissionDeadline,
    decisionDeadline,
    validityMonths: input.validityMonths ?? 36,
    status: 'OPEN' as const,
    createdBy: auth.subject,
  });
  em.persist(cycle);
  return { result: cycle, events: [] };
}
