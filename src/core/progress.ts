// One-line progress on stderr for long jobs (events, epochs): redrawn in place on a TTY, one line per step otherwise.

export class Progress {
  private done = 0;
  private readonly t0 = performance.now();
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = 'events',
  ) {}

  /** Marks `n` more items done; `detail` is appended (e.g. "98,312 hits"). */
  tick(n = 1, detail = ''): void {
    this.done += n;
    const now = performance.now();
    const finished = this.done >= this.total;
    // On a TTY redraw at most 10×/s; in logs (CI) print every step so the log shows progress.
    if (process.stderr.isTTY && !finished && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const elapsedS = (now - this.t0) / 1000;
    const rate = this.done / Math.max(elapsedS, 1e-9);
    const width = 24;
    const filled = Math.round((width * this.done) / Math.max(this.total, 1));
    const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
    const line =
      `${this.label} [${bar}] ${this.done}/${this.total} ${this.unit} ` +
      `${elapsedS.toFixed(1)} s (${rate.toFixed(2)} ${this.unit}/s)${detail ? ' ' + detail : ''}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${finished ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  }
}
