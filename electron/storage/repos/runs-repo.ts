/**
 * Persistent runs of the reconstruction engine. An item (one image of a run) is finished in a
 * single transaction together with everything it produced, so after a crash an item is either
 * wholly there or still pending — never half-written, never computed twice.
 */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { Db } from '../db.js';

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

  setStatus(id: number, status: RunStatus, error: string | null = null): void {
    this.db.prepare(`UPDATE runs SET status = ?, error = ?, updated_at = ? WHERE id = ?`).run(status, error, this.now().toISOString(), id);
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

  /** Stores an item's results and marks it done, atomically; refuses an item that is not pending. */
  completeItem(runId: number, imageId: number, results: ItemResults): void {
    this.db.transaction(() => {
      this.claimPending(runId, imageId, 'done', null, results.timings);
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

  failItem(runId: number, imageId: number, error: string): void {
    this.db.transaction(() => this.claimPending(runId, imageId, 'failed', error, undefined))();
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

  private claimPending(runId: number, imageId: number, status: 'done' | 'failed', error: string | null, timings: Record<string, number> | undefined): void {
    const { changes } = this.db
      .prepare(
        `UPDATE run_items SET status = ?, error = ?, finished_at = ?, timings = ?
         WHERE run_id = ? AND image_id = ? AND status = 'pending'`,
      )
      .run(status, error, this.now().toISOString(), timings ? JSON.stringify(timings) : null, runId, imageId);
    if (changes !== 1) {
      throw new ApiError(ErrorCode.Conflict, `Image ${imageId} of run ${runId} is not pending; it was finished already or is not in the run.`);
    }
    this.db.prepare(`UPDATE runs SET updated_at = ? WHERE id = ?`).run(this.now().toISOString(), runId);
  }
}
