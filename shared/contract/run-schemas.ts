/**
 * Schemas of the engine's side of the API: runs (persistent jobs of the reconstruction engine),
 * the models a project uses, and the execution provider they run on.
 */
import { z } from 'zod';
import { ModelDtypesSchema, OnnxDtypeSchema } from './onnx-dtypes.js';

const Id = z.number().int().positive();
const Count = z.number().int().nonnegative();

export const RunKindSchema = z.enum(['suggest', 'verify-images', 'reference-audit']);
export type RunKind = z.infer<typeof RunKindSchema>;

export const RunStatusSchema = z.enum(['queued', 'running', 'paused', 'cancelled', 'completed', 'failed']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const ExecutionProviderSchema = z.enum(['cpu', 'cuda', 'dml', 'coreml']);
export type ExecutionProvider = z.infer<typeof ExecutionProviderSchema>;

export const ModelRoleSchema = z.enum(['captioner', 'generator', 'image-embedder', 'text-embedder']);
export type ModelRole = z.infer<typeof ModelRoleSchema>;

/** The model slots of a project, one per role, named as in JavaScript. */
export const MODEL_SLOTS = ['captioner', 'generator', 'imageEmbedder', 'textEmbedder'] as const;
export type ModelSlot = (typeof MODEL_SLOTS)[number];
export const SLOT_ROLES: Record<ModelSlot, ModelRole> = {
  captioner: 'captioner',
  generator: 'generator',
  imageEmbedder: 'image-embedder',
  textEmbedder: 'text-embedder',
};

const ModelId = z.string().min(1).max(300);

/** Registry ids of the models a project uses. */
export const ActiveModelsSchema = z.object({ captioner: ModelId, generator: ModelId, imageEmbedder: ModelId, textEmbedder: ModelId });
export type ActiveModels = z.infer<typeof ActiveModelsSchema>;

/** A choice of some slots; the slots left out keep the project's models. */
export const ModelChoiceSchema = ActiveModelsSchema.partial().strict();
export type ModelChoice = z.infer<typeof ModelChoiceSchema>;

/**
 * Defaults of a run: N = 10 candidates, the greedy caption and 9 top-p 0.9 samples (the paper
 * samples all 10: `greedyCandidate: false`); DDIM. Steps and guidance: a
 * generator's manifest may name its own (`runDefaults`, what the gain sweep measured for it);
 * 20 steps and guidance 4 otherwise. Scheduler: the manifest's, else the one the generator's
 * scheduler_config.json names when implemented, else DDIM. Caption length defaults to the captioner's own.
 */
export const RUN_DEFAULTS = {
  seed: 1,
  /** Suggest; verify-images draws 4 images per text by default. */
  candidates: 10,
  sampler: 'top-p',
  topP: 0.9,
  topK: 20,
  /** Suggest with top-p/top-k: candidate 1 is the greedy caption, the other N − 1 are sampled. */
  greedyCandidate: true,
  steps: 20,
  guidance: 4,
  scheduler: 'ddim',
} as const;

/**
 * The generator's samplers, each the diffusers scheduler class of the same maths: DDIMScheduler,
 * PNDMScheduler (PLMS; what SD 1.x ships), EulerDiscreteScheduler, EulerAncestralDiscreteScheduler,
 * LCMScheduler, DPMSolverMultistepScheduler (DPM-Solver++). One list for the API, the manifest,
 * the CLI and the run form.
 */
export const SCHEDULER_NAMES = ['ddim', 'pndm', 'euler', 'euler-ancestral', 'lcm', 'dpm-solver++'] as const;
export const SchedulerNameSchema = z.enum(SCHEDULER_NAMES);
export type SchedulerName = z.infer<typeof SchedulerNameSchema>;

/**
 * Florence-2's caption tasks (MODELS.md appendix §3): each is a prompt the model was trained with,
 * from a one-line caption to a paragraph. Captioners without tasks ignore the choice.
 */
export const CAPTION_TASKS = ['<CAPTION>', '<DETAILED_CAPTION>', '<MORE_DETAILED_CAPTION>'] as const;
export const CaptionTaskSchema = z.enum(CAPTION_TASKS);
export type CaptionTask = z.infer<typeof CaptionTaskSchema>;
export const DEFAULT_CAPTION_TASK: CaptionTask = '<CAPTION>';

/** The longest caption a run may ask for, in new tokens. */
export const MAX_CAPTION_TOKENS = 256;

export const RunSettingsSchema = z
  .object({
    /** Every random choice of the run derives from this seed: same seed, same settings ⇒ same results. */
    seed: z.number().int().nonnegative().max(0xffff_ffff).default(RUN_DEFAULTS.seed),
    /**
     * N: sampled captions per image (suggest, default 10) or images per text (verify-images,
     * default 4); a reference audit draws each reference once and ignores it.
     */
    candidates: z.number().int().min(1).max(64).optional(),
    sampler: z.enum(['top-p', 'top-k', 'beam']).default(RUN_DEFAULTS.sampler),
    topP: z.number().gt(0).max(1).default(RUN_DEFAULTS.topP),
    topK: z.number().int().min(1).max(1000).default(RUN_DEFAULTS.topK),
    /**
     * Suggest with top-p or top-k: the first of the N candidates is the greedy caption (beam
     * width 1) and the other N − 1 are sampled, so the reconstruction check can keep the
     * captioner's most likely caption when no sample beats it. Off: N samples, the paper's set.
     */
    greedyCandidate: z.boolean().default(RUN_DEFAULTS.greedyCandidate),
    /** Beam width for the beam sampler and for verify-images' re-captions (default: N, resp. 3). */
    beams: z.number().int().min(1).max(64).optional(),
    /**
     * Caption length in tokens (default: what the captioner was exported with, its
     * generation_config.json; for Florence-2, a length per captionTask).
     */
    maxNewTokens: z.number().int().min(1).max(MAX_CAPTION_TOKENS).optional(),
    /** Generator steps (default: what the generator's manifest measured, else RUN_DEFAULTS.steps). */
    steps: z.number().int().min(1).max(200).optional(),
    /** Classifier-free guidance scale (default: what the generator's manifest measured, else RUN_DEFAULTS.guidance). */
    guidance: z.number().min(0).max(30).optional(),
    /** Sampler (default: the generator's measured or published one, else RUN_DEFAULTS.scheduler). */
    scheduler: SchedulerNameSchema.optional(),
    /** verify-images: source texts per image, its first K distinct references (default 1). */
    referencesPerImage: z.number().int().min(1).max(100).optional(),
    /** Florence-2's task for captions and re-captions (default DEFAULT_CAPTION_TASK); ignored by captioners without tasks. */
    captionTask: CaptionTaskSchema.optional(),
    /**
     * Precision variant per model slot (`onnx/<graph>_fp16.onnx`, `_quantized`, …; onnx-dtypes.ts).
     * A slot left out opens its manifest's dtype, else the best variant present for the provider.
     * A variant the folder lacks fails the run when its models open, naming the file and the
     * variants that are there. Recorded with the run, so a resumed run opens the same files.
     */
    dtypes: ModelDtypesSchema.optional(),
  })
  .strict();
export type RunSettings = z.output<typeof RunSettingsSchema>;

/** The most images one run may name (a grid filter or marks beyond it are refused, not cut). */
export const MAX_RUN_IMAGES = 100_000;

/** Which images a run covers, in grid order: a dataset or the whole project, or named images; `limit` caps either. */
export const RunSelectionSchema = z
  .object({
    datasetId: Id.optional(),
    imageIds: z.array(Id).min(1).max(MAX_RUN_IMAGES).optional(),
    limit: z.number().int().positive().max(1_000_000).optional(),
  })
  .strict();
export type RunSelection = z.infer<typeof RunSelectionSchema>;

/** One ONNX session the inference worker has open, and the provider it actually runs on. */
export const SessionStateSchema = z.object({
  /** Model slot the session belongs to; null when its file is outside every model folder of the run. */
  slot: z.enum(MODEL_SLOTS).nullable(),
  file: z.string(),
  /** The precision variant the file is (null when the engine did not say, e.g. a run recorded before variants). */
  dtype: OnnxDtypeSchema.nullable().default(null),
  requested: ExecutionProviderSchema,
  provider: ExecutionProviderSchema,
  /** Why `provider` is not the requested one (e.g. the CUDA libraries are missing), for the UI to show. */
  fallbackReason: z.string().nullable(),
});
export type SessionState = z.infer<typeof SessionStateSchema>;

export const ExecutionSchema = z.object({
  requested: ExecutionProviderSchema,
  /** The provider the sessions run on; null while the models are opening, or when the engine did not say. */
  inUse: ExecutionProviderSchema.nullable(),
  fallbackReason: z.string().nullable(),
  sessions: z.array(SessionStateSchema),
});
export type Execution = z.infer<typeof ExecutionSchema>;

export const RunModelSchema = z.object({
  /** A model slot (captioner, generator, imageEmbedder, textEmbedder), or whatever else the engine recorded. */
  slot: z.string(),
  id: z.string().nullable(),
  version: z.string().nullable(),
  dir: z.string(),
});

export const RunSchema = z.object({
  id: Id,
  kind: RunKindSchema,
  status: RunStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Why the run failed, what was left behind (`2 item(s) failed`), or why it was paused by Roundtrip. */
  error: z.string().nullable(),
  total: Count,
  done: Count,
  failed: Count,
  /** A pause or cancel that waits for the image in progress to finish. */
  stopping: z.enum(['pause', 'cancel']).nullable(),
  /** Images per second in this session of the run, and seconds left at that rate; null unless running. */
  itemsPerSecond: z.number().nonnegative().nullable(),
  etaSeconds: z.number().nonnegative().nullable(),
  /** The settings as requested through the API (null for runs started elsewhere, e.g. by the CLI). */
  settings: RunSettingsSchema.nullable(),
  selection: RunSelectionSchema.nullable(),
  /** Exact models of the run (ids, versions, folders; file hashes stay in the project). */
  models: z.array(RunModelSchema),
  /** What the engine recorded besides the models: sampler settings, generation settings, seeds. */
  provenance: z.record(z.string(), z.unknown()),
  /** The provider the run asked for and, once its models opened, the one in use. */
  execution: ExecutionSchema,
});
export type Run = z.infer<typeof RunSchema>;

/**
 * A generator's own settings for runs that give none: measured for it (the demo's gain sweep) or
 * documented by its publisher (SD-turbo: 1 Euler step, guidance 0; LCM: 4 steps, guidance 8),
 * written into its manifest at pull. `note` says where they come from.
 */
export const ModelRunDefaultsSchema = z
  .object({
    steps: z.number().int().min(1).max(200).optional(),
    guidance: z.number().min(0).max(30).optional(),
    scheduler: SchedulerNameSchema.optional(),
    note: z.string().optional(),
  })
  .strict();
export type ModelRunDefaults = z.infer<typeof ModelRunDefaultsSchema>;

export const ModelInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Roles the folder can fill (a CLIP folder with both towers is an image and a text embedder). */
  roles: z.array(ModelRoleSchema),
  family: z.string().nullable(),
  version: z.string().nullable(),
  status: z.enum(['installed', 'incomplete', 'unmanaged', 'invalid']),
  /** Shipped with Roundtrip (the demo models), read-only and always available. */
  bundled: z.boolean(),
  path: z.string(),
  detail: z.string().nullable(),
  /** Generators: the manifest's run defaults (null when it names none). */
  runDefaults: ModelRunDefaultsSchema.nullable(),
  /**
   * The precision variants the folder holds for every graph its family needs, in ONNX_DTYPES order
   * (fp32, fp16, q8, …); a run may choose any of them per model. A diffusers folder holds one
   * variant per component: its manifest's dtype when it names one, else none listed.
   */
  variants: z.array(OnnxDtypeSchema),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

export const ProjectSettingsSchema = z.object({
  activeModels: ActiveModelsSchema,
  executionProvider: ExecutionProviderSchema,
});
export type ProjectSettings = z.infer<typeof ProjectSettingsSchema>;

export const ModelsListSchema = z.object({
  models: z.array(ModelInfoSchema),
  /** The open project's models and provider; null without a project. */
  project: ProjectSettingsSchema.nullable(),
  /** Sessions of the run in progress (or of the last run in this session of the app), with their providers. */
  execution: ExecutionSchema.nullable(),
});
export type ModelsList = z.infer<typeof ModelsListSchema>;
