/**
 * A run's results read in bulk, for evaluation reports: one query per table instead of one per
 * image (a report over 5,000 images × 10 candidates reads 50,000 rows). Read-only.
 */
import { join } from 'node:path';
import type { Db } from '../db.js';
import type { CandidateRecord, GeneratedImageRecord } from './runs-repo.js';

export interface RunItemRecord {
  imageId: number;
  position: number;
  status: 'pending' | 'done' | 'failed';
  error: string | null;
  finishedAt: string | null;
}

/** An image of a run with where it lives and which dataset (split) it belongs to. */
export interface RunImageRecord {
  imageId: number;
  datasetId: number;
  /** Absolute path of the source image (dataset root + relative path). */
  file: string;
}

export class RunResultsRepo {
  constructor(private readonly db: Db) {}

  /** The run's items in the order the run was created with. */
  items(runId: number): RunItemRecord[] {
    return this.db
      .prepare(
        `SELECT image_id AS imageId, position, status, error, finished_at AS finishedAt
         FROM run_items WHERE run_id = ? ORDER BY position`,
      )
      .all(runId) as RunItemRecord[];
  }

  /** The images of the run's items, in run order. */
  images(runId: number): RunImageRecord[] {
    const rows = this.db
      .prepare(
        `SELECT i.id AS imageId, i.dataset_id AS datasetId, i.rel_path AS relPath, d.root_path AS rootPath
         FROM run_items r JOIN images i ON i.id = r.image_id JOIN datasets d ON d.id = i.dataset_id
         WHERE r.run_id = ? ORDER BY r.position`,
      )
      .all(runId) as { imageId: number; datasetId: number; relPath: string; rootPath: string }[];
    return rows.map((r) => ({ imageId: r.imageId, datasetId: r.datasetId, file: join(r.rootPath, r.relPath) }));
  }

  /** Reference captions of the run's images: image id → texts by id. */
  references(runId: number): Map<number, string[]> {
    const rows = this.db
      .prepare(
        `SELECT c.image_id AS imageId, c.text FROM reference_captions c
         WHERE c.image_id IN (SELECT image_id FROM run_items WHERE run_id = ?) ORDER BY c.image_id, c.id`,
      )
      .all(runId) as { imageId: number; text: string }[];
    const byImage = new Map<number, string[]>();
    for (const { imageId, text } of rows) {
      const list = byImage.get(imageId);
      if (list) list.push(text);
      else byImage.set(imageId, [text]);
    }
    return byImage;
  }

  /** Every candidate of the run, grouped by image, each image's by idx. */
  candidates(runId: number): Map<number, CandidateRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT id, run_id AS runId, image_id AS imageId, idx, source, reference_id AS referenceId, text, log_prob AS logProb,
           reconstruction, seed, similarity, rank
         FROM candidates WHERE run_id = ? ORDER BY image_id, idx`,
      )
      .all(runId) as CandidateRecord[];
    return groupByImage(rows);
  }

  /** Every generated image of the run, grouped by image, each image's by reference then idx. */
  generatedImages(runId: number): Map<number, GeneratedImageRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT id, run_id AS runId, image_id AS imageId, reference_id AS referenceId, text, idx, seed, path, recaption,
           text_similarity AS textSimilarity, cider, real_similarity AS realSimilarity, rank
         FROM generated_images WHERE run_id = ? ORDER BY image_id, reference_id, idx`,
      )
      .all(runId) as GeneratedImageRecord[];
    return groupByImage(rows);
  }
}

/** Rows grouped by their image, in row order within each image. */
export function groupByImage<T extends { imageId: number }>(rows: readonly T[]): Map<number, T[]> {
  const byImage = new Map<number, T[]>();
  for (const row of rows) {
    const list = byImage.get(row.imageId);
    if (list) list.push(row);
    else byImage.set(row.imageId, [row]);
  }
  return byImage;
}
