/**
 * Progress of a report in work units (images scored, images embedded) against a total planned up
 * front, and cooperative yielding: scoring is synchronous CPU work, so the builder hands the
 * event loop back every few milliseconds — the API keeps answering, Ctrl+C is seen, and an
 * aborted signal stops the report at the next step.
 */
export interface ReportProgressUpdate {
  phase: string;
  done: number;
  total: number;
}

export type ReportProgressCallback = (update: ReportProgressUpdate) => void;

const SLICE_MS = 30;

/** A cancellation (AbortSignal) rather than a failure: it ends the whole report. */
export function isAbort(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'AbortError';
}

/** The first line of an error's message, for a note in the report. */
export function firstLine(error: unknown): string {
  return String((error as Error | undefined)?.message ?? error).split('\n')[0]!;
}

export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ReportProgress {
  private done = 0;
  private sliceStart = performance.now();
  phase = 'starting';

  constructor(
    readonly total: number,
    private readonly onProgress: ReportProgressCallback | undefined,
    readonly signal: AbortSignal | undefined,
  ) {}

  /** Starts a phase (reported at once). */
  begin(phase: string): void {
    this.phase = phase;
    this.signal?.throwIfAborted();
    this.report();
  }

  /** Counts `units` done; yields to the event loop when this slice of work has run long enough. */
  async step(units = 1): Promise<void> {
    this.done = Math.min(this.total, this.done + units);
    if (performance.now() - this.sliceStart >= SLICE_MS) {
      this.report();
      await yieldToEventLoop();
      this.sliceStart = performance.now();
    }
    this.signal?.throwIfAborted();
  }

  /** Marks a phase's remaining planned units done (work that turned out smaller than planned). */
  skipTo(done: number): void {
    this.done = Math.min(this.total, Math.max(this.done, done));
  }

  get completed(): number {
    return this.done;
  }

  finish(): void {
    this.done = this.total;
    this.phase = 'finished';
    this.report();
  }

  private report(): void {
    this.onProgress?.({ phase: this.phase, done: this.done, total: this.total });
  }
}
