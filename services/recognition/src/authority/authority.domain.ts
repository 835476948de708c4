import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict, notFound, isoDateInput, ROLE_NAMES, badInput, rawQuery, type CloudEvent, type Role } from '@xhht/infra';
import { DECIDING_LEVELS, RecognitionAuthorityRule } from './authority-rule.entity';
import { SUBJECT_LEVELS, TITLE_SUBJECT_LEVELS, titleAtLevel } from './deciding-authority';

/** Every change to the rules is kept in recognition_authority_rule_change: who, when, what (domain.md §6). */
async function audit(em: EntityManager, rule: RecognitionAuthorityRule, action: 'ADDED' | 'ENDED', actor: string, before: unknown) {
  await rawQuery(
    em,
    `insert into recognition_authority_rule_change (id, rule_id, action, changed_by, before, after) values (?, ?, ?, ?, ?::jsonb, ?::jsonb)`,
    [randomUUID(), rule.id, action, actor, before === null ? null : JSON.stringify(before), JSON.stringify(ruleData(rule))],
  );
}

const date = isoDateInput;
const text = (max: number, empty: string) => z.string().trim().min(1, empty).max(max, `dài tối đa ${max} ký tự`);

export const addAuthorityRuleInput = z
  .object({
    title: z.enum(['LEARNING_FAMILY', 'LEARNING_CLAN', 'LEARNING_COMMUNITY', 'LEARNING_UNIT', 'LEARNING_CITIZEN']),
    subjectLevel: z.enum(SUBJECT_LEVELS),
    decidingLevel: z.enum(DECIDING_LEVELS),
    decidingRole: z.string().refine((r) => ROLE_NAMES.includes(r as Role) && r !== 'SYSTEM_ADMIN', 'vai trò không hợp lệ'),
    authorityName: text(200, 'tên cơ quan, người có thẩm quyền không được để trống'),
    legalBasis: text(2000, 'căn cứ pháp lý không được để trống'),
    validFrom: date,
    validTo: date.nullish(),
  })
  .superRefine((v, ctx) => {
    if (!TITLE_SUBJECT_LEVELS[v.title]!.includes(v.subjectLevel)) {
      ctx.addIssue({ code: 'custom', path: ['subjectLevel'], message: `danh hiệu ${v.title} không xét cho ${v.subjectLevel}` });
    }
    if (v.validTo && v.validTo < v.validFrom)
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'ngày kết thúc trước ngày bắt đầu' });
  });
export const endAuthorityRuleInput = z.object({ id: z.string().uuid('mã quy định không hợp lệ'), validTo: date });

export const ruleData = (r: RecognitionAuthorityRule) => ({
  id: r.id,
  title: r.title,
  subjectLevel: r.subjectLevel,
  decidingLevel: r.decidingLevel,
  decidingRole: r.decidingRole,
  authorityName: r.authorityName,
  legalBasis: r.legalBasis,
  validFrom: r.validFrom,
  validTo: r.validTo,
});

const overlapError = (r: { title: string; subjectLevel: string }, other?: RecognitionAuthorityRule) =>
  conflict(
    `Quy định thẩm quyền công nhận ${titleAtLevel(r.title, r.subjectLevel)} trùng thời gian với quy định đã có` +
      (other ? ` (${other.authorityName}, từ ${other.validFrom}${other.validTo ? ` đến ${other.validTo}` : ''})` : ''),
    'AUTHORITY_RULE_OVERLAP',
    ['input', 'validFrom'],
  );

/** Rules of (title, subjectLevel) other than `exceptId` whose period meets [from, to] (to null = open-ended). Locks them. */
async function overlapping(
  em: EntityManager,
  title: string,
  subjectLevel: string,
  from: string,
  to: string | null,
  exceptId: string | null,
) {
  const rows = await rawQuery<{ id: string }[]>(
    em,
    `select id from recognition_authority_rule
      where title = ? and subject_level = ? and id <> coalesce(?::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
        and daterange(valid_from, valid_to, '[]') && daterange(?::date, ?::date, '[]')
      order by valid_from for update`,
    [title, subjectLevel, exceptId, from, to],
  );
  return rows.length ? em.find(RecognitionAuthorityRule, { id: { $in: rows.map((r) => r.id) } }, { orderBy: { validFrom: 'asc' } }) : [];
}

/** A new rule; refused with CONFLICT AUTHORITY_RULE_OVERLAP when another rule of the pair is in force for part of its period. */
export async function addAuthorityRule(
  em: EntityManager,
  input: z.infer<typeof addAuthorityRuleInput>,
  actor: string,
): Promise<{ result: RecognitionAuthorityRule; events: CloudEvent[] }> {
  const others = await overlapping(em, input.title, input.subjectLevel, input.validFrom, input.validTo ?? null, null);
  if (others.length) throw overlapError(input, others[0]);
  const rule = Object.assign(new RecognitionAuthorityRule(), {
    id: randomUUID(),
    title: input.title,
    subjectLevel: input.subjectLevel,
    decidingLevel: input.decidingLevel,
    decidingRole: input.decidingRole as Role,
    authorityName: input.authorityName,
    legalBasis: input.legalBasis,
    validFrom: input.validFrom,
    validTo: input.validTo ?? null,
    createdBy: actor,
    updatedBy: actor,
  });
  em.persist(rule);
  await em.flush();
  await audit(em, rule, 'ADDED', actor, null);
  return { result: rule, events: [] };
}

/**
 * Sets the last day a rule is in force. Refused when it would end before it starts, overlap a
 * later rule, or leave a recognition cycle whose decision deadline falls after it without a rule.
 */
export async function endAuthorityRule(
  em: EntityManager,
  input: z.infer<typeof endAuthorityRuleInput>,
  actor: string,
): Promise<{ result: RecognitionAuthorityRule; events: CloudEvent[] }> {
  const rule = await em.findOne(RecognitionAuthorityRule, { id: input.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!rule) throw notFound('Không tìm thấy quy định thẩm quyền', 'AUTHORITY_RULE_NOT_FOUND', ['input', 'id']);
  if (input.validTo < rule.validFrom) {
    throw badInput(`Ngày kết thúc trước ngày bắt đầu hiệu lực (${rule.validFrom})`, 'END_BEFORE_START', ['input', 'validTo']);
  }
  const others = await overlapping(em, rule.title, rule.subjectLevel, rule.validFrom, input.validTo, rule.id);
  if (others.length) throw overlapError(rule, others[0]);
  const used = await rawQuery<{ n: number }[]>(
    em,
    'select count(*)::int as n from recognition_cycle where authority_rule_id = ? and decision_deadline > ?::date',
    [rule.id, input.validTo],
  );
  if ((used[0]?.n ?? 0) > 0) {
    throw conflict(
      `Có ${used[0]!.n} đợt công nhận theo quy định này với hạn quyết định sau ngày ${input.validTo}`,
      'AUTHORITY_RULE_IN_USE',
      ['input', 'validTo'],
    );
  }
  const before = ruleData(rule);
  rule.validTo = input.validTo;
  rule.updatedAt = new Date();
  rule.updatedBy = actor;
  await em.flush();
  await audit(em, rule, 'ENDED', actor, before);
  return { result: rule, events: [] };
}
