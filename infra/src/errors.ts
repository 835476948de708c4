import { GraphQLError } from 'graphql';
import type { z } from 'zod';

/** The codes domain errors carry in extensions.code. */
export const ERROR_CODES = ['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'INTERNAL_SERVER_ERROR'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface DomainErrorOptions {
  /** Stable key a frontend can translate; the message itself is Vietnamese. */
  messageKey: string;
  /** Input field the error is about, as a path (e.g. ["input", "parentId"]). */
  field?: string[];
  details?: Record<string, unknown>;
}

/** A refusal the caller can act on. Carries extensions.code, a message key and the offending field. */
export class DomainError extends GraphQLError {
  constructor(code: ErrorCode, message: string, options: DomainErrorOptions) {
    super(message, {
      extensions: {
        code,
        messageKey: options.messageKey,
        ...(options.field ? { field: options.field } : {}),
        ...(options.details ? { details: options.details } : {}),
      },
    });
  }
}

export const badInput = (message: string, messageKey: string, field?: string[], details?: Record<string, unknown>) =>
  new DomainError('BAD_USER_INPUT', message, { messageKey, field, details });
export const notFound = (message: string, messageKey: string, field?: string[]) =>
  new DomainError('NOT_FOUND', message, { messageKey, field });
export const conflict = (message: string, messageKey: string, field?: string[]) =>
  new DomainError('CONFLICT', message, { messageKey, field });
export const forbidden = (message = 'Bạn không có quyền thực hiện thao tác này', messageKey = 'FORBIDDEN') =>
  new DomainError('FORBIDDEN', message, { messageKey });
export const unauthenticated = (message = 'Cần đăng nhập (thiếu hoặc sai mã truy cập)', messageKey = 'UNAUTHENTICATED') =>
  new DomainError('UNAUTHENTICATED', message, { messageKey });

/** Turns a zod failure on a mutation input into BAD_USER_INPUT naming every offending field. */
export function inputError(issues: { path: PropertyKey[]; message: string }[], root = 'input'): DomainError {
  const first = issues[0];
  const field = [root, ...(first?.path ?? []).map(String)];
  return badInput(
    `Dữ liệu không hợp lệ: ${issues.map((i) => `${[root, ...i.path.map(String)].join('.')}: ${i.message}`).join('; ')}`,
    'INVALID_INPUT',
    field,
    { issues: issues.map((i) => ({ field: [root, ...i.path.map(String)], message: i.message })) },
  );
}

/** Parses a mutation's input, or refuses it with BAD_USER_INPUT naming every offending field. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, root = 'input'): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw inputError(parsed.error.issues, root);
  return parsed.data;
}
