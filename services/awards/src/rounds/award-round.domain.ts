import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  badInput,
  conflict,
  isoDateInput,
  notFound,
  rawQuery,
  todayInVietnam,
  type AuthContext,
  type CloudEvent,
  type ReplicaScope,
  type Role,
} from '@xhht/infra';
import { formsAt } from '../forms/award-form.repository';
import { LEARNING_TITLE_NAMES } from '../recognitions/learning-titles';
import { ROUND_COLUMNS, findRound, type AwardRound, type RoundForm } from './award-round.repository';
import {
  eligibilityRules,
  LEVEL_NAMES,
  levelMakesSense,
  NOMINEE_KIND_NAMES,
  nomineeKindsFor,
  quotaInput,
  TARGETS_MET_KINDS,
} from './eligibility-rules';
import { AWARD_ROUND_KINDS } from './round-kinds';

/** Who runs award rounds, on the round's scope unit or above it (administrators anywhere). */
export const ROUND_ROLES: readonly Role[] = ['EMULATION_OFFICER'];

const ROUND_KIND_CODES = AWARD_ROUND_KINDS.map((k) => k.kind);
/** Review rounds belong to their review's year. */
const KIND_YEAR: Record<string, number> = { INTERIM_REVIEW_2025: 2025, FINAL_REVIEW_2030: 2030 };

const year = z.number().int('năm phải là số nguyên').min(2023, 'năm từ 2023 đến 2100').max(2100, 'năm từ 2023 đến 2100');
const name = z.string().trim().min(1, 'tên đợt khen thưởng không được để trống').max(300, 'tên đợt dài tối đa 300 ký tự');

const roundFormInput = z.object({
  formCode: z.string().trim().min(1, 'mã hình thức không được để trống'),
  quota: quotaInput.nullish(),
  rules: eligibilityRules.nullish(),
});
const forms = z.array(roundFormInput).max(30, 'tối đa 30 hình thức trong một đợt');

export const createAwardRoundInput = z.object({
  scopeUnitId: z.string().uuid('mã đơn vị không hợp lệ'),
  kind: z.enum(ROUND_KIND_CODES),
  year,
  name,
  nominationDeadline: isoDateInput,
  decisionDeadline: isoDateInput,
  forms: forms.nullish(),
});
export type CreateAwardRoundInput = z.infer<typeof createAwardRoundInput>;

export const updateAwardRoundInput = z.object({
  id: z.string().uuid('mã đợt khen thưởng không hợp lệ'),
  kind: z.enum(ROUND_KIND_CODES).nullish(),
  year: year.nullish(),
  name: name.nullish(),
  nominationDeadline: isoDateInput.nullish(),
  decisionDeadline: isoDateInput.nullish(),
  forms: forms.nullish(),
});
export type UpdateAwardRoundInput = z.infer<typeof updateAwardRoundInput>;

type FormsInput = z.infer<typeof forms>;
const field = (...names: (string | number)[]) => ['input', ...names.map(String)];

interface RoundFields {
  kind: string;
  year: number;
  nominationDeadline: string;
  decisionDeadline: string;
}

/**
 * Checks a round's fields together and returns its forms as stored. Each form must be in force on the
 * decision deadline and appear once; a share quota is a share of another form of the round that has
 * no share quota itself; rules name only nominee kinds the form admits, levels the title has, and
 * years up to the round's.
 */
async function checkRound(em: EntityManager, round: RoundFields, input: FormsInput, formsPath: string): Promise<RoundForm[]> {
  if (round.decisionDeadline < round.nominationDeadline) {
    throw badInput(
      `Hạn quyết định (${round.decisionDeadline}) phải từ hạn nộp hồ sơ đề nghị (${round.nominationDeadline}) trở đi`,
      'DEADLINES_OUT_OF_ORDER',
      field('decisionDeadline'),
    );
  }
  const kindYear = KIND_YEAR[round.kind];
  if (kindYear !== undefined && round.year !== kindYear) {
    throw badInput(`Đợt ${round.kind} là đợt của năm ${kindYear}`, 'ROUND_KIND_YEAR', field('year'));
  }
  const codes = input.map((f) => f.formCode);
  const inForce = await formsAt(em, codes, round.decisionDeadline);
  const seen = new Set<string>();
  input.forEach((f, i) => {
    if (seen.has(f.formCode))
      throw badInput(`Hình thức ${f.formCode} được khai báo hai lần`, 'FORM_REPEATED', field(formsPath, i, 'formCode'));
    seen.add(f.formCode);
    if (!inForce.has(f.formCode)) {
      throw badInput(
        `Không có hình thức khen thưởng ${f.formCode} có hiệu lực vào hạn quyết định ${round.decisionDeadline}`,
        'FORM_NOT_FOUND',
        field(formsPath, i, 'formCode'),
      );
    }
  });
  return input.map((f, i) => {
    const form = inForce.get(f.formCode)!;
    const quota = f.quota ?? null;
    if (quota?.kind === 'SHARE') {
      const base = input.find((o) => o.formCode === quota.ofFormCode);
      if (quota.ofFormCode === f.formCode || !base) {
        throw badInput(
          `Chỉ tiêu của ${form.name} phải là tỷ lệ của một hình thức khác trong cùng đợt (không có ${quota.ofFormCode})`,
          'QUOTA_BASE_NOT_IN_ROUND',
          field(formsPath, i, 'quota', 'ofFormCode'),
        );
      }
      if (base.quota?.kind === 'SHARE') {
        throw badInput(
          `Hình thức ${quota.ofFormCode} đã có chỉ tiêu theo tỷ lệ; chỉ tiêu tỷ lệ phải dựa trên hình thức không tính theo tỷ lệ`,
          'QUOTA_SHARE_OF_SHARE',
          field(formsPath, i, 'quota', 'ofFormCode'),
        );
      }
    }
    const rules = f.rules ?? [];
    rules.forEach((rule, j) => {
      const at = (...rest: string[]) => field(formsPath, i, 'rules', j, ...rest);
      if (rule.kind === 'SUBJECT_KIND') {
        const admitted = nomineeKindsFor(form.recipientKinds);
        const other = rule.kinds.find((k) => !admitted.includes(k));
        if (other) {
          throw badInput(
            `${form.name} không tặng cho ${NOMINEE_KIND_NAMES[other]} (chỉ cho: ${admitted.map((k) => NOMINEE_KIND_NAMES[k]).join(', ')})`,
            'SUBJECT_KIND_NOT_ALLOWED',
            at('kinds'),
          );
        }
      }
      if (rule.kind === 'TITLE_HELD' && !levelMakesSense(rule.title, rule.minLevel)) {
        throw badInput(
          `Danh hiệu ${LEARNING_TITLE_NAMES[rule.title]} không xét theo mức; không thể yêu cầu ${LEVEL_NAMES[rule.minLevel!]}`,
          'LEVEL_NOT_FOR_TITLE',
          at('minLevel'),
        );
      }
      if (rule.kind === 'TARGETS_MET') {
        // a rule no nominee of the form could ever pass is a mistake in the round, not a refusal later
        const subjectRule = rules.find((r) => r.kind === 'SUBJECT_KIND');
        const kinds = subjectRule?.kind === 'SUBJECT_KIND' ? subjectRule.kinds : nomineeKindsFor(form.recipientKinds);
        if (!kinds.some((k) => TARGETS_MET_KINDS.includes(k))) {
          throw badInput(
            `Điều kiện hoàn thành chỉ tiêu chỉ xét cho ${NOMINEE_KIND_NAMES.ADMIN_UNIT}; ${form.name} trong đợt này chỉ xét: ${kinds
              .map((k) => NOMINEE_KIND_NAMES[k])
              .join(', ')}`,
            'TARGETS_MET_NOT_FOR_FORM',
            at('kind'),
          );
        }
      }
      const ruleYear =
        rule.kind === 'TITLE_HELD' || rule.kind === 'TARGETS_MET'
          ? rule.year
          : rule.kind === 'TITLE_CONSECUTIVE_YEARS'
            ? rule.endingYear
            : undefined;
      if (ruleYear !== undefined && ruleYear > round.year) {
        throw badInput(
          `Điều kiện xét năm ${ruleYear}, sau năm của đợt (${round.year})`,
          'RULE_YEAR_AFTER_ROUND',
          at(rule.kind === 'TITLE_CONSECUTIVE_YEARS' ? 'endingYear' : 'year'),
        );
      }
    });
    return { formCode: f.formCode, quota, rules };
  });
}

async function requireScopeUnit(em: EntityManager, unitId: string): Promise<void> {
  const today = todayInVietnam();
  const found = await rawQuery<unknown[]>(
    em,
    `select 1 from admin_unit_version_replica where unit_id = ? and valid_from <= ?::date and (valid_to is null or valid_to >= ?::date) limit 1`,
    [unitId, today, today],
  );
  if (!found.length) {
    throw badInput('Không có đơn vị hành chính này (hoặc đơn vị không còn hiệu lực)', 'SCOPE_UNIT_NOT_FOUND', field('scopeUnitId'));
  }
}

/**
 * Creates a round in DRAFT. Checked in this order, a refusal writes nothing: the input
 * (BAD_USER_INPUT with its field, bad rules included); the scope unit is in force today; the caller is
 * an emulation officer on it or above (FORBIDDEN OUTSIDE_SCOPE); then the round as a whole (checkRound).
 */
export async function createAwardRound(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: CreateAwardRoundInput,
): Promise<{ result: AwardRound; events: CloudEvent[] }> {
  await requireScopeUnit(em, input.scopeUnitId);
  await scope.requireCovers(auth, ROUND_ROLES, [input.scopeUnitId]);
  const roundForms = await checkRound(em, input, input.forms ?? [], 'forms');
  const [round] = await rawQuery<AwardRound[]>(
    em,
    `insert into award_round as r (id, scope_unit_id, kind, year, name, nomination_deadline, decision_deadline, forms, created_by, updated_by)
     values (?, ?, ?, ?, ?, ?::date, ?::date, ?::jsonb, ?, ?)
     returning ${ROUND_COLUMNS}`,
    [
      randomUUID(),
      input.scopeUnitId,
      input.kind,
      input.year,
      input.name,
      input.nominationDeadline,
      input.decisionDeadline,
      JSON.stringify(roundForms),
      auth.subject,
      auth.subject,
    ],
  );
  return { result: round!, events: [] };
}

/** The round, locked, after checking the caller covers its scope unit. */
async function roundToChange(em: EntityManager, auth: AuthContext, scope: ReplicaScope, id: string, path: string[]): Promise<AwardRound> {
  const round = await findRound(em, id, true);
  if (!round) throw notFound('Không tìm thấy đợt khen thưởng', 'ROUND_NOT_FOUND', path);
  await scope.requireCovers(auth, ROUND_ROLES, [round.scopeUnitId]);
  return round;
}

/** Changes a round while it is a DRAFT (CONFLICT ROUND_NOT_DRAFT after); the fields given replace the stored ones, forms as a whole. */
export async function updateAwardRound(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: UpdateAwardRoundInput,
): Promise<{ result: AwardRound; events: CloudEvent[] }> {
  const round = await roundToChange(em, auth, scope, input.id, field('id'));
  if (round.status !== 'DRAFT') {
    throw conflict(`Đợt khen thưởng đã ${round.status === 'OPEN' ? 'mở' : 'kết thúc'}, không sửa được nữa`, 'ROUND_NOT_DRAFT', field('id'));
  }
  const next = {
    kind: input.kind ?? round.kind,
    year: input.year ?? round.year,
    name: input.name ?? round.name,
    nominationDeadline: input.nominationDeadline ?? round.nominationDeadline,
    decisionDeadline: input.decisionDeadline ?? round.decisionDeadline,
  };
  // stored forms are re-checked too: a new year or deadline may leave them out of force or their rules after the round
  const roundForms = await checkRound(em, next, input.forms ?? round.forms, 'forms');
  const [updated] = await rawQuery<AwardRound[]>(
    em,
    `update award_round r set kind = ?, year = ?, name = ?, nomination_deadline = ?::date, decision_deadline = ?::date, forms = ?::jsonb,
       updated_at = now(), updated_by = ?
     where r.id = ? returning ${ROUND_COLUMNS}`,
    [next.kind, next.year, next.name, next.nominationDeadline, next.decisionDeadline, JSON.stringify(roundForms), auth.subject, round.id],
  );
  return { result: updated!, events: [] };
}

/** DRAFT → OPEN: nominations may be made. A round without forms cannot open (BAD_USER_INPUT ROUND_WITHOUT_FORMS). */
export async function openAwardRound(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  id: string,
): Promise<{ result: AwardRound; events: CloudEvent[] }> {
  const round = await roundToChange(em, auth, scope, id, ['id']);
  if (round.status !== 'DRAFT') throw conflict('Chỉ mở được đợt khen thưởng đang soạn thảo', 'ROUND_NOT_DRAFT', ['id']);
  if (round.forms.length === 0) {
    throw badInput('Đợt khen thưởng chưa có hình thức khen thưởng nào, chưa mở được', 'ROUND_WITHOUT_FORMS', ['id']);
  }
  const [opened] = await rawQuery<AwardRound[]>(
    em,
    `update award_round r set status = 'OPEN', opened_at = now(), opened_by = ?, updated_at = now(), updated_by = ?
     where r.id = ? returning ${ROUND_COLUMNS}`,
    [auth.subject, auth.subject, id],
  );
  return { result: opened!, events: [] };
}

/** OPEN → CLOSED: no more nominations. */
export async function closeAwardRound(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  id: string,
): Promise<{ result: AwardRound; events: CloudEvent[] }> {
  const round = await roundToChange(em, auth, scope, id, ['id']);
  if (round.status !== 'OPEN') throw conflict('Chỉ kết thúc được đợt khen thưởng đang mở', 'ROUND_NOT_OPEN', ['id']);
  const [closed] = await rawQuery<AwardRound[]>(
    em,
    `update award_round r set status = 'CLOSED', closed_at = now(), closed_by = ?, updated_at = now(), updated_by = ?
     where r.id = ? returning ${ROUND_COLUMNS}`,
    [auth.subject, auth.subject, id],
  );
  return { result: closed!, events: [] };
}
