import path from 'node:path';
import { z } from 'zod';

export const gatewayConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters'),
  GATEWAY_SECRET: z.string().min(32, 'GATEWAY_SECRET must be at least 32 characters'),
  SUPERGRAPH_PATH: z.string().default(path.resolve(__dirname, '../../schema/supergraph.graphql')),
  /** Override the routing URLs composed into the supergraph (per subgraph). */
  ORG_URL: z.string().url().optional(),
  RECOGNITION_URL: z.string().url().optional(),
  REPORTING_URL: z.string().url().optional(),
  AWARDS_URL: z.string().url().optional(),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(50).default(12),
  MAX_BODY_BYTES: z.coerce.number().int().min(1000).default(1_000_000),
  /** Largest raw body relayed to an upload route (a backstop: each route has its own, smaller limit). */
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1000)
    .default(25 * 1024 * 1024),
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
