/**
 * Stored runs without models, for the report's tests and benchmark: images, references and run
 * results inserted through the project's repositories exactly as the engine stores them.
 */
import type { Project } from '../../storage/project.js';
import type { NewGeneratedImage, RunKind, RunRecord } from '../../storage/repos/runs-repo.js';

/** Adds a dataset of images (no files: evaluation without embedders never opens them); returns their ids. */
export function addImages(project: Project, dataset: string, references: readonly (readonly string[])[]): number[] {
  const { id: datasetId } = project.datasets.ensure(`/synthetic/${dataset}`, dataset, 'folder');
  return project.db.transaction(() =>
    references.map((refs, i) => {
      const imageId = project.images.insert({ datasetId, externalId: null, relPath: `${dataset}-${i}.png`, sha256: `${dataset}-${i}`, bytes: 1, width: 1, height: 1 });
      for (const text of refs) project.references.add(imageId, text, null);
      return imageId;
    }),
  )();
}

export const SYNTHETIC_MODELS = {
  captioner: { dir: '/models/captioner', id: 'test/captioner', version: '1', files: [{ path: 'onnx/decoder.onnx', sha256: 'a'.repeat(64) }] },
  generator: { dir: '/models/generator', id: 'test/generator', version: '2', files: [] },
  embedder: { dir: '/models/clip', id: 'test/clip', version: '3', files: [] },
};

export function suggestSettings(decoding: Record<string, unknown> = { strategy: 'sample', topP: 0.9, numReturnSequences: 3, maxNewTokens: 20 }) {
  return { seed: 7, decoding, generation: { steps: 20, guidanceScale: 4, scheduler: 'ddim' }, models: SYNTHETIC_MODELS };
}

export interface SyntheticItem<T> {
  imageId: number;
  results: T[];
}

/**
 * A run over `imageIds` whose first `items.length` images are finished with the given results
 * (the rest stay pending), left with `status`.
 */
function addRun<T>(project: Project, kind: RunKind, settings: unknown, imageIds: readonly number[], status: RunRecord['status'], store: (runId: number, item: SyntheticItem<T>) => void, items: readonly SyntheticItem<T>[]): RunRecord {
  const run = project.runs.create(kind, settings, imageIds);
  project.db.transaction(() => items.forEach((item) => store(run.id, item)))();
  project.runs.setStatus(run.id, status);
  return project.runs.get(run.id)!;
}

/** A suggest run: per image its candidates in sampling order, with reconstruction similarities. */
export function addSuggestRun(
  project: Project,
  items: readonly SyntheticItem<{ text: string; similarity: number }>[],
  options: { settings?: unknown; imageIds?: readonly number[]; status?: RunRecord['status'] } = {},
): RunRecord {
  const store = (runId: number, item: SyntheticItem<{ text: string; similarity: number }>) =>
    project.runs.completeItem(runId, item.imageId, {
      candidates: item.results.map((c, idx) => ({ idx, source: 'sampled', text: c.text, similarity: c.similarity, rank: null, seed: idx })),
    });
  return addRun(project, 'suggest', options.settings ?? suggestSettings(), options.imageIds ?? items.map((i) => i.imageId), options.status ?? 'completed', store, items);
}

/** A verify-images run: per image the generated images of its source texts. */
export function addVerifyImagesRun(
  project: Project,
  items: readonly SyntheticItem<NewGeneratedImage>[],
  options: { imageIds?: readonly number[]; status?: RunRecord['status'] } = {},
): RunRecord {
  const settings = { seed: 3, imagesPerText: 3, referencesPerImage: 1, generation: { steps: 4, guidanceScale: 4, scheduler: 'ddim' }, recaption: { strategy: 'beam', numBeams: 3, maxNewTokens: 20 }, models: { ...SYNTHETIC_MODELS, textEmbedder: SYNTHETIC_MODELS.embedder } };
  const store = (runId: number, item: SyntheticItem<NewGeneratedImage>) => project.runs.completeItem(runId, item.imageId, { generatedImages: item.results });
  return addRun(project, 'verify-images', settings, options.imageIds ?? items.map((i) => i.imageId), options.status ?? 'completed', store, items);
}
