/**
 * A "suggest" run over a project: image → text → image for every selected image, stored with
 * full provenance (models with file hashes, sampler settings, seeds) and reconstructions saved
 * as assets. Runs are persistent: `executeSuggestRun` continues a run where it stopped.
 */
import type { Project } from '../storage/project.js';
import type { RunRecord } from '../storage/repos/runs-repo.js';
import type { CaptionDecodingSettings, GenerationSettings } from './engine-models.js';
import { savePngAsset } from './png-assets.js';
import type { ModelProvenance } from './model-provenance.js';
import type { EngineModelDtypes } from './model-load-options.js';
import { parseRunSettings, SuggestRunSettingsSchema } from './run-settings-schemas.js';
import { RunRunner, type RunControl, type RunOutcome, type RunProgress } from './run-runner.js';
import { suggestForImage, type SuggestModels } from './suggest-pipeline.js';
import { importedSourceFile } from './source-image.js';

export interface SuggestRunSettings {
  seed: number;
  decoding: CaptionDecodingSettings;
  generation: GenerationSettings;
  models: { captioner: ModelProvenance; generator: ModelProvenance; embedder: ModelProvenance };
  /** Precision variant chosen per model; recorded so a resumed run opens the same files. */
  dtypes?: EngineModelDtypes;
}

export interface SuggestSelection {
  datasetId?: number;
  limit?: number;
}

/** Creates (but does not start) a run over the selected images, in grid order. */
export function createSuggestRun(project: Project, settings: SuggestRunSettings, selection: SuggestSelection = {}): RunRecord {
  const ids: number[] = [];
  for (const image of project.images.iterate(selection.datasetId)) {
    if (selection.limit !== undefined && ids.length >= selection.limit) break;
    ids.push(image.id);
  }
  return project.runs.create('suggest', settings, ids);
}

export async function executeSuggestRun(
  project: Project,
  runId: number,
  models: SuggestModels,
  options: { control?: RunControl; onProgress?: (p: RunProgress) => void } = {},
): Promise<RunOutcome> {
  const run = project.runs.get(runId);
  if (!run) throw new Error(`Run ${runId} does not exist`);
  if (run.kind !== 'suggest') throw new Error(`Run ${runId} is a ${run.kind} run, not suggest`);
  const settings = parseRunSettings(run, SuggestRunSettingsSchema);
  const runner = new RunRunner(project.runs);
  return runner.run(
    runId,
    async (imageId) => {
      const source = await importedSourceFile(project, imageId);
      // PNGs are encoded (on libuv's threads) while the reconstructions are being embedded.
      let saved: Promise<string[]> = Promise.resolve([]);
      const result = await suggestForImage(imageId, source, models, settings, {
        onReconstructions: (images) => {
          saved = Promise.all(images.map((r, k) => savePngAsset(project, ['reconstructions', runId, imageId, k], r)));
          saved.catch(() => {}); // awaited below; a failed embedding must not leave this unhandled
        },
      });
      const paths = await saved;
      return {
        candidates: result.candidates.map((c) => ({ ...c, reconstruction: paths[result.distinctTexts.indexOf(c.text)] ?? null })),
        timings: result.timings,
      };
    },
    options,
  );
}
