import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, dayBefore, isoDateInput, rawQuery, type CloudEvent } from '@xhht/infra';
import { AUTHORITY_LEVELS, RECIPIENT_KINDS } from './award-forms';
import { FORM_COLUMNS, type AwardForm } from './award-form.repository';

const text = (max: number, empty: string) => z.string().trim().min(1, empty).max(max, `dài tối đa ${max} ký tự`);

export const setAwardFormVersionInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'mã hình thức gồm chữ in hoa không dấu, chữ số và dấu gạch dưới (2–64 ký tự)'),
  name: text(300, 'tên hình thức không được để trống'),
  recipientKinds: z
    .array(z.enum(RECIPIENT_KINDS))
    .min(1, 'cần ít nhất một loại đối tượng được khen thưởng')
    .refine((kinds) => new Set(kinds).size === kinds.length, 'loại đối tượng bị lặp'),
  authorityLevel: z.enum(AUTHORITY_LEVELS),
  signerTitle: text(200, 'chức danh người ký không được để trống'),
  rank: z.number().int('thứ bậc phải là số nguyên').min(1, 'thứ bậc từ 1 đến 1000').max(1000, 'thứ bậc từ 1 đến 1000'),
  validFrom: isoDateInput,
});
export type SetAwardFormVersionInput = z.infer<typeof setAwardFormVersionInput>;

/**
 * A new version of a form (or a new form), in force from `validFrom` on. The version in force that
 * day ends the day before; a version already starting on or after that day is refused
 * (BAD_USER_INPUT FORM_VERSION_NOT_LATEST): versions only follow one another, never overlap.
 * Writes nothing when refused.
 */
export async function setAwardFormVersion(
  em: EntityManager,
  input: SetAwardFormVersionInput,
  actor: string,
): Promise<{ result: { form: AwardForm; closed: AwardForm | null }; events: CloudEvent[] }> {
  // one writer per code at a time, a new code included (no row to lock yet)
  await rawQuery(em, 'select pg_advisory_xact_lock(hashtext(?))', [`award_form:${input.code}`]);
  const later = await rawQuery<{ validFrom: string }[]>(
    em,
    `select valid_from::text as "validFrom" from award_form_version where code = ? and valid_from >= ?::date order by valid_from desc limit 1`,
    [input.code, input.validFrom],
  );
  if (later.length) {
    throw badInput(
      `Hình thức ${input.code} đã có phiên bản hiệu lực từ ngày ${later[0]!.validFrom}; phiên bản mới phải có hiệu lực sau ngày đó`,
      'FORM_VERSION_NOT_LATEST',
      ['input', 'validFrom'],
    );
  }
  const closed = await rawQuery<AwardForm[]>(
    em,
    `update award_form_version v set valid_to = ?::date, closed_at = now(), closed_by = ?
     where v.code = ? and (v.valid_to is null or v.valid_to >= ?::date)
     returning ${FORM_COLUMNS}`,
    [dayBefore(input.validFrom), actor, input.code, input.validFrom],
  );
  const [form] = await rawQuery<AwardForm[]>(
    em,
    `insert into award_form_version as v (id, code, name, recipient_kinds, authority_level, signer_title, rank, valid_from, created_by)
     values (?, ?, ?, ?::text[], ?, ?, ?, ?::date, ?)
     returning ${FORM_COLUMNS}`,
    [
      randomUUID(),
      input.code,
      input.name,
      `{${input.recipientKinds.join(',')}}`,
      input.authorityLevel,
      input.signerTitle,
      input.rank,
      input.validFrom,
      actor,
    ],
  );
  return { result: { form: form!, closed: closed[0] ?? null }, events: [] };
}
