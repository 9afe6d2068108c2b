/**
 * A "verify-images" run over a project: text → image → text for the human reference captions of
 * every selected image, stored as generated_images rows with the PNGs under
 * assets/generated/<run>/<image>/<reference>-<k>.png and full provenance in the run's settings
 * (models with file hashes, generation and beam-search settings, seeds, how CIDEr-D is
 * computed). Runs are persistent: `executeVerifyImagesRun` continues a run where it stopped.
 */
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import type { Project } from '../storage/project.js';
import type { RunRecord } from '../storage/repos/runs-repo.js';
import type { ModelProvenance } from './model-provenance.js';
import type { EngineModelDtypes } from './model-load-options.js';
import { savePngAsset } from './png-assets.js';
import { parseRunSettings, VERIFY_IMAGES_DEFAULTS, VerifyImagesRunSettingsSchema } from './run-settings-schemas.js';
import { RunRunner, type RunControl, type RunOutcome, type RunProgress } from './run-runner.js';
import { SourceTextCider } from './source-text-cider.js';
import { verifyImagesForImage, type SourceText, type VerifyImagesModels, type VerifyImagesSettings } from './verify-images-pipeline.js';
import { importedSourceFile } from './source-image.js';

export interface VerifyImagesRunSettings extends VerifyImagesSettings {
  /** Source texts per image: its first K distinct reference captions (by id); null = all of them. */
  referencesPerImage: number | null;
  models: { captioner: ModelProvenance; generator: ModelProvenance; embedder: ModelProvenance; textEmbedder: ModelProvenance };
  /** Precision variant chosen per model; recorded so a resumed run opens the same files. */
  dtypes?: EngineModelDtypes;
}

/** What the run adds to the caller's settings when it is created (provenance, not choices). */
export interface VerifyImagesRunRecordedSettings extends VerifyImagesRunSettings {
  ranking: 'text-similarity';
  cider: { variant: 'CIDEr-D'; documentFrequencies: 'run-source-texts'; documents: number; sourceTextsSha256: string };
  skippedWithoutReferences: number;
}

/** The images of a run: the named ones (in the order given) or a dataset's or all, in grid order; `limit` caps them. */
export interface RunSelection {
  datasetId?: number | undefined;
  imageIds?: readonly number[] | undefined;
  limit?: number | undefined;
}

export { VERIFY_IMAGES_DEFAULTS };

/** An image's source texts: its reference captions in id order, identical texts once, the first K. */
export function sourceTexts(project: Project, imageId: number, referencesPerImage: number | null): SourceText[] {
  const seen = new Set<string>();
  const texts: SourceText[] = [];
  for (const ref of project.references.forImage(imageId)) {
    if (referencesPerImage !== null && texts.length >= referencesPerImage) break;
    if (seen.has(ref.text)) continue;
    seen.add(ref.text);
    texts.push({ referenceId: ref.id, text: ref.text });
  }
  return texts;
}

/** Creates (but does not start) a run over the selected images that have reference captions, in grid order. */
export function createVerifyImagesRun(project: Project, settings: VerifyImagesRunSettings, selection: RunSelection = {}): RunRecord {
  const { ids, skipped } = imagesWithReferences(project, selection);
  const referencesPerImage = referencesPerImageOf(settings);
  const corpus = sourceCorpus(project, ids, referencesPerImage);
  const recorded: VerifyImagesRunRecordedSettings = {
    ...settings,
    referencesPerImage,
    ranking: 'text-similarity',
    cider: { variant: 'CIDEr-D', documentFrequencies: 'run-source-texts', documents: corpus.size, sourceTextsSha256: digest(corpus) },
    skippedWithoutReferences: skipped,
  };
  return project.runs.create('verify-images', recorded, ids);
}

export async function executeVerifyImagesRun(
  project: Project,
  runId: number,
  models: VerifyImagesModels,
  options: { control?: RunControl; onProgress?: (p: RunProgress) => void } = {},
): Promise<RunOutcome> {
  const run = project.runs.get(runId);
  if (!run) throw new Error(`Run ${runId} does not exist`);
  if (run.kind !== 'verify-images') throw new Error(`Run ${runId} is a ${run.kind} run, not verify-images`);
  const settings = parseRunSettings(run, VerifyImagesRunSettingsSchema);
  // Document frequencies over every source text of the run, done items included, so an item
  // scores the same whether it runs before or after a resume. (The schema fills in the default
  // for a run recorded without referencesPerImage.)
  const referencesPerImage = settings.referencesPerImage;
  const corpus = sourceCorpus(project, project.runs.itemImageIds(runId), referencesPerImage);
  const recordedDigest = settings.cider?.sourceTextsSha256;
  if (recordedDigest !== undefined && run.status !== 'completed' && run.status !== 'cancelled' && digest(corpus) !== recordedDigest) {
    throw Object.assign(
      new Error(`The reference captions of run ${runId}'s images changed since the run was created, so its CIDEr-D scores would not be comparable; start a new run.`),
      { code: 'RUN_INPUTS_CHANGED' },
    );
  }
  const cider = new SourceTextCider(corpus);
  return new RunRunner(project.runs).run(
    runId,
    async (imageId) => {
      const result = await verifyImagesForImage(imageId, await importedSourceFile(project, imageId), sourceTexts(project, imageId, referencesPerImage), models, settings, {
        saveImage: async (generated, referenceId, idx) => join(project.dir, await savePngAsset(project, ['generated', runId, imageId, `${referenceId}-${idx}`], generated)),
        cider: (referenceId, recaption) => cider.score(corpusKey(imageId, referenceId), recaption),
      });
      return {
        generatedImages: result.generated.map((g) => ({ ...g, path: relative(project.dir, g.path).split('\\').join('/') })),
        timings: result.timings,
      };
    },
    options,
  );
}

/**
 * The selected images that have reference captions (both text-driven kinds need them); the
 * others are counted, not run, and `limit` counts only images that will run.
 */
export function imagesWithReferences(project: Project, selection: RunSelection): { ids: number[]; skipped: number } {
  const ids: number[] = [];
  let skipped = 0;
  const candidates = selection.imageIds
    ? [...new Set(selection.imageIds)].map((id) => project.images.get(id)).filter((i) => i !== undefined && (selection.datasetId === undefined || i.datasetId === selection.datasetId))
    : project.images.iterate(selection.datasetId);
  for (const image of candidates) {
    if (selection.limit !== undefined && ids.length >= selection.limit) break;
    if (project.references.forImage(image!.id).length === 0) skipped++;
    else ids.push(image!.id);
  }
  return { ids, skipped };
}

/** null = every reference; a run recorded without the field (JSON drops undefined) gets the default. */
const referencesPerImageOf = (settings: { referencesPerImage?: number | null | undefined }): number | null =>
  settings.referencesPerImage === undefined ? VERIFY_IMAGES_DEFAULTS.referencesPerImage : settings.referencesPerImage;

const corpusKey = (imageId: number, referenceId: number) => `${imageId}:${referenceId}`;

function sourceCorpus(project: Project, imageIds: readonly number[], referencesPerImage: number | null): Map<string, string> {
  const corpus = new Map<string, string>();
  for (const imageId of imageIds) for (const t of sourceTexts(project, imageId, referencesPerImage)) corpus.set(corpusKey(imageId, t.referenceId), t.text);
  return corpus;
}

function digest(corpus: ReadonlyMap<string, string>): string {
  return createHash('sha256').update(JSON.stringify([...corpus])).digest('hex');
}
