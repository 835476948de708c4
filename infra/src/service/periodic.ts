import type { Logger } from '../logger';

/**
 * Runs `task` once a second after start and then every `intervalMs` until stopped; a failure is
 * logged and the task runs again next time. `stop` waits for a run in progress.
 */
export function startPeriodic(name: string, intervalMs: number, task: () => Promise<void>, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = task().catch((err: Error) => logger.warn({ err: err.message, task: name }, `${name} failed; will retry`));
  };
  const first = setTimeout(run, 1000);
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
