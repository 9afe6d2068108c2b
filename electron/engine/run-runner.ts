/**
 * Drives a persistent run item by item: takes the next pending image, computes it, stores its
 * results with the item in one transaction, reports progress (done/total, rate, ETA), and stops
 * cleanly between items when paused or cancelled. A process killed mid-item loses only that
 * item's unsaved work; running the same run again continues at the first pending image.
 *
 * The runner executes a run only while its process holds it (RunsRepo.claim): it heartbeats each
 * item and every RUN_HEARTBEAT_MS, and once another process has taken the run over (this one
 * looked dead) it stops without touching the run — the outcome says 'lost'.
 */
import { ErrorCode } from '../../shared/contract/errors.js';
import { newRunOwner, type ItemResults, type RunRecord, type RunsRepo } from '../storage/repos/runs-repo.js';

/** How often a holder says it is alive; a claim is stale after RUN_CLAIM_STALE_MS (30 s) without a beat. */
export const RUN_HEARTBEAT_MS = 5_000;

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
  /** The claim the caller took before opening models (RunsRepo.claim); without one the runner claims the run itself. */
  owner?: string;
}

export interface RunOutcome {
  /** 'lost': another process holds the run (from the start, or it took it over); the run was left to it. */
  status: RunRecord['status'] | 'lost';
  processed: number;
}

export interface HeldClaim {
  /** False once a heartbeat found the run held by someone else. */
  held(): boolean;
  stop(): void;
}

/** Heartbeats `owner`'s claim on a run every `everyMs` until stopped (the timer does not keep the process alive). */
export function keepClaim(runs: RunsRepo, runId: number, owner: string, everyMs = RUN_HEARTBEAT_MS): HeldClaim {
  let held = true;
  const timer = setInterval(() => {
    try {
      held &&= runs.heartbeat(runId, owner);
    } catch {
      // Database busy or closed (the app quitting): a missed beat is what the staleness window allows for.
    }
  }, everyMs);
  timer.unref();
  return { held: () => held, stop: () => clearInterval(timer) };
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
    const given = options.control?.owner;
    const owner = given ?? newRunOwner();
    if (!(given !== undefined ? this.runs.heartbeat(runId, owner) : this.runs.claim(runId, owner))) return { status: 'lost', processed: 0 };
    const claim = keepClaim(this.runs, runId, owner);
    try {
      return await this.loop(runId, owner, claim, processItem, options);
    } finally {
      claim.stop();
    }
  }

  private async loop(
    runId: number,
    owner: string,
    claim: HeldClaim,
    processItem: ProcessItem,
    options: { control?: RunControl; onProgress?: (p: RunProgress) => void },
  ): Promise<RunOutcome> {
    const started = this.clock();
    let processed = 0;
    const lost = (): RunOutcome => ({ status: 'lost', processed });
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
      // Checked before each item, so a process that lost the run does not start computing another.
      if (!claim.held() || !this.runs.heartbeat(runId, owner)) return lost();
      const wanted = options.control?.requested() ?? null;
      if (wanted) {
        const status = wanted === 'pause' ? 'paused' : 'cancelled';
        return this.runs.release(runId, owner, status) ? { status, processed } : lost();
      }
      const [imageId] = this.runs.pendingItems(runId, 1);
      if (imageId === undefined) break;
      let item: { results: ItemResults } | { error: unknown };
      try {
        item = { results: await processItem(imageId) };
      } catch (error) {
        if (isFatal(error)) {
          // The worker or a model is gone: every further item would fail the same way.
          this.runs.release(runId, owner, 'failed', message(error));
          throw error;
        }
        item = { error };
      }
      if (!this.store(runId, imageId, owner, item)) return lost();
      processed++;
      report();
    }
    const final = this.runs.get(runId)!;
    return this.runs.release(runId, owner, 'completed', final.failed > 0 ? `${final.failed} item(s) failed` : null) ? { status: 'completed', processed } : lost();
  }

  /** Stores an item's results or its failure; false when the guard refuses it (CONFLICT: the run was taken over, or the item finished elsewhere). */
  private store(runId: number, imageId: number, owner: string, item: { results: ItemResults } | { error: unknown }): boolean {
    try {
      if ('results' in item) this.runs.completeItem(runId, imageId, item.results, owner);
      else this.runs.failItem(runId, imageId, message(item.error), owner);
      return true;
    } catch (error) {
      if ((error as { code?: unknown })?.code === ErrorCode.Conflict) return false;
      throw error;
    }
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
