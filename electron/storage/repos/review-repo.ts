/**
 * What the review view reads: the queue of images in the order an annotator works through them,
 * and the candidates of a suggest run for one image, grouped by text (identical samples share one
 * reconstruction, similarity and rank). Read-only; decisions go through DecisionsRepo.
 */
import type { Db } from '../db.js';
import { imageFilter } from './images-repo.js';
import type { StoredImageStatus } from './stored-values.js';

/** The queue's orders (see SORT_KEY). */
export type QueueOrder = 'dataset' | 'uncertain' | 'low-similarity';

export interface QueueQuery {
  /** Null: no run, every image unscored. */
  runId: number | null;
  order: QueueOrder;
  status?: StoredImageStatus | undefined;
  datasetId?: number | undefined;
  /** Start after this image's place in the order (it need not match the filter). */
  after?: number | undefined;
  offset: number;
  limit: number;
}

/** One image's place in the queue, with the run's scores for it (services map it to the API's ReviewQueueEntry). */
export interface QueueEntryRecord {
  imageId: number;
  status: StoredImageStatus;
  /** Similarity of the rank-1 candidate; null when the run has none for the image. */
  similarity: number | null;
  /** Rank-1 similarity minus rank-2; null with fewer than two distinct candidates. */
  margin: number | null;
}

/** One distinct caption of a run for an image: its first sample's row, with how many samples drew it (services map it to the API's ReviewCandidate). */
export interface CandidateGroupRecord {
  id: number;
  runId: number;
  text: string;
  rank: number | null;
  similarity: number | null;
  /** Similarity minus that of the next-ranked distinct caption; null for the last. */
  marginToNext: number | null;
  samples: number;
  hasReconstruction: boolean;
}

/** A candidate row as far as decisions and serving its reconstruction need. */
export interface CandidateRef {
  id: number;
  runId: number;
  imageId: number;
  text: string;
  /** Relative to the project folder; null when nothing was drawn. */
  reconstruction: string | null;
  /** A caption sampled by a suggest run (not a reference scored by a reference audit). */
  suggestion: boolean;
}

interface CandidateRow {
  id: number;
  runId: number;
  text: string;
  similarity: number | null;
  rank: number | null;
  reconstruction: string | null;
}

// Similarity of an image's rank-1 / rank-2 candidate in the run, looked up per image through the
// (run_id, image_id, idx) index: a page in dataset order costs only its own rows, and a score
// order one pass over the filtered images.
const score = (rank: 1 | 2) =>
  `(SELECT c.similarity FROM candidates c WHERE c.run_id = @runId AND c.image_id = i.id AND c.rank = ${rank} AND c.source = 'sampled' LIMIT 1)`;

// The sort key of each order over `top` and `second`, a row value so a page can start after any
// image's place (keyset paging). Unscored images (no candidates in the run) last; among scored
// ones the order asked for, then grid order so the queue is stable. A single distinct candidate
// has no margin: nothing to doubt, so it follows the images that have one.
const SORT_KEY: Record<QueueOrder, string> = {
  dataset: 'id',
  uncertain: `CASE WHEN top IS NULL THEN 2 WHEN second IS NULL THEN 1 ELSE 0 END, COALESCE(top - second, 0), id`,
  'low-similarity': `top IS NULL, COALESCE(top, 0), id`,
};

export class ReviewRepo {
  constructor(private readonly db: Db) {}

  /** The newest suggest run with at least one finished image, or null. */
  latestSuggestRun(): number | null {
    const id = this.db
      .prepare(`SELECT MAX(r.id) FROM runs r WHERE r.kind = 'suggest' AND EXISTS (SELECT 1 FROM candidates c WHERE c.run_id = r.id)`)
      .pluck()
      .get() as number | null;
    return id ?? null;
  }

  isSuggestRun(runId: number): boolean {
    return this.db.prepare(`SELECT 1 FROM runs WHERE id = ? AND kind = 'suggest'`).get(runId) !== undefined;
  }

  /** The newest suggest run with candidates for this image, or null. */
  latestRunFor(imageId: number): number | null {
    const id = this.db
      .prepare(`SELECT MAX(c.run_id) FROM candidates c JOIN runs r ON r.id = c.run_id WHERE c.image_id = ? AND r.kind = 'suggest'`)
      .pluck()
      .get(imageId) as number | null;
    return id ?? null;
  }

  queue(query: QueueQuery): { total: number; items: QueueEntryRecord[] } {
    const { where: filter, params } = imageFilter({ status: query.status, datasetId: query.datasetId });
    const total = this.db.prepare(`SELECT COUNT(*) FROM images i JOIN image_state s ON s.image_id = i.id ${filter}`).pluck().get(params) as number;

    const key = SORT_KEY[query.order];
    // Materialized, so each image's two scores are looked up once, not once per use in the key.
    const scored = (where: string) => `SELECT i.id, s.status, ${score(1)} AS top, ${score(2)} AS second
      FROM images i JOIN image_state s ON s.image_id = i.id ${where}`;
    const cursor = query.after === undefined ? '' : `WHERE (${key}) > (SELECT ${key} FROM (${scored('WHERE i.id = @after')}))`;
    const items = this.db
      .prepare(
        `WITH q AS ${query.order === 'dataset' ? '' : 'MATERIALIZED'} (${scored(filter)})
         SELECT id AS imageId, status, top AS similarity, top - second AS margin FROM q ${cursor}
         ORDER BY ${key}
         LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, ...(query.after === undefined ? {} : { after: query.after }), runId: query.runId ?? 0, limit: query.limit, offset: query.offset }) as QueueEntryRecord[];
    return { total, items };
  }

  /** The run's distinct candidates for an image, best first, with the margin to the next one. */
  candidates(runId: number, imageId: number): CandidateGroupRecord[] {
    const rows = this.db
      .prepare(
        `SELECT id, run_id AS runId, text, similarity, rank, reconstruction FROM candidates
         WHERE run_id = ? AND image_id = ? AND source = 'sampled' ORDER BY idx`,
      )
      .all(runId, imageId) as CandidateRow[];
    const byText = new Map<string, { row: CandidateRow; samples: number }>();
    for (const row of rows) {
      const seen = byText.get(row.text);
      if (seen) seen.samples++;
      else byText.set(row.text, { row, samples: 1 });
    }
    const ranked = [...byText.values()].sort((a, b) => (a.row.rank ?? Infinity) - (b.row.rank ?? Infinity) || a.row.id - b.row.id);
    return ranked.map(({ row, samples }, k) => {
      const next = ranked[k + 1]?.row.similarity;
      return {
        id: row.id,
        runId: row.runId,
        text: row.text,
        rank: row.rank,
        similarity: row.similarity,
        marginToNext: row.similarity !== null && next != null ? row.similarity - next : null,
        samples,
        hasReconstruction: row.reconstruction !== null,
      };
    });
  }

  candidate(id: number): CandidateRef | undefined {
    const row = this.db
      .prepare(
        `SELECT c.id, c.run_id AS runId, c.image_id AS imageId, c.text, c.reconstruction,
           (r.kind = 'suggest' AND c.source = 'sampled') AS suggestion
         FROM candidates c JOIN runs r ON r.id = c.run_id WHERE c.id = ?`,
      )
      .get(id) as (Omit<CandidateRef, 'suggestion'> & { suggestion: number }) | undefined;
    return row && { ...row, suggestion: row.suggestion === 1 };
  }
}
