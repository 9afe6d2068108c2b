/**
 * The run kinds the job host executes, by kind. Each entry wires an engine executor
 * (electron/engine/*-run.ts) to the inference worker's models; a kind without an entry is refused
 * by `runs:start` with NOT_SUPPORTED.
 */
import { type ExecutionProvider, type ModelSlot, RUN_DEFAULTS, type RunKind, type RunSettings } from '../../../shared/contract/run-schemas.js';
import { captionerMaxNewTokens } from '../../engine/caption-length.js';
import type { CaptionDecodingSettings, GenerationSettings } from '../../engine/engine-models.js';
import type { EngineModelDirs } from '../../engine/load-engine-models.js';
import { engineDtypes, type EngineModelDtypes } from '../../engine/model-load-options.js';
import { createReferenceAuditRun, executeReferenceAuditRun, type ReferenceAuditRunSettings } from '../../engine/reference-audit-run.js';
import { createSuggestRun, executeSuggestRun, type SuggestRunSettings } from '../../engine/suggest-run.js';
import { createVerifyImagesRun, executeVerifyImagesRun, VERIFY_IMAGES_DEFAULTS, type VerifyImagesRunSettings } from '../../engine/verify-images-run.js';
import { ReferenceAuditRunSettingsSchema, SuggestRunSettingsSchema, VerifyImagesRunSettingsSchema } from '../../engine/run-settings-schemas.js';
import type { ReferenceAuditModels } from '../../engine/reference-audit-pipeline.js';
import type { SuggestModels } from '../../engine/suggest-pipeline.js';
import type { VerifyImagesModels } from '../../engine/verify-images-pipeline.js';
import { workerReferenceAuditModels, workerSuggestModels, workerVerifyImagesModels } from '../../engine/worker-models.js';
import { defineRunKind, selectedImageIds, type EngineClient, type RunKindDefinition, type SlotMap } from './run-kind.js';

export type RunKindTable = { readonly [K in RunKind]?: RunKindDefinition<unknown> };

// Each kind's model slots, named once: the slots it runs are the ones its dtypes may choose for.
const SUGGEST_SLOTS = ['captioner', 'generator', 'imageEmbedder'] as const satisfies readonly ModelSlot[];
/** Image → text → image: N sampled captions, each drawn back once, ranked by similarity to the source. */
const suggest = defineRunKind<SuggestModels, SuggestRunSettings>({
  slots: SUGGEST_SLOTS,
  settingsSchema: SuggestRunSettingsSchema,
  defaults: { candidates: 10 },
  engineSettings: (settings, models): SuggestRunSettings => ({
    seed: settings.seed,
    decoding: decoding(settings, captionerMaxNewTokens(models.captioner!.dir, settings.captionTask)),
    generation: generation(settings),
    models: { captioner: models.captioner!, generator: models.generator!, embedder: models.imageEmbedder! },
    ...engineDtypes(settings.dtypes, SUGGEST_SLOTS, 'suggest'),
  }),
  create: (project, recorded, selection) =>
    selection.imageIds
      ? project.runs.create('suggest', recorded, selectedImageIds(project, selection))
      : createSuggestRun(project, recorded, selection),
  modelDirs: (settings) => slotsOf(settings.models),
  async open(client, dirs, provider, dtypes) {
    const opened = await openWorker(client, dirs, provider, dtypes);
    return { models: workerSuggestModels(client), opened };
  },
  execute: (project, runId, models, options) => executeSuggestRun(project, runId, models, options),
});

const VERIFY_IMAGES_SLOTS = ['captioner', 'generator', 'imageEmbedder', 'textEmbedder'] as const satisfies readonly ModelSlot[];
/** Text → image → text: N seeded images per reference, each re-captioned by beam search and scored against the text. */
const verifyImages = defineRunKind<VerifyImagesModels, VerifyImagesRunSettings>({
  slots: VERIFY_IMAGES_SLOTS,
  settingsSchema: VerifyImagesRunSettingsSchema,
  defaults: { candidates: VERIFY_IMAGES_DEFAULTS.imagesPerText, beams: VERIFY_IMAGES_DEFAULTS.numBeams, referencesPerImage: VERIFY_IMAGES_DEFAULTS.referencesPerImage },
  engineSettings: (settings, models): VerifyImagesRunSettings => ({
    seed: settings.seed,
    imagesPerText: settings.candidates!,
    referencesPerImage: settings.referencesPerImage ?? VERIFY_IMAGES_DEFAULTS.referencesPerImage,
    generation: generation(settings),
    recaption: { strategy: 'beam', numBeams: settings.beams!, maxNewTokens: settings.maxNewTokens ?? captionerMaxNewTokens(models.captioner!.dir, settings.captionTask), ...captionTask(settings) },
    models: { captioner: models.captioner!, generator: models.generator!, embedder: models.imageEmbedder!, textEmbedder: models.textEmbedder! },
    ...engineDtypes(settings.dtypes, VERIFY_IMAGES_SLOTS, 'verify-images'),
  }),
  create: (project, recorded, selection) => createVerifyImagesRun(project, recorded, selection),
  modelDirs: (settings) => slotsOf(settings.models),
  async open(client, dirs, provider, dtypes) {
    const opened = await openWorker(client, dirs, provider, dtypes);
    return { models: workerVerifyImagesModels(client), opened };
  },
  execute: (project, runId, models, options) => executeVerifyImagesRun(project, runId, models, options),
});

const REFERENCE_AUDIT_SLOTS = ['generator', 'imageEmbedder'] as const satisfies readonly ModelSlot[];
/** Every human reference drawn back once and scored against its image, so weak references stand out. */
const referenceAudit = defineRunKind<ReferenceAuditModels, ReferenceAuditRunSettings>({
  slots: REFERENCE_AUDIT_SLOTS,
  settingsSchema: ReferenceAuditRunSettingsSchema,
  defaults: {},
  engineSettings: (settings, models): ReferenceAuditRunSettings => ({
    seed: settings.seed,
    generation: generation(settings),
    models: { generator: models.generator!, embedder: models.imageEmbedder! },
    ...engineDtypes(settings.dtypes, REFERENCE_AUDIT_SLOTS, 'reference-audit'),
  }),
  create: (project, recorded, selection) => createReferenceAuditRun(project, recorded, selection),
  modelDirs: (settings) => slotsOf(settings.models),
  async open(client, dirs, provider, dtypes) {
    const opened = await openWorker(client, dirs, provider, dtypes);
    return { models: workerReferenceAuditModels(client), opened };
  },
  execute: (project, runId, models, options) => executeReferenceAuditRun(project, runId, models, options),
});

export const RUN_KINDS: RunKindTable = { suggest, 'verify-images': verifyImages, 'reference-audit': referenceAudit };

/**
 * Opens the roles a run recorded in the worker (the engine names the image embedder `embedder`),
 * each in the precision variant the run recorded; a variant a folder lacks fails here, naming the
 * file and the variants present (graph-variants.ts).
 */
function openWorker(client: EngineClient, dirs: SlotMap<string>, provider: ExecutionProvider, dtypes: EngineModelDtypes): Promise<unknown> {
  return client.call('open', { dirs: engineDirs(dirs), options: { provider }, ...(Object.keys(dtypes).length > 0 ? { dtypes } : {}) });
}

/** A run's model folders by the engine's role names (the image embedder is `embedder`), as loadEngineModels and the worker take them. */
export function engineDirs(dirs: SlotMap<string>): EngineModelDirs {
  const open: EngineModelDirs = { generator: dirs.generator!, embedder: dirs.imageEmbedder! };
  if (dirs.captioner !== undefined) open.captioner = dirs.captioner;
  if (dirs.textEmbedder !== undefined) open.textEmbedder = dirs.textEmbedder;
  return open;
}

/** A run's recorded model folders, by the API's slot names. */
function slotsOf(models: { captioner?: { dir: string }; generator: { dir: string }; embedder: { dir: string }; textEmbedder?: { dir: string } }): SlotMap<string> {
  const dirs: SlotMap<string> = { generator: models.generator.dir, imageEmbedder: models.embedder.dir };
  if (models.captioner) dirs.captioner = models.captioner.dir;
  if (models.textEmbedder) dirs.textEmbedder = models.textEmbedder.dir;
  return dirs;
}

/** Caption sampling for N candidates (the greedy caption first unless turned off); the length defaults to the captioner's own for the task (caption-length.ts), as the CLI's. */
export function decoding(settings: RunSettings, captionerLength: number): CaptionDecodingSettings {
  const n = settings.candidates ?? 1;
  const common = { numReturnSequences: n, maxNewTokens: settings.maxNewTokens ?? captionerLength, ...captionTask(settings) };
  if (settings.sampler === 'beam') return { strategy: 'beam', numBeams: Math.max(settings.beams ?? n, n), ...common };
  const greedy = settings.greedyCandidate && n > 1 ? { greedyFirst: true } : {};
  if (settings.sampler === 'top-k') return { strategy: 'sample', topK: settings.topK, ...common, ...greedy };
  return { strategy: 'sample', topP: settings.topP, ...common, ...greedy };
}

export function generation(settings: RunSettings): GenerationSettings {
  return { steps: settings.steps ?? RUN_DEFAULTS.steps, guidanceScale: settings.guidance ?? RUN_DEFAULTS.guidance, scheduler: settings.scheduler ?? RUN_DEFAULTS.scheduler };
}

/** The task goes to the captioner only when chosen, so runs of captioners without tasks record nothing new. */
function captionTask(settings: RunSettings): { task?: string } {
  return settings.captionTask === undefined ? {} : { task: settings.captionTask };
}
