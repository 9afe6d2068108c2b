/**
 * What a report reads of a stored run: its finished images with their references and results,
 * and the run's provenance (models with file hashes, sampler settings, seeds, times). Only
 * finished images count: a cancelled or half-finished run is reported over the images it did.
 */
import type { ReportModel, ReportRun } from '../../../shared/contract/report-schemas.js';
import type { ScoredCandidate } from '../../engine/evaluation/selection-gain.js';
import type { Project } from '../../storage/project.js';
import type { GeneratedImageRecord, RunRecord } from '../../storage/repos/runs-repo.js';

export interface SuggestImage {
  imageId: number;
  datasetId: number;
  file: string;
  references: string[];
  /** Sampled candidates by idx; a candidate without a similarity (never reconstructed) ranks last. */
  candidates: ScoredCandidate[];
}

export interface SuggestRunData {
  run: RunRecord;
  /** Finished images with candidates and references, in run order. */
  images: SuggestImage[];
  /** Finished images left out for want of reference captions. */
  withoutReferences: number;
}

export function loadSuggestRun(project: Project, run: RunRecord): SuggestRunData {
  const done = new Set(project.runResults.items(run.id).filter((i) => i.status === 'done').map((i) => i.imageId));
  const candidates = project.runResults.candidates(run.id);
  const references = project.runResults.references(run.id);
  const images: SuggestImage[] = [];
  let withoutReferences = 0;
  for (const image of project.runResults.images(run.id)) {
    const sampled = (candidates.get(image.imageId) ?? []).filter((c) => c.source === 'sampled');
    if (!done.has(image.imageId) || sampled.length === 0) continue;
    const refs = references.get(image.imageId) ?? [];
    if (refs.length === 0) {
      withoutReferences++;
      continue;
    }
    images.push({
      ...image,
      references: refs,
      candidates: sampled.map((c) => ({ idx: c.idx, text: c.text, similarity: c.similarity ?? Number.NEGATIVE_INFINITY })),
    });
  }
  return { run, images, withoutReferences };
}

export interface VerifyImagesRunData {
  run: RunRecord;
  /** Generated images of finished items that were scored and ranked, with their image's dataset and real image file. */
  rows: (GeneratedImageRecord & { datasetId: number; realFile: string; rank: number; realSimilarity: number })[];
}

export function loadVerifyImagesRun(project: Project, run: RunRecord): VerifyImagesRunData {
  const done = new Set(project.runResults.items(run.id).filter((i) => i.status === 'done').map((i) => i.imageId));
  const generated = project.runResults.generatedImages(run.id);
  const rows: VerifyImagesRunData['rows'] = [];
  for (const image of project.runResults.images(run.id)) {
    if (!done.has(image.imageId)) continue;
    for (const g of generated.get(image.imageId) ?? []) {
      if (g.rank === null || g.realSimilarity === null) continue;
      rows.push({ ...g, rank: g.rank, realSimilarity: g.realSimilarity, datasetId: image.datasetId, realFile: image.file });
    }
  }
  return { run, rows };
}

/** The run as the report lists it: status, counts, times, settings, models with hashes, its images by dataset. */
export function reportRun(project: Project, run: RunRecord, datasetNames: ReadonlyMap<number, string>): ReportRun {
  const items = project.runResults.items(run.id);
  const finished = items.map((i) => i.finishedAt).filter((t): t is string => t !== null);
  const byDataset = new Map<number, number>();
  for (const image of project.runResults.images(run.id)) byDataset.set(image.datasetId, (byDataset.get(image.datasetId) ?? 0) + 1);
  const { models, ...settings } = (run.settings ?? {}) as { models?: Record<string, Partial<ReportModel>> } & Record<string, unknown>;
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    finishedAt: finished.length ? finished.reduce((a, b) => (a > b ? a : b)) : null,
    total: run.total,
    done: run.done,
    failed: run.failed,
    error: run.error,
    seed: typeof settings.seed === 'number' ? settings.seed : null,
    settings,
    models: Object.entries(models ?? {}).map(([slot, m]) => reportModel(slot, m)),
    datasets: [...byDataset].map(([id, images]) => ({ id, name: datasetNames.get(id) ?? `dataset ${id}`, images })),
    note: runNote(run),
  };
}

export function reportModel(slot: string, m: Partial<ReportModel>): ReportModel {
  return { slot, dir: m.dir ?? '', id: m.id ?? null, version: m.version ?? null, files: (m.files ?? []).map((f) => ({ path: f.path, sha256: f.sha256 })) };
}

/** Why a run's tables cover fewer images than it was started with (null when they cover all). */
export function runNote(run: RunRecord): string | null {
  if (run.done === 0) {
    const why = run.status === 'cancelled' ? 'it was cancelled before any image finished' : run.status === 'failed' ? `it failed (${run.error ?? 'no reason recorded'})` : `it is ${run.status}`;
    return `Run ${run.id} has no finished image (${why}); there is nothing of it to evaluate yet.`;
  }
  const failed = run.failed > 0 ? `; ${run.failed} image(s) failed and are left out` : '';
  if (run.status === 'completed') return failed ? `Run ${run.id} completed${failed}.` : null;
  const state = run.status === 'cancelled' ? 'was cancelled' : run.status === 'failed' ? `failed (${run.error ?? 'no reason recorded'})` : `is ${run.status}`;
  return `Run ${run.id} ${state} with ${run.done} of ${run.total} image(s) done${failed}; its figures cover the ${run.done} finished image(s) only.`;
}
