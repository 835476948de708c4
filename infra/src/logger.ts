import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Tokens, credentials and personal data never reach a log line:
 * the paths below are censored wherever they appear.
 */
export const REDACTED_PATHS = [
  'authorization',
  'token',
  'password',
  'secret',
  '*.authorization',
  '*.token',
  '*.password',
  '*.secret',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-xhht-gateway"]',
  'headers["x-xhht-gateway"]',
  '*.JWT_SECRET',
  '*.GATEWAY_SECRET',
  '*.DATABASE_URL',
];

export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
