/**
 * A "suggest" run over a project: image → text → image for every selected image, stored with
 * full provenance (models with file hashes, sampler settings, seeds) and reconstructions saved
 * as assets. Runs are persistent: `executeSuggestRun` continues a run where it stopped.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import sharp from 'sharp';
import type { Project } from '../storage/project.js';
import type { RunRecord } from '../storage/repos/runs-repo.js';
import type { CaptionDecodingSettings, GenerationSettings, RgbImage } from './engine-models.js';
import type { ModelProvenance } from './model-provenance.js';
import { RunRunner, type RunControl, type RunOutcome, type RunProgress } from './run-runner.js';
import { suggestForImage, type SuggestModels } from './suggest-pipeline.js';

export interface SuggestRunSettings {
  seed: number;
  decoding: CaptionDecodingSettings;
  generation: GenerationSettings;
  models: { captioner: ModelProvenance; generator: ModelProvenance; embedder: ModelProvenance };
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
  const settings = run.settings as SuggestRunSettings;
  const runner = new RunRunner(project.runs);
  return runner.run(
    runId,
    async (imageId) => {
      const image = project.images.get(imageId);
      if (!image) throw new Error(`image ${imageId} is no longer in the project`);
      const source = join(image.rootPath, image.fileName);
      const result = await suggestForImage(imageId, source, models, settings);
      const paths = await Promise.all(result.reconstructions.map((r, k) => saveReconstruction(project, runId, imageId, k, r)));
      return {
        candidates: result.candidates.map((c) => ({ ...c, reconstruction: paths[result.distinctTexts.indexOf(c.text)] ?? null })),
        timings: result.timings,
      };
    },
    options,
  );
}

/** Written before the item's transaction commits; a crash in between leaves a file that is simply rewritten on resume. */
async function saveReconstruction(project: Project, runId: number, imageId: number, k: number, image: RgbImage): Promise<string> {
  const file = join(project.assetsDir, 'reconstructions', String(runId), String(imageId), `${k}.png`);
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await sharp(Buffer.from(image.rgb.buffer, image.rgb.byteOffset, image.rgb.byteLength), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .png()
    .toFile(temp);
  renameSync(temp, file);
  return relative(project.dir, file).split('\\').join('/');
}
