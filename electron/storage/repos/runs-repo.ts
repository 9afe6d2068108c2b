/**
 * Persistent runs of the reconstruction engine. An item (one image of a run) is finished in a
 * single transaction together with everything it produced, so after a crash an item is either
 * wholly there or still pending — never half-written, never computed twice.
 *
 * Ownership: a run is executed by the app's job host or by a CLI command, in different processes
 * on one database, so a process takes a run with `claim` before executing it and gives it back
 * with `release`. While it holds the run (status 'running', `owner` set) it calls `heartbeat`
 * every few seconds; a claim whose heartbeat is older than RUN_CLAIM_STALE_MS, or whose owner
 * process is gone from this machine, is abandoned (killed, crashed) and may be taken over.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { Db } from '../db.js';

/**
 * How long a claim lives without a heartbeat. Holders beat every 5 s (run-runner.ts), so this
 * allows for several missed beats: an event loop held for seconds by a synchronous onnxruntime
 * call or image decode, a database briefly busy. It is also how long a run of a process killed
 * on another machine (a project on a shared drive) stays blocked; on this machine a dead owner
 * is noticed at once.
 */
export const RUN_CLAIM_STALE_MS = 30_000;

/**
 * A new owner name for one claim: `PID@HOST#TOKEN`. The pid and host let another process see
 * that the owner died; the random token keeps two executions within one process (and a reused
 * pid) from mistaking each other's claims.
 */
export function newRunOwner(): string {
  return `${process.pid}@${hostname()}#${randomBytes(4).toString('hex')}`;
}

export function parseRunOwner(owner: string): { pid: number; host: string } | undefined {
  const match = /^(\d+)@(.*)#[0-9a-f]+$/.exec(owner);
  return match ? { pid: Number(match[1]), host: match[2]! } : undefined;
}

/** True when `owner` names a process of this machine that no longer exists. */
function ownerProcessGone(owner: string): boolean {
  const parsed = parseRunOwner(owner);
  if (!parsed || parsed.host !== hostname()) return false;
  try {
    process.kill(parsed.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Who holds a running run, and when it last said it is alive. */
export interface RunHolder {
  owner: string | null;
  heartbeatAt: string | null;
}

export type RunKind = 'suggest' | 'verify-images' | 'reference-audit';
export type RunStatus = 'queued' | 'running' | 'paused' | 'cancelled' | 'completed' | 'failed';

export interface RunRecord {
  id: number;
  kind: RunKind;
  status: RunStatus;
  settings: unknown;
  createdAt: string;
  updatedAt: string;
  error: string | null;
  total: number;
  done: number;
  failed: number;
}

export interface NewCandidate {
  idx: number;
  source: 'sampled' | 'reference';
  referenceId?: number | null;
  text: string;
  logProb?: number | null;
  reconstruction?: string | null;
  seed?: number | null;
  similarity?: number | null;
  rank?: number | null;
}

export interface CandidateRecord extends Required<NewCandidate> {
  id: number;
  runId: number;
  imageId: number;
}

/** Text → image → text: one image generated for a source text, captioned back and scored. */
export interface NewGeneratedImage {
  referenceId: number | null;
  text: string;
  idx: number;
  seed: number;
  /** Relative to the project folder. */
  path: string;
  recaption?: string | null;
  textSimilarity?: number | null;
  cider?: number | null;
  realSimilarity?: number | null;
  rank?: number | null;
}

export interface GeneratedImageRecord extends Required<NewGeneratedImage> {
  id: number;
  runId: number;
  imageId: number;
}

/** A reference caption scored by reconstruction, with how far it falls below its image's best reference. */
export interface ReferenceScore extends CandidateRecord {
  /** Best similarity among the image's references minus this one's (0 for the best). */
  gap: number;
}

export interface ItemResults {
  candidates?: NewCandidate[];
  generatedImages?: NewGeneratedImage[];
  /** Per-stage timings in milliseconds, kept for benchmarks and the jobs view. */
  timings?: Record<string, number>;
}

interface RunRow {
  id: number;
  kind: RunKind;
  status: RunStatus;
  settings: string;
  created_at: string;
  updated_at: string;
  error: string | null;
  total: number;
  done: number;
  failed: number;
}

const SELECT_RUN = `
  SELECT r.*,
    (SELECT COUNT(*) FROM run_items i WHERE i.run_id = r.id) AS total,
    (SELECT COUNT(*) FROM run_items i WHERE i.run_id = r.id AND i.status = 'done') AS done,
    (SELECT COUNT(*) FROM run_items i WHERE i.run_id = r.id AND i.status = 'failed') AS failed
  FROM runs r`;

const toRun = (r: RunRow): RunRecord => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  settings: JSON.parse(r.settings),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  error: r.error,
  total: r.total,
  done: r.done,
  failed: r.failed,
});

export class RunsRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  create(kind: RunKind, settings: unknown, imageIds: readonly number[]): RunRecord {
    return this.db.transaction(() => {
      const at = this.now().toISOString();
      const { lastInsertRowid } = this.db
        .prepare(`INSERT INTO runs (kind, status, settings, created_at, updated_at) VALUES (?, 'queued', ?, ?, ?)`)
        .run(kind, JSON.stringify(settings), at, at);
      const runId = Number(lastInsertRowid);
      const item = this.db.prepare(`INSERT INTO run_items (run_id, image_id, position, status) VALUES (?, ?, ?, 'pending')`);
      imageIds.forEach((imageId, position) => item.run(runId, imageId, position));
      return this.get(runId)!;
    })();
  }

  get(id: number): RunRecord | undefined {
    const row = this.db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(id) as RunRow | undefined;
    return row && toRun(row);
  }

  list(): RunRecord[] {
    return (this.db.prepare(`${SELECT_RUN} ORDER BY r.id`).all() as RunRow[]).map(toRun);
  }

  /** Sets the status of a run nobody executes (queued, paused…); it drops any claim. Executors use claim/release. */
  setStatus(id: number, status: RunStatus, error: string | null = null): void {
    this.db
      .prepare(`UPDATE runs SET status = ?, error = ?, owner = NULL, heartbeat_at = NULL, updated_at = ? WHERE id = ?`)
      .run(status, error, this.now().toISOString(), id);
  }

  /** Like setStatus, only while the run is `from` (a run someone claimed meanwhile is left alone). */
  setStatusIf(id: number, from: RunStatus, status: RunStatus, error: string | null = null): boolean {
    return (
      this.db
        .prepare(`UPDATE runs SET status = ?, error = ?, owner = NULL, heartbeat_at = NULL, updated_at = ? WHERE id = ? AND status = ?`)
        .run(status, error, this.now().toISOString(), id, from).changes === 1
    );
  }

  /** The holder of a running run; undefined when the run is not running. */
  holder(id: number): RunHolder | undefined {
    return this.db.prepare(`SELECT owner, heartbeat_at AS heartbeatAt FROM runs WHERE id = ? AND status = 'running'`).get(id) as RunHolder | undefined;
  }

  /** A running run whose holder stopped without releasing it: no owner, a stale heartbeat, or a dead owner process. */
  isAbandoned(holder: RunHolder): boolean {
    if (holder.owner === null || holder.heartbeatAt === null) return true;
    if (this.now().getTime() - Date.parse(holder.heartbeatAt) > RUN_CLAIM_STALE_MS) return true;
    return ownerProcessGone(holder.owner);
  }

  /**
   * Takes a run for `owner` and marks it running: a queued, paused or failed run, or a running
   * one whose holder abandoned it. Atomic across processes (one conditional UPDATE; an abandoned
   * claim is replaced only if it is still the one judged abandoned). False when another process
   * holds the run, or it is completed, cancelled or missing.
   */
  claim(id: number, owner: string): boolean {
    const at = this.now().toISOString();
    const set = `UPDATE runs SET status = 'running', owner = ?, heartbeat_at = ?, error = NULL, updated_at = ?`;
    const held = this.holder(id);
    if (held) {
      if (!this.isAbandoned(held)) return false;
      return this.db.prepare(`${set} WHERE id = ? AND status = 'running' AND owner IS ? AND heartbeat_at IS ?`).run(owner, at, at, id, held.owner, held.heartbeatAt).changes === 1;
    }
    return this.db.prepare(`${set} WHERE id = ? AND status IN ('queued', 'paused', 'failed')`).run(owner, at, at, id).changes === 1;
  }

  /** Says `owner` is still executing the run; false once it no longer holds it (taken over, or stopped from elsewhere). */
  heartbeat(id: number, owner: string): boolean {
    return this.db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = ? AND owner = ? AND status = 'running'`).run(this.now().toISOString(), id, owner).changes === 1;
  }

  /** Gives the run back with its new status; false (and nothing changed) if `owner` does not hold it. */
  release(id: number, owner: string, status: Exclude<RunStatus, 'running'>, error: string | null = null): boolean {
    return (
      this.db
        .prepare(`UPDATE runs SET status = ?, error = ?, owner = NULL, heartbeat_at = NULL, updated_at = ? WHERE id = ? AND owner = ?`)
        .run(status, error, this.now().toISOString(), id, owner).changes === 1
    );
  }

  /** Sets `status` on a running run whose holder abandoned it; false if it is not running or its holder is alive. */
  releaseAbandoned(id: number, status: Exclude<RunStatus, 'running'>, error: string | null = null): boolean {
    const held = this.holder(id);
    if (!held || !this.isAbandoned(held)) return false;
    return (
      this.db
        .prepare(
          `UPDATE runs SET status = ?, error = ?, owner = NULL, heartbeat_at = NULL, updated_at = ?
           WHERE id = ? AND status = 'running' AND owner IS ? AND heartbeat_at IS ?`,
        )
        .run(status, error, this.now().toISOString(), id, held.owner, held.heartbeatAt).changes === 1
    );
  }

  /**
   * Makes a run's failed items pending again (a resume retries them: the cause — a file on an
   * unmounted drive, an allocation failure — may be gone). A completed run with failures becomes
   * paused, so it can be resumed. Returns how many items were reset.
   */
  retryFailed(id: number): number {
    return this.db.transaction(() => {
      const reset = this.db
        .prepare(`UPDATE run_items SET status = 'pending', error = NULL, finished_at = NULL, timings = NULL WHERE run_id = ? AND status = 'failed'`)
        .run(id).changes;
      if (reset > 0) {
        this.db.prepare(`UPDATE runs SET status = 'paused', error = NULL, updated_at = ? WHERE id = ? AND status = 'completed'`).run(this.now().toISOString(), id);
      }
      return reset;
    })();
  }

  /** The next pending images of a run, in the order the run was created with. */
  pendingItems(runId: number, limit: number): number[] {
    return this.db
      .prepare(`SELECT image_id FROM run_items WHERE run_id = ? AND status = 'pending' ORDER BY position LIMIT ?`)
      .pluck()
      .all(runId, limit) as number[];
  }

  /**
   * Stores an item's results and marks it done, atomically; refuses (CONFLICT) an item that is not
   * pending, and — given `owner` — a run that `owner` no longer holds, so a process that lost its
   * claim never writes. Given `owner`, it also counts as a heartbeat.
   */
  completeItem(runId: number, imageId: number, results: ItemResults, owner?: string): void {
    this.db.transaction(() => {
      this.claimPending(runId, imageId, 'done', null, results.timings, owner);
      const insert = this.db.prepare(
        `INSERT INTO candidates (run_id, image_id, idx, source, reference_id, text, log_prob, reconstruction, seed, similarity, rank)
         VALUES (@runId, @imageId, @idx, @source, @referenceId, @text, @logProb, @reconstruction, @seed, @similarity, @rank)`,
      );
      for (const c of results.candidates ?? []) {
        insert.run({
          runId,
          imageId,
          idx: c.idx,
          source: c.source,
          referenceId: c.referenceId ?? null,
          text: c.text,
          logProb: c.logProb ?? null,
          reconstruction: c.reconstruction ?? null,
          seed: c.seed ?? null,
          similarity: c.similarity ?? null,
          rank: c.rank ?? null,
        });
      }
      const insertGenerated = this.db.prepare(
        `INSERT INTO generated_images (run_id, image_id, reference_id, text, idx, seed, path, recaption, text_similarity, cider, real_similarity, rank)
         VALUES (@runId, @imageId, @referenceId, @text, @idx, @seed, @path, @recaption, @textSimilarity, @cider, @realSimilarity, @rank)`,
      );
      for (const g of results.generatedImages ?? []) {
        insertGenerated.run({
          runId,
          imageId,
          referenceId: g.referenceId,
          text: g.text,
          idx: g.idx,
          seed: g.seed,
          path: g.path,
          recaption: g.recaption ?? null,
          textSimilarity: g.textSimilarity ?? null,
          cider: g.cider ?? null,
          realSimilarity: g.realSimilarity ?? null,
          rank: g.rank ?? null,
        });
      }
    })();
  }

  /** Marks an item failed, with the same guards as completeItem. */
  failItem(runId: number, imageId: number, error: string, owner?: string): void {
    this.db.transaction(() => this.claimPending(runId, imageId, 'failed', error, undefined, owner))();
  }

  candidates(runId: number, imageId: number): CandidateRecord[] {
    return (
      this.db
        .prepare(
          `SELECT id, run_id AS runId, image_id AS imageId, idx, source, reference_id AS referenceId, text, log_prob AS logProb,
             reconstruction, seed, similarity, rank
           FROM candidates WHERE run_id = ? AND image_id = ? ORDER BY idx`,
        )
        .all(runId, imageId) as CandidateRecord[]
    );
  }

  /** Every image of a run in the order it was created with, whatever the items' status. */
  itemImageIds(runId: number): number[] {
    return this.db.prepare(`SELECT image_id FROM run_items WHERE run_id = ? ORDER BY position`).pluck().all(runId) as number[];
  }

  /** Images generated for an image's source texts, by reference then seed index. */
  generatedImages(runId: number, imageId: number): GeneratedImageRecord[] {
    return this.db
      .prepare(
        `SELECT id, run_id AS runId, image_id AS imageId, reference_id AS referenceId, text, idx, seed, path, recaption,
           text_similarity AS textSimilarity, cider, real_similarity AS realSimilarity, rank
         FROM generated_images WHERE run_id = ? AND image_id = ? ORDER BY reference_id, idx`,
      )
      .all(runId, imageId) as GeneratedImageRecord[];
  }

  /**
   * A reference audit's references, weakest first: by the gap below the best reference of the
   * same image (an image that is hard to draw does not make all its references look weak), then
   * by similarity. What the audit view lists to flag annotation problems.
   */
  weakestReferences(runId: number, limit: number): ReferenceScore[] {
    return this.db
      .prepare(
        `SELECT id, run_id AS runId, image_id AS imageId, idx, source, reference_id AS referenceId, text, log_prob AS logProb,
           reconstruction, seed, similarity, rank,
           MAX(similarity) OVER (PARTITION BY image_id) - similarity AS gap
         FROM candidates WHERE run_id = ? AND source = 'reference' AND similarity IS NOT NULL
         ORDER BY gap DESC, similarity, image_id, idx LIMIT ?`,
      )
      .all(runId, limit) as ReferenceScore[];
  }

  private claimPending(
    runId: number,
    imageId: number,
    status: 'done' | 'failed',
    error: string | null,
    timings: Record<string, number> | undefined,
    owner: string | undefined,
  ): void {
    const at = this.now().toISOString();
    // The item is written first, so the transaction holds the write lock from its first statement on.
    const { changes } = this.db
      .prepare(
        `UPDATE run_items SET status = ?, error = ?, finished_at = ?, timings = ?
         WHERE run_id = ? AND image_id = ? AND status = 'pending'`,
      )
      .run(status, error, at, timings ? JSON.stringify(timings) : null, runId, imageId);
    if (changes !== 1) {
      throw new ApiError(ErrorCode.Conflict, `Image ${imageId} of run ${runId} is not pending; it was finished already or is not in the run.`);
    }
    if (owner === undefined) {
      this.db.prepare(`UPDATE runs SET updated_at = ? WHERE id = ?`).run(at, runId);
    } else if (this.db.prepare(`UPDATE runs SET updated_at = ?, heartbeat_at = ? WHERE id = ? AND owner = ? AND status = 'running'`).run(at, at, runId, owner).changes !== 1) {
      // Throwing rolls the item back: it stays pending for the process that holds the run now.
      throw new ApiError(ErrorCode.Conflict, `Run ${runId} is no longer held by this process (${owner}); image ${imageId} was not stored.`);
    }
  }
}
