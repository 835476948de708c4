/** Progress on stderr: a redrawn bar on a terminal, a log line every few seconds otherwise (CI, files). */
export class Progress {
  private readonly started = Date.now();
  private lastDraw = 0;
  private readonly tty: boolean;

  constructor(
    private total: number,
    private readonly label: string,
    private readonly out: NodeJS.WriteStream | null = process.stderr,
    private readonly logEveryMs = 5000,
  ) {
    this.tty = Boolean(out?.isTTY);
  }

  update(done: number, force = false): void {
    if (!this.out) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < (this.tty ? 100 : this.logEveryMs)) return;
    this.lastDraw = now;
    if (done > this.total) this.total = done;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(done / seconds);
    const share = this.total > 0 ? done / this.total : 1;
    if (this.tty) {
      const width = 30;
      const filled = Math.round(share * width);
      this.out.write(
        `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} dòng · ${rate} dòng/s · ${seconds.toFixed(1)}s\x1b[K`,
      );
    } else {
      this.out.write(`${this.label}: ${done}/${this.total} dòng (${Math.round(share * 100)}%), ${rate} dòng/s\n`);
    }
  }

  done(done: number): void {
    this.total = done;
    this.update(done, true);
    if (this.tty && this.out) this.out.write('\n');
  }
}
