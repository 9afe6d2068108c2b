/**
 * What the audit view reads besides a run's results in bulk (RunResultsRepo): the newest run of
 * a kind that has results, the weakest references of a reference audit a page at a time, and the
 * file names and statuses of the images on a page. Read-only.
 */
import type { Db } from '../db.js';
import type { RunKind } from './runs-repo.js';
import type { StoredImageStatus } from './stored-values.js';

/** A sampled caption of a suggest run, as far as the audit compares it. */
export interface SampledCandidate {
  id: number;
  imageId: number;
  idx: number;
  text: string;
  similarity: number | null;
  rank: number | null;
}

export interface ImageLabel {
  fileName: string;
  status: StoredImageStatus;
}

/** A reference a reference audit scored, with the best-scored reference of its image (services map it to the API's WeakReference). */
export interface WeakReferenceRecord {
  candidateId: number;
  imageId: number;
  fileName: string;
  referenceId: number | null;
  text: string;
  similarity: number;
  gap: number;
  bestCandidateId: number;
  bestText: string;
  bestSimilarity: number;
}

export class AuditRepo {
  constructor(private readonly db: Db) {}

  /** The newest run of `kind` with at least one candidate stored, or null. */
  latestRunWithResults(kind: RunKind): number | null {
    const id = this.db
      .prepare(`SELECT MAX(r.id) FROM runs r WHERE r.kind = ? AND EXISTS (SELECT 1 FROM candidates c WHERE c.run_id = r.id)`)
      .pluck()
      .get(kind) as number | null;
    return id ?? null;
  }

  /**
   * Each image's suggestion similarity in a suggest run (its highest: the suggestion is the best
   * reconstruction), lowest first; images without a scored candidate are left out.
   */
  suggestionSimilarities(runId: number): { imageId: number; similarity: number }[] {
    return this.db
      .prepare(
        `SELECT image_id AS imageId, MAX(similarity) AS similarity FROM candidates
         WHERE run_id = ? AND source = 'sampled' AND similarity IS NOT NULL
         GROUP BY image_id ORDER BY similarity, image_id`,
      )
      .all(runId) as { imageId: number; similarity: number }[];
  }

  /** The run's sampled candidates of the given images, by image then sampling order. */
  sampledCandidates(runId: number, imageIds: readonly number[]): SampledCandidate[] {
    return this.db
      .prepare(
        `SELECT id, image_id AS imageId, idx, text, similarity, rank FROM candidates
         WHERE run_id = ? AND source = 'sampled' AND image_id IN (SELECT value FROM json_each(?)) ORDER BY image_id, idx`,
      )
      .all(runId, JSON.stringify(imageIds)) as SampledCandidate[];
  }

  /** Reference texts of the given images, each image's in insertion order. */
  references(imageIds: readonly number[]): Map<number, string[]> {
    const rows = this.db
      .prepare(`SELECT image_id AS imageId, text FROM reference_captions WHERE image_id IN (SELECT value FROM json_each(?)) ORDER BY image_id, id`)
      .all(JSON.stringify(imageIds)) as { imageId: number; text: string }[];
    const byImage = new Map<number, string[]>();
    for (const { imageId, text } of rows) byImage.set(imageId, [...(byImage.get(imageId) ?? []), text]);
    return byImage;
  }

  /** How many references a reference audit scored. */
  scoredReferences(runId: number): number {
    return this.db
      .prepare(`SELECT COUNT(*) FROM candidates WHERE run_id = ? AND source = 'reference' AND similarity IS NOT NULL`)
      .pluck()
      .get(runId) as number;
  }

  /**
   * A page of a reference audit's references, weakest first: by the gap below the best reference
   * of the same image, then by similarity (as RunsRepo.weakestReferences orders them), each with
   * that best reference.
   */
  weakReferences(runId: number, offset: number, limit: number): WeakReferenceRecord[] {
    return this.db
      .prepare(
        `WITH scored AS (
           SELECT c.id, c.idx, c.image_id, c.reference_id, c.text, c.similarity,
             MAX(c.similarity) OVER w - c.similarity AS gap,
             FIRST_VALUE(c.id) OVER (w ORDER BY c.similarity DESC, c.idx) AS best_id
           FROM candidates c
           WHERE c.run_id = @runId AND c.source = 'reference' AND c.similarity IS NOT NULL
           WINDOW w AS (PARTITION BY c.image_id)
         )
         SELECT s.id AS candidateId, s.image_id AS imageId, i.rel_path AS fileName, s.reference_id AS referenceId, s.text,
           s.similarity, s.gap, b.id AS bestCandidateId, b.text AS bestText, b.similarity AS bestSimilarity
         FROM scored s JOIN images i ON i.id = s.image_id JOIN candidates b ON b.id = s.best_id
         ORDER BY s.gap DESC, s.similarity, s.image_id, s.idx
         LIMIT @limit OFFSET @offset`,
      )
      .all({ runId, offset, limit }) as WeakReferenceRecord[];
  }

  /** File name and review status of each image id given (ids not in the project are left out). */
  labels(imageIds: readonly number[]): Map<number, ImageLabel> {
    if (imageIds.length === 0) return new Map();
    const rows = this.db
      .prepare(
        `SELECT i.id, i.rel_path AS fileName, s.status FROM images i JOIN image_state s ON s.image_id = i.id
         WHERE i.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify([...new Set(imageIds)])) as ({ id: number } & ImageLabel)[];
    return new Map(rows.map(({ id, ...label }) => [id, label]));
  }
}
