/**
 * The run kinds the job host executes, by kind. Each entry wires an engine executor
 * (electron/engine/*-run.ts) to the inference worker's models; a kind without an entry is refused
 * by `runs:start` with NOT_SUPPORTED.
 */
import type { RunKind, RunSettings } from '../../../shared/contract/run-schemas.js';
import type { CaptionDecodingSettings } from '../../engine/engine-models.js';
import { createSuggestRun, executeSuggestRun, type SuggestRunSettings } from '../../engine/suggest-run.js';
import { workerSuggestModels } from '../../engine/worker-models.js';
import { defineRunKind, selectedImageIds, type RunKindDefinition, type SlotMap } from './run-kind.js';

export type RunKindTable = { readonly [K in RunKind]?: RunKindDefinition<unknown> };

/** Image → text → image: N sampled captions, each drawn back once, ranked by similarity to the source. */
const suggest = defineRunKind({
  slots: ['captioner', 'generator', 'imageEmbedder'],
  defaults: { candidates: 10 },
  engineSettings: (settings, models): SuggestRunSettings => ({
    seed: settings.seed,
    decoding: decoding(settings),
    generation: generation(settings),
    models: { captioner: models.captioner!, generator: models.generator!, embedder: models.imageEmbedder! },
  }),
  create: (project, recorded, selection) =>
    selection.imageIds
      ? project.runs.create('suggest', recorded, selectedImageIds(project, selection))
      : createSuggestRun(project, recorded as SuggestRunSettings, selection),
  modelDirs: (recorded): SlotMap<string> => {
    const { models } = recorded as SuggestRunSettings;
    return { captioner: models.captioner.dir, generator: models.generator.dir, imageEmbedder: models.embedder.dir };
  },
  async open(client, dirs, provider) {
    const opened = await client.call('open', { dirs: { captioner: dirs.captioner!, generator: dirs.generator!, embedder: dirs.imageEmbedder! }, options: { provider } });
    return { models: workerSuggestModels(client), opened };
  },
  execute: (project, runId, models, options) => executeSuggestRun(project, runId, models, options),
});

export const RUN_KINDS: RunKindTable = {
  suggest,
  // 'verify-images' and 'reference-audit' plug in here the same way (see run-kind.ts).
};

export function decoding(settings: RunSettings): CaptionDecodingSettings {
  const n = settings.candidates ?? 1;
  const common = { numReturnSequences: n, maxNewTokens: settings.maxNewTokens };
  if (settings.sampler === 'top-k') return { strategy: 'sample', topK: settings.topK, ...common };
  if (settings.sampler === 'beam') return { strategy: 'beam', numBeams: Math.max(settings.beams ?? n, n), ...common };
  return { strategy: 'sample', topP: settings.topP, ...common };
}

export function generation(settings: RunSettings): SuggestRunSettings['generation'] {
  return { steps: settings.steps, guidanceScale: settings.guidance, scheduler: settings.scheduler };
}
