import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import type { Logger } from '../logger';

import { ERROR_CODES } from '../errors';

/** Codes that are safe to show as they are: ours (but the internal one) and Apollo's request errors. */
const KNOWN_CODES = new Set<string>([
  ...ERROR_CODES.filter((c) => c !== 'INTERNAL_SERVER_ERROR'),
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Domain errors pass through as they are; anything unexpected is logged and masked. */
export const formatError =
  (logger: Logger) =>
  (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && KNOWN_CODES.has(code)) return formatted;
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError && typeof original.extensions?.code === 'string' && KNOWN_CODES.has(original.extensions.code)) {
      return formatted;
    }
    logger.error({ err: (original as Error)?.message, stack: (original as Error)?.stack, path: formatted.path }, 'unexpected error');
    return { message: 'Lỗi hệ thống, vui lòng thử lại sau', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
