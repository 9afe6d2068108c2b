/**
 * What exports read, in pages: images with their review state and the decision in force (who,
 * when, from which reference or run candidate), their references, and runs' candidates and
 * generated images. Every read is one short statement over at most one page of images, so an
 * export of 100,000 images never holds them all and never keeps the connection busy across an
 * await (a decision recorded meanwhile goes through).
 */
import type { Db } from '../db.js';
import { groupByImage } from './run-results-repo.js';
import type { StoredImageStatus } from './stored-values.js';

/** Which images an export covers. `lastImageId` freezes the set when the export starts. */
export interface ExportScope {
  datasetIds?: readonly number[] | undefined;
  statuses?: readonly StoredImageStatus[] | undefined;
  /** Only images this run covered. */
  runId?: number | undefined;
  lastImageId: number;
}

export interface ExportImage {
  id: number;
  datasetId: number;
  datasetName: string;
  rootPath: string;
  externalId: number | null;
  relPath: string;
  width: number;
  height: number;
  status: StoredImageStatus;
  /** The decided caption (accepted or edited), else null. */
  decidedText: string | null;
  decision: {
    id: number;
    actor: string;
    at: string;
    referenceId: number | null;
    /** The run candidate the annotator took, when the decided caption came from a suggestion. */
    candidate: { runId: number; idx: number } | null;
  } | null;
}

export interface ExportReference {
  id: number;
  imageId: number;
  externalId: number | null;
  text: string;
}

export interface ExportCandidate {
  id: number;
  imageId: number;
  idx: number;
  source: 'sampled' | 'reference';
  referenceId: number | null;
  text: string;
  logProb: number | null;
  reconstruction: string | null;
  seed: number | null;
  similarity: number | null;
  rank: number | null;
}

export interface ExportGeneratedImage {
  id: number;
  imageId: number;
  referenceId: number | null;
  text: string;
  idx: number;
  seed: number;
  path: string;
  recaption: string | null;
  textSimilarity: number | null;
  cider: number | null;
  realSimilarity: number | null;
  rank: number | null;
}

interface ImageRow {
  id: number;
  dataset_id: number;
  dataset_name: string;
  root_path: string;
  external_id: number | null;
  rel_path: string;
  width: number;
  height: number;
  status: StoredImageStatus;
  caption: string | null;
  decision_id: number | null;
  actor: string | null;
  created_at: string | null;
  reference_id: number | null;
  candidate_run: number | null;
  candidate_idx: number | null;
}

const toImage = (r: ImageRow): ExportImage => ({
  id: r.id,
  datasetId: r.dataset_id,
  datasetName: r.dataset_name,
  rootPath: r.root_path,
  externalId: r.external_id,
  relPath: r.rel_path,
  width: r.width,
  height: r.height,
  status: r.status,
  decidedText: r.status === 'accepted' || r.status === 'edited' ? r.caption : null,
  decision:
    r.decision_id === null
      ? null
      : {
          id: r.decision_id,
          actor: r.actor!,
          at: r.created_at!,
          referenceId: r.reference_id,
          candidate: r.candidate_run === null ? null : { runId: r.candidate_run, idx: r.candidate_idx! },
        },
});

/** `json_each` over a JSON array binds a list of any length as one parameter. */
const ids = (list: readonly number[]) => JSON.stringify(list);

export class ExportSourceRepo {
  constructor(private readonly db: Db) {}

  /** The newest image id, where an export freezes its set. */
  lastImageId(): number {
    return (this.db.prepare(`SELECT MAX(id) FROM images`).pluck().get() as number | null) ?? 0;
  }

  /** The largest external image id in the whole project; images without one are numbered after it. */
  maxExternalImageId(): number {
    return (this.db.prepare(`SELECT MAX(external_id) FROM images`).pluck().get() as number | null) ?? 0;
  }

  count(scope: ExportScope): number {
    const { where, params } = filter(scope);
    return this.db.prepare(`SELECT COUNT(*) FROM images i JOIN image_state s ON s.image_id = i.id ${where}`).pluck().get(params) as number;
  }

  /** The datasets with images in scope, by id. */
  datasets(scope: ExportScope): { id: number; name: string; rootPath: string }[] {
    const { where, params } = filter(scope);
    return this.db
      .prepare(
        `SELECT d.id, d.name, d.root_path AS rootPath FROM datasets d
         WHERE EXISTS (SELECT 1 FROM images i JOIN image_state s ON s.image_id = i.id ${where} AND i.dataset_id = d.id) ORDER BY d.id`,
      )
      .all(params) as { id: number; name: string; rootPath: string }[];
  }

  /** External image ids used by more than one image in scope (at most `limit`), with two of their images. */
  duplicateExternalIds(scope: ExportScope, limit = 3): { externalId: number; first: ExportImage; second: ExportImage }[] {
    const { where, params } = filter(scope);
    const rows = this.db
      .prepare(
        `SELECT i.external_id AS externalId, MIN(i.id) AS first, MAX(i.id) AS second
         FROM images i JOIN image_state s ON s.image_id = i.id ${where} AND i.external_id IS NOT NULL
         GROUP BY i.external_id HAVING COUNT(*) > 1 ORDER BY i.external_id LIMIT @limit`,
      )
      .all({ ...params, limit }) as { externalId: number; first: number; second: number }[];
    return rows.map((r) => ({ externalId: r.externalId, first: this.image(r.first)!, second: this.image(r.second)! }));
  }

  /** Up to `limit` images in scope with an id above `afterId`, in id order. */
  page(scope: ExportScope, afterId: number, limit: number): ExportImage[] {
    const { where, params } = filter(scope);
    const rows = this.db.prepare(`${SELECT} ${where} AND i.id > @afterId ORDER BY i.id LIMIT @limit`).all({ ...params, afterId, limit }) as ImageRow[];
    return rows.map(toImage);
  }

  image(id: number): ExportImage | undefined {
    const row = this.db.prepare(`${SELECT} WHERE i.id = ?`).get(id) as ImageRow | undefined;
    return row && toImage(row);
  }

  /** References of the given images, by image, each image's in id order. */
  references(imageIds: readonly number[]): Map<number, ExportReference[]> {
    const rows = this.db
      .prepare(
        `SELECT id, image_id AS imageId, external_id AS externalId, text FROM reference_captions
         WHERE image_id IN (SELECT value FROM json_each(?)) ORDER BY image_id, id`,
      )
      .all(ids(imageIds)) as ExportReference[];
    return groupByImage(rows);
  }

  /** The largest external caption id in the project; new captions are numbered after it. */
  maxExternalReferenceId(): number {
    return (this.db.prepare(`SELECT MAX(external_id) FROM reference_captions`).pluck().get() as number | null) ?? 0;
  }

  /** A run's candidates of the given images (finished items only), by image, each image's by idx. */
  candidates(runId: number, imageIds: readonly number[]): Map<number, ExportCandidate[]> {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.image_id AS imageId, c.idx, c.source, c.reference_id AS referenceId, c.text, c.log_prob AS logProb,
           c.reconstruction, c.seed, c.similarity, c.rank
         FROM candidates c JOIN run_items r ON r.run_id = c.run_id AND r.image_id = c.image_id AND r.status = 'done'
         WHERE c.run_id = ? AND c.image_id IN (SELECT value FROM json_each(?)) ORDER BY c.image_id, c.idx`,
      )
      .all(runId, ids(imageIds)) as ExportCandidate[];
    return groupByImage(rows);
  }

  /**
   * Each given image's reconstruction-selected candidate in a run (finished items only): the sampled
   * candidate with the highest similarity, one never reconstructed counting lowest, ties by
   * sampling order — the order of run-candidates.ts's rankedSampled, computed in SQL so a page
   * reads one row per image instead of N.
   */
  selectedCandidates(runId: number, imageIds: readonly number[]): Map<number, ExportCandidate> {
    const rows = this.db
      .prepare(
        `SELECT id, imageId, idx, source, referenceId, text, logProb, reconstruction, seed, similarity, rank FROM (
           SELECT c.id, c.image_id AS imageId, c.idx, c.source, c.reference_id AS referenceId, c.text, c.log_prob AS logProb,
             c.reconstruction, c.seed, c.similarity, c.rank,
             ROW_NUMBER() OVER (PARTITION BY c.image_id ORDER BY c.similarity IS NULL, c.similarity DESC, c.idx) AS position
           FROM candidates c JOIN run_items r ON r.run_id = c.run_id AND r.image_id = c.image_id AND r.status = 'done'
           WHERE c.run_id = ? AND c.source = 'sampled' AND c.image_id IN (SELECT value FROM json_each(?)))
         WHERE position = 1`,
      )
      .all(runId, ids(imageIds)) as ExportCandidate[];
    return new Map(rows.map((r) => [r.imageId, r]));
  }

  /** Which of the given images have sampled candidates in a run's finished items. */
  withSampledCandidates(runId: number, imageIds: readonly number[]): Set<number> {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT c.image_id FROM candidates c JOIN run_items r ON r.run_id = c.run_id AND r.image_id = c.image_id AND r.status = 'done'
         WHERE c.run_id = ? AND c.source = 'sampled' AND c.image_id IN (SELECT value FROM json_each(?))`,
      )
      .pluck()
      .all(runId, ids(imageIds)) as number[];
    return new Set(rows);
  }

  /** A run's generated images of the given images (finished items only), by image, then reference and idx. */
  generatedImages(runId: number, imageIds: readonly number[]): Map<number, ExportGeneratedImage[]> {
    const rows = this.db
      .prepare(
        `SELECT g.id, g.image_id AS imageId, g.reference_id AS referenceId, g.text, g.idx, g.seed, g.path, g.recaption,
           g.text_similarity AS textSimilarity, g.cider, g.real_similarity AS realSimilarity, g.rank
         FROM generated_images g JOIN run_items r ON r.run_id = g.run_id AND r.image_id = g.image_id AND r.status = 'done'
         WHERE g.run_id = ? AND g.image_id IN (SELECT value FROM json_each(?)) ORDER BY g.image_id, g.reference_id, g.idx`,
      )
      .all(runId, ids(imageIds)) as ExportGeneratedImage[];
    return groupByImage(rows);
  }
}

const SELECT = `
  SELECT i.id, i.dataset_id, d.name AS dataset_name, d.root_path, i.external_id, i.rel_path, i.width, i.height,
    s.status, s.caption, s.decision_id, e.actor, e.created_at, e.reference_id, c.run_id AS candidate_run, c.idx AS candidate_idx
  FROM images i
  JOIN image_state s ON s.image_id = i.id
  JOIN datasets d ON d.id = i.dataset_id
  LEFT JOIN decisions e ON e.id = s.decision_id
  LEFT JOIN candidates c ON c.id = e.candidate_id`;

function filter(scope: ExportScope): { where: string; params: Record<string, unknown> } {
  const clauses = ['i.id <= @lastImageId'];
  const params: Record<string, unknown> = { lastImageId: scope.lastImageId };
  // Unary + keeps SQLite from choosing the status or dataset index: walking images by id and
  // stopping at the page's LIMIT beats collecting every match and sorting it, page after page.
  if (scope.datasetIds) {
    clauses.push('+i.dataset_id IN (SELECT value FROM json_each(@datasetIds))');
    params.datasetIds = ids(scope.datasetIds);
  }
  if (scope.statuses) {
    clauses.push('+s.status IN (SELECT value FROM json_each(@statuses))');
    params.statuses = JSON.stringify(scope.statuses);
  }
  if (scope.runId !== undefined) {
    clauses.push('EXISTS (SELECT 1 FROM run_items r WHERE r.run_id = @runId AND r.image_id = i.id)');
    params.runId = scope.runId;
  }
  return { where: `WHERE ${clauses.join(' AND ')}`, params };
}
