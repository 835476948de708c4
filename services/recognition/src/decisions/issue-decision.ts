import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { badInput, conflict, isoDateInput, newEvent, notFound, rawQuery, todayInVietnam, type CloudEvent } from '@xhht/infra';
import {
  DECISION_ISSUED,
  RECOGNITION_GRANTED,
  grantedCommonData,
  grantedData,
  grantedOwnDataSql,
} from '../recognitions/recognition.events';
import { sqlEvents } from '../recognitions/sql-events';
import { LEARNING_TITLES } from '../titles/learning-titles';
import { RESULT_LEVELS } from '../criteria/criteria-definition';
import type { RecognitionCycle } from '../cycles/recognition-cycle.entity';
import { findDecision, type RecognitionDecision } from './decision.repository';

const isoDate = isoDateInput;

export const issueDecisionInput = z
  .object({
    cycleId: z.string().uuid(),
    number: z.string().trim().min(1).max(50),
    date: isoDate,
    signerName: z.string().trim().min(1).max(200),
    signerTitle: z.string().trim().min(1).max(200),
    allApproved: z.boolean().nullish(),
    subjects: z
      .array(z.object({ assessmentId: z.string().uuid(), level: z.enum(RESULT_LEVELS).nullish() }))
      .min(1)
      .max(200_000)
      .nullish(),
  })
  .refine((i) => (i.allApproved === true) !== (i.subjects != null), {
    message: 'cần đúng một trong hai: allApproved = true hoặc danh sách subjects',
    path: ['subjects'],
  });
export type IssueDecisionInput = z.infer<typeof issueDecisionInput>;

/** A cycle as a decision needs it. */
type DecisionCycle = RecognitionCycle;

/** Checks that need no transaction: the date against today and the cycle. */
export function checkDecisionDate(input: IssueDecisionInput, cycle: DecisionCycle): void {
  if (input.date > todayInVietnam()) {
    throw badInput('Ngày quyết định không được sau ngày hôm nay', 'DECISION_DATE_IN_FUTURE', ['input', 'date']);
  }
  if (input.date < `${cycle.year}-01-01`) {
    throw badInput(`Ngày quyết định phải từ năm của đợt xét công nhận (${cycle.year}) trở đi`, 'DECISION_DATE_BEFORE_CYCLE', [
      'input',
      'date',
    ]);
  }
}

const rank = (level: string) => (level === 'LEVEL_2' ? 2 : 1);

/**
 * Checks an explicit list of subjects: each an assessment of the cycle, APPROVED with a result,
 * listed once, its level (default: the assessed one) of the title's kind and not above the
 * assessed level. Returns the rows to recognise as a jsonb parameter.
 */
async function explicitSubjects(em: EntityManager, input: IssueDecisionInput, cycle: DecisionCycle): Promise<string> {
  const subjects = input.subjects!;
  const seen = new Set<string>();
  subjects.forEach((s, i) => {
    if (seen.has(s.assessmentId)) {
      throw badInput('Một hồ sơ đánh giá chỉ được nêu một lần trong quyết định', 'DUPLICATE_SUBJECT', ['input', 'subjects', String(i)]);
    }
    seen.add(s.assessmentId);
  });
  const rows = await rawQuery<{ i: number; cycle_id: string | null; status: string | null; result_level: string | null }[]>(
    em,
    `select s.i, a.cycle_id, a.status, a.result_level
     from jsonb_array_elements_text(?::jsonb) with ordinality as s(id, i) left join assessment a on a.id = s.id::uuid
     order by s.i`,
    [JSON.stringify(subjects.map((s) => s.assessmentId))],
  );
  const hasLevels = LEARNING_TITLES.find((t) => t.title === cycle.title)?.hasLevels ?? false;
  const chosen: { assessment_id: string; level: string }[] = [];
  for (const row of rows) {
    const index = Number(row.i) - 1;
    const s = subjects[index]!;
    const field = ['input', 'subjects', String(index)];
    if (row.cycle_id !== cycle.id) {
      throw badInput('Hồ sơ đánh giá không thuộc đợt xét công nhận này', 'ASSESSMENT_NOT_IN_CYCLE', [...field, 'assessmentId']);
    }
    if (row.status !== 'APPROVED' || row.result_level === null) {
      throw badInput('Chỉ công nhận hồ sơ đã được duyệt và đạt', 'ASSESSMENT_NOT_APPROVED', [...field, 'assessmentId']);
    }
    const level = s.level ?? row.result_level;
    if (hasLevels !== (level !== 'ACHIEVED')) {
      throw badInput(
        hasLevels ? 'Danh hiệu này công nhận theo Mức 1 hoặc Mức 2' : 'Danh hiệu này chỉ công nhận mức Đạt',
        'LEVEL_NOT_OF_TITLE',
        [...field, 'level'],
      );
    }
    if (rank(level) > rank(row.result_level)) {
      throw badInput('Mức công nhận không được cao hơn mức đã đánh giá', 'LEVEL_ABOVE_ASSESSED', [...field, 'level']);
    }
    chosen.push({ assessment_id: s.assessmentId, level });
  }
  return JSON.stringify(chosen);
}

interface GrantResult {
  inserted: number;
  level_counts: Record<string, number>;
  event_count: number;
  samples: [string, string, string, unknown][];
}

/**
 * Issues a decision in the caller's transaction: the decision row, then every recognition and its
 * granted event in one set-based statement (the events staged as one outbox batch row), so a
 * decision of 100,000 households costs a handful of statements. Authority is checked by the caller.
 */
export async function issueDecision(
  em: EntityManager,
  input: IssueDecisionInput,
  cycle: DecisionCycle,
  actor: string,
): Promise<{ result: RecognitionDecision; events: CloudEvent[] }> {
  const year = Number(input.date.slice(0, 4));
  const [dup] = await rawQuery<{ id: string }[]>(
    em,
    'select id from recognition_decision where deciding_unit_id = ? and decision_year = ? and number = ?',
    [cycle.decidingUnitId, year, input.number],
  );
  if (dup) {
    throw conflict(`Số quyết định ${input.number} đã được dùng trong năm ${year} tại đơn vị này`, 'DUPLICATE_DECISION_NUMBER', [
      'input',
      'number',
    ]);
  }
  const chosen = input.subjects ? await explicitSubjects(em, input, cycle) : null;
  const id = randomUUID();
  const late = input.date > cycle.decisionDeadline;
  const [{ valid_to: validTo }] = (await rawQuery<{ valid_to: string }[]>(
    em,
    `select ((?::date + make_interval(months => ?::int))::date - 1)::text as valid_to`,
    [input.date, cycle.validityMonths],
  )) as [{ valid_to: string }];
  await rawQuery(
    em,
    `insert into recognition_decision (id, cycle_id, number, decision_date, decision_year, signer_name, signer_title,
       deciding_unit_id, title, year, late, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      cycle.id,
      input.number,
      input.date,
      year,
      input.signerName,
      input.signerTitle,
      cycle.decidingUnitId,
      cycle.title,
      cycle.year,
      late,
      actor,
    ],
  );

  const selection = chosen
    ? `select a.id as assessment_id, a.subject_kind, a.subject_id, a.subject_unit_id, s.level
       from jsonb_to_recordset(?::jsonb) as s(assessment_id uuid, level text) join assessment a on a.id = s.assessment_id`
    : `select a.id as assessment_id, a.subject_kind, a.subject_id, a.subject_unit_id, a.result_level as level
       from assessment a
       where a.cycle_id = ? and a.status = 'APPROVED' and a.result_level is not null
         -- a hashed subplan, read once before the insert adds to the table (an anti-join could rescan it per row)
         and a.id not in (select r.assessment_id from recognition r join recognition_decision d on d.id = r.decision_id where d.cycle_id = ?::uuid)`;
  const ev = sqlEvents([RECOGNITION_GRANTED], {
    [RECOGNITION_GRANTED]: grantedCommonData({
      decisionId: id,
      title: cycle.title,
      year: cycle.year,
      validFrom: input.date,
      validTo,
      decisionNumber: input.number,
      decisionDate: input.date,
      decidingUnitId: cycle.decidingUnitId,
    }),
  });
  // the statement's sorts and aggregates stay in memory
  await rawQuery(em, "set local work_mem = '128MB'", []);
  let r: GrantResult | undefined;
  try {
    [r] = await rawQuery<GrantResult[]>(
      em,
      `with ${ev.templatesCte},
       sel as (${selection}),
       ins as (
         insert into recognition (id, decision_id, assessment_id, subject_kind, subject_id, subject_unit_id, title, level, year,
           valid_from, valid_to, created_by)
         select gen_random_uuid(), ?::uuid, sel.assessment_id, sel.subject_kind, sel.subject_id, sel.subject_unit_id, ?::text,
           sel.level, ?::int, ?::date, ?::date, ?::text
         from sel
         returning id, subject_kind, subject_id, level
       ),
       events as (
         select ins.subject_id::text as subject, '${RECOGNITION_GRANTED}'::text as event_type, ${grantedOwnDataSql('ins')} as data from ins
       ),
       ${ev.ctes}
       select (select count(*) from ins)::int as inserted,
         (select coalesce(jsonb_object_agg(level, n), '{}'::jsonb) from (select level, count(*)::int as n from ins group by level) l) as level_counts,
         ${ev.select}`,
      [...ev.params, ...(chosen ? [chosen] : [cycle.id, cycle.id]), id, cycle.title, cycle.year, input.date, validTo, actor],
    );
  } catch (err) {
    // the rule "one active recognition per subject, title and year", enforced by its unique index
    if ((err as { constraint?: string }).constraint === 'recognition_one_active_uq') {
      throw conflict(`Có đối tượng đã có danh hiệu này còn hiệu lực trong năm ${cycle.year}`, 'ALREADY_RECOGNISED', ['input', 'subjects']);
    }
    throw err;
  }
  const result = r!;
  if (result.inserted === 0) {
    throw badInput('Không có hồ sơ nào đã được duyệt và chưa được công nhận trong đợt này', 'NO_APPROVED_SUBJECTS', ['input', 'subjects']);
  }
  ev.check(result, result.inserted, grantedData);
  await rawQuery(em, 'update recognition_decision set recognition_count = ?, level_counts = ?::jsonb where id = ?', [
    result.inserted,
    JSON.stringify(result.level_counts),
    id,
  ]);
  const decision = (await findDecision(em, id))!;
  if (!decision) throw notFound('Không tìm thấy quyết định vừa ghi', 'DECISION_NOT_FOUND');
  const event = newEvent(DECISION_ISSUED, id, {
    decisionId: id,
    cycleId: cycle.id,
    number: decision.number,
    date: decision.date,
    signerName: decision.signerName,
    signerTitle: decision.signerTitle,
    decidingUnitId: decision.decidingUnitId,
    title: decision.title,
    year: decision.year,
    recognitionCount: decision.recognitionCount,
    levelCounts: decision.levelCounts,
    late: decision.late,
  });
  return { result: decision, events: [event] };
}
