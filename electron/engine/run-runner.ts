/**
 * Drives a persistent run item by item: takes the next pending image, computes it, stores its
 * results with the item in one transaction, reports progress (done/total, rate, ETA), and stops
 * cleanly between items when paused or cancelled. A process killed mid-item loses only that
 * item's unsaved work; running the same run again continues at the first pending image.
 */
import type { ItemResults, RunRecord, RunsRepo } from '../storage/repos/runs-repo.js';

export interface RunProgress {
  runId: number;
  done: number;
  failed: number;
  total: number;
  /** Items finished per second in this session of the run (not counting earlier sessions). */
  itemsPerSecond: number;
  /** Seconds left at the current rate, or null before the first item finishes. */
  etaSeconds: number | null;
}

export type ProcessItem = (imageId: number) => Promise<ItemResults>;

export interface RunControl {
  /** Checked between items: 'pause' and 'cancel' stop the loop with that status. */
  requested(): 'pause' | 'cancel' | null;
}

export interface RunOutcome {
  status: RunRecord['status'];
  processed: number;
}

export class RunRunner {
  constructor(
    private readonly runs: RunsRepo,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  async run(runId: number, processItem: ProcessItem, options: { control?: RunControl; onProgress?: (p: RunProgress) => void } = {}): Promise<RunOutcome> {
    const run = this.runs.get(runId);
    if (!run) throw new Error(`Run ${runId} does not exist`);
    if (run.status === 'completed' || run.status === 'cancelled') return { status: run.status, processed: 0 };
    this.runs.setStatus(runId, 'running');
    const started = this.clock();
    let processed = 0;
    const report = () => {
      const current = this.runs.get(runId)!;
      const elapsed = (this.clock() - started) / 1000;
      const rate = processed > 0 && elapsed > 0 ? processed / elapsed : 0;
      const left = current.total - current.done - current.failed;
      options.onProgress?.({
        runId,
        done: current.done,
        failed: current.failed,
        total: current.total,
        itemsPerSecond: rate,
        etaSeconds: rate > 0 ? left / rate : null,
      });
    };
    report();
    for (;;) {
      const wanted = options.control?.requested() ?? null;
      if (wanted) {
        const status = wanted === 'pause' ? 'paused' : 'cancelled';
        this.runs.setStatus(runId, status);
        return { status, processed };
      }
      const [imageId] = this.runs.pendingItems(runId, 1);
      if (imageId === undefined) break;
      try {
        const results = await processItem(imageId);
        this.runs.completeItem(runId, imageId, results);
      } catch (error) {
        if (isFatal(error)) {
          // The worker or a model is gone: every further item would fail the same way.
          this.runs.setStatus(runId, 'failed', message(error));
          throw error;
        }
        this.runs.failItem(runId, imageId, message(error));
      }
      processed++;
      report();
    }
    const final = this.runs.get(runId)!;
    this.runs.setStatus(runId, 'completed', final.failed > 0 ? `${final.failed} item(s) failed` : null);
    return { status: 'completed', processed };
  }
}

/** Errors that mean the engine itself is broken, not this one image. */
function isFatal(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'WORKER_EXITED' || code === 'CANCELLED';
}

function message(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 500);
}
