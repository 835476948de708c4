import { createLogger, PROFILES, startStack } from '@xhht/infra';

/** Starts the whole system on real PostgreSQL and real Kafka once for the test run. */
export default async function globalSetup(): Promise<void> {
  const logger = createLogger('test-stack', process.env.STACK_LOG_LEVEL ?? 'warn');
  const started = Date.now();
  const stack = await startStack(PROFILES.test, logger);
  (globalThis as { __XHHT_STACK__?: unknown }).__XHHT_STACK__ = stack;
  process.stderr.write(`\n[test] stack up in ${Math.round((Date.now() - started) / 1000)}s at ${stack.state.gatewayUrl}\n`);
}
