import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { z } from 'zod';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date without time zone, "YYYY-MM-DD" (effective dates, deadlines, decision dates). */
export function parseIsoDate(value: unknown): string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) {
    throw new GraphQLError(`Ngày không hợp lệ: cần dạng YYYY-MM-DD, nhận được ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT', messageKey: 'INVALID_DATE' },
    });
  }
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new GraphQLError(`Ngày không tồn tại: ${value}`, { extensions: { code: 'BAD_USER_INPUT', messageKey: 'INVALID_DATE' } });
  }
  return value;
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'Calendar date, YYYY-MM-DD',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : parseIsoDate(value)),
  parseValue: parseIsoDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseIsoDate(ast.value);
  },
});

/** Today's date in Vietnam (UTC+7), the default for effective dates and "as of". */
export function todayInVietnam(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

/** The calendar day before an ISO date: the last day of whatever a change effective on `date` ended. */
export function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed uuid; ids that are not are answered as "not found" without asking the database. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** A "YYYY-MM-DD" field of a mutation input, for zod schemas (refused with a field path by parseInput). */
export const isoDateInput = z.string().refine((s) => {
  try {
    parseIsoDate(s);
    return true;
  } catch {
    return false;
  }
}, 'ngày không hợp lệ (YYYY-MM-DD)');

/** A uuid field of a mutation input; `what` names it in the message ("mã đơn vị không hợp lệ"). */
export const uuidInput = (what: string) => z.string().uuid(`mã ${what} không hợp lệ`);

/**
 * A required text field of a mutation input, trimmed, at most `max` characters, in composed form
 * (NFC): one form of each Vietnamese letter, so stored text, searches and printed documents agree.
 */
export const textInput = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what} không được để trống`)
    .max(max, `${what} dài tối đa ${max} ký tự`)
    .transform((s) => s.normalize('NFC'));

/** The version a change was made against (optimistic concurrency). */
export const expectedVersionInput = z.number().int('phiên bản phải là số nguyên').min(1, 'phiên bản không hợp lệ');
