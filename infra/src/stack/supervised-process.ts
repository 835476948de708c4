import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, writeFileSync, rmSync } from 'node:fs';
import type { Logger } from '../logger';

export interface ProcessSpec {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  pidFile: string;
  /** URL answering 200 once the process is ready. */
  readyUrl: string;
}

/**
 * Runs one Node service as a child process, restarts it when it exits unexpectedly (a consumer
 * that cannot recover exits non-zero on purpose), and stops it with SIGTERM.
 */
export class SupervisedProcess {
  private child?: ChildProcess;
  private stopping = false;
  restarts = 0;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly logger: Logger,
  ) {}

  start(): void {
    const out = openSync(this.spec.logFile, 'a');
    const child = spawn(process.execPath, [this.spec.script], { env: this.spec.env, stdio: ['ignore', out, out] });
    this.child = child;
    writeFileSync(this.spec.pidFile, String(child.pid));
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.restarts++;
      this.logger.warn({ process: this.spec.name, code, signal, restarts: this.restarts }, 'process exited; restarting');
      setTimeout(() => !this.stopping && this.start(), 1000);
    });
  }

  async waitReady(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ok = await fetch(this.spec.readyUrl, { signal: AbortSignal.timeout(2000) })
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`${this.spec.name} was not ready within ${timeoutMs / 1000}s; see ${this.spec.logFile}`);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.spec.pidFile, { force: true });
  }
}
