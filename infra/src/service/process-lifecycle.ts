import { createLogger } from '../logger';

/**
 * Process entry point: starts `boot`, then on SIGTERM / SIGINT stops what it started and exits 0
 * (1 if stopping fails or takes over 15 s). A failure to start exits 1 before serving anything.
 */
export function runUntilSignal(name: string, boot: () => Promise<{ stop(): Promise<void> }>): void {
  boot()
    .then((running) => {
      const shutdown = () => {
        setTimeout(() => process.exit(1), 15000).unref();
        running.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
    })
    .catch((err: Error) => {
      createLogger(name).fatal({ err: err.message }, `${name} failed to start`);
      process.exit(1);
    });
}
