/** Progress reporting for long imports and exports, throttled so thousands of files do not flood the UI. */

export interface ProgressUpdate {
  phase: string;
  done: number;
  total: number;
}

export type ProgressFn = (update: ProgressUpdate) => void;

/** Reports every `every` items and once more at the end, so the last update always shows done === total. */
export class ProgressTicker {
  private done = 0;
  private reported = -1;

  constructor(
    private readonly onProgress: ProgressFn | undefined,
    private readonly phase: string,
    private readonly total: number,
    private readonly every = 50,
  ) {}

  /** Reports the start (0 of total) so a UI can show the phase before the first item finishes. */
  start(): this {
    this.report();
    return this;
  }

  tick(count = 1): void {
    this.done += count;
    if (this.done - this.reported >= this.every) this.report();
  }

  finish(): void {
    this.done = Math.max(this.done, this.total);
    if (this.reported !== this.done) this.report();
  }

  private report(): void {
    this.reported = this.done;
    this.onProgress?.({ phase: this.phase, done: this.done, total: this.total });
  }
}
