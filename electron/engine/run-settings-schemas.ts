/**
 * What each kind of run records in `runs.settings`, as zod schemas. A run's settings come back
 * from SQLite as JSON the app may not have written itself (an older version, a hand-edited or
 * damaged project), so every reader parses them with its kind's schema instead of casting: a row
 * that does not parse fails that run with a message naming the run and the field, rather than a
 * TypeError deep inside a pipeline. The run kind table (backend/runs/run-kinds.ts) names each
 * kind's schema; the executors (*-run.ts) and the CLI read through `parseRunSettings`.
 *
 * Top-level objects are loose: the API and the CLI add fields the engine does not read
 * (executionProvider, request, ranking, cider, skippedWithoutReferences), and those must survive a
 * read-back for the run view and exports.
 */
import { z } from 'zod';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import { SchedulerNameSchema } from '../../shared/contract/run-schemas.js';
import type { RunRecord } from '../storage/repos/runs-repo.js';
import type { CaptionDecodingSettings, GenerationSettings } from './engine-models.js';
import { EngineModelDtypesSchema } from './model-load-options.js';
import type { ModelProvenance } from './model-provenance.js';

/** Verify-images' defaults: the first reference of each image, 4 images per text, beam 3 re-captions. */
export const VERIFY_IMAGES_DEFAULTS = {
  referencesPerImage: 1,
  imagesPerText: 4,
  numBeams: 3,
} as const;

const Seed = z.number().int().nonnegative();
const Positive = z.number().int().positive();

export const ModelProvenanceSchema = z.object({
  dir: z.string(),
  id: z.string().nullable(),
  version: z.string().nullable(),
  files: z.array(z.object({ path: z.string(), sha256: z.string() })),
}) satisfies z.ZodType<ModelProvenance>;

export const GenerationSettingsSchema = z.object({
  steps: Positive,
  guidanceScale: z.number(),
  scheduler: SchedulerNameSchema,
}) satisfies z.ZodType<GenerationSettings>;

export const CaptionDecodingSettingsSchema = z.object({
  strategy: z.enum(['greedy', 'beam', 'sample']),
  numReturnSequences: Positive.optional(),
  greedyFirst: z.boolean().optional(),
  numBeams: Positive.optional(),
  topK: Positive.optional(),
  topP: z.number().optional(),
  temperature: z.number().optional(),
  repetitionPenalty: z.number().optional(),
  lengthPenalty: z.number().optional(),
  minNewTokens: z.number().int().nonnegative().optional(),
  maxNewTokens: Positive,
  task: z.string().optional(),
}) satisfies z.ZodType<CaptionDecodingSettings>;

const dtypes = EngineModelDtypesSchema.optional();

/** Image → text → image (suggest-run.ts). */
export const SuggestRunSettingsSchema = z.looseObject({
  seed: Seed,
  decoding: CaptionDecodingSettingsSchema,
  generation: GenerationSettingsSchema,
  models: z.object({ captioner: ModelProvenanceSchema, generator: ModelProvenanceSchema, embedder: ModelProvenanceSchema }),
  dtypes,
});

/** Text → image → text (verify-images-run.ts), with what the run adds when it is created. */
export const VerifyImagesRunSettingsSchema = z.looseObject({
  seed: Seed,
  imagesPerText: Positive,
  generation: GenerationSettingsSchema,
  recaption: CaptionDecodingSettingsSchema,
  /** null = every reference; a run recorded without the field gets the default (JSON drops undefined). */
  referencesPerImage: Positive.nullable().default(VERIFY_IMAGES_DEFAULTS.referencesPerImage),
  models: z.object({ captioner: ModelProvenanceSchema, generator: ModelProvenanceSchema, embedder: ModelProvenanceSchema, textEmbedder: ModelProvenanceSchema }),
  dtypes,
  ranking: z.literal('text-similarity').optional(),
  cider: z
    .object({ variant: z.literal('CIDEr-D'), documentFrequencies: z.literal('run-source-texts'), documents: z.number().int().nonnegative(), sourceTextsSha256: z.string() })
    .optional(),
  skippedWithoutReferences: z.number().int().nonnegative().optional(),
});

/** Every reference drawn back and scored against its image (reference-audit-run.ts). */
export const ReferenceAuditRunSettingsSchema = z.looseObject({
  seed: Seed,
  generation: GenerationSettingsSchema,
  models: z.object({ generator: ModelProvenanceSchema, embedder: ModelProvenanceSchema }),
  dtypes,
  skippedWithoutReferences: z.number().int().nonnegative().optional(),
});

/**
 * The run's stored settings parsed by `schema`, or an error that names the run, its kind and the
 * first field that is wrong (the run is failed with it by whoever was about to execute it).
 */
export function parseRunSettings<S extends z.ZodType>(run: Pick<RunRecord, 'id' | 'kind' | 'settings'>, schema: S): z.output<S> {
  const parsed = schema.safeParse(run.settings);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : 'settings';
  throw new ApiError(
    ErrorCode.BadFormat,
    `Run ${run.id} (${run.kind}) cannot be read back: its stored settings have a bad ${field} (${issue.message}). Start a new run with the settings you want.`,
  );
}
