/**
 * The one API between renderer and backend. Every method and event is declared here once,
 * with a schema for what goes in and what comes out; both transports (Electron IPC and
 * browser-mode WebSocket) and the backend's handler table are typed from this table.
 */
import { z } from 'zod';
import {
  DatasetSchema,
  ImageDetailSchema,
  ImageStatusSchema,
  ImageSummarySchema,
  ImportReportSchema,
  JobProgressSchema,
  ProjectInfoSchema,
  RecordableActionSchema,
} from './schemas.js';
import {
  ExecutionProviderSchema,
  ModelChoiceSchema,
  ModelsListSchema,
  ProjectSettingsSchema,
  RunKindSchema,
  RunSchema,
  RunSelectionSchema,
  RunSettingsSchema,
} from './run-schemas.js';
import { EvaluationReportSchema } from './report-schemas.js';
import { MAX_CAPTION_CHARS } from './limits.js';
import { PathSchema } from './path-schema.js';
import { ExportRequestSchema, ExportResultSchema } from './export-schemas.js';
import { ReviewItemSchema, ReviewQueueInputSchema, ReviewQueueSchema } from './review-schemas.js';
import {
  DisagreementsInputSchema,
  DisagreementsSchema,
  ImageNoteSchema,
  NoteInputSchema,
  NotesSearchInputSchema,
  NotesSearchSchema,
  TagCountsSchema,
  VocabularyInputSchema,
  VocabularySchema,
  VocabularySideSchema,
  WeakReferencesInputSchema,
  WeakReferencesSchema,
} from './audit-schemas.js';
import { ModelPullInputSchema, ModelPullResultSchema, ModelVerifyInputSchema, ModelVerifyReportSchema } from './model-admin-schemas.js';

const Id = z.number().int().positive();
const Path = PathSchema;
const Empty = z.object({}).strict();

/** The grid's filter (see `images:list`); shared so the image view steps within the grid's filter. */
const ImageFilterFields = {
  status: ImageStatusSchema.optional(),
  datasetId: Id.optional(),
  search: z.string().max(500).optional(),
  similarityMin: z.number().finite().optional(),
  similarityMax: z.number().finite().optional(),
  disagreement: z.boolean().optional(),
  /** Images whose captions (`model`) or references (`reference`) alone use the word, as the audit's vocabulary lists them; in `runId`, else the latest suggest run with results. */
  word: z
    .object({ side: VocabularySideSchema, word: z.string().min(1).max(1000), runId: Id.optional() })
    .strict()
    .optional(),
};
const similarityRange = [
  (f: { similarityMin?: number | undefined; similarityMax?: number | undefined }) =>
    f.similarityMin === undefined || f.similarityMax === undefined || f.similarityMin <= f.similarityMax,
  { message: 'similarityMin must not be above similarityMax' },
] as const;

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const api = {
  'app:info': method(
    Empty,
    z.object({
      version: z.string(),
      mode: z.enum(['electron', 'browser']),
      actor: z.string(),
      project: ProjectInfoSchema.nullable(),
    }),
  ),
  'project:open': method(z.object({ path: Path }).strict(), ProjectInfoSchema),
  'project:create': method(
    z.object({ path: Path, name: z.string().min(1).max(200).optional() }).strict(),
    ProjectInfoSchema,
  ),
  'datasets:list': method(Empty, z.array(DatasetSchema)),
  /**
   * A page of images in grid order within a filter. `similarityMin`/`similarityMax` keep images
   * whose suggested candidate (best reconstruction) in the latest suggest run scored within the
   * range; `disagreement` keeps those the audit lists as disagreements for that run. Both match
   * nothing while no suggest run has results.
   */
  'images:list': method(
    z
      .object({ offset: z.number().int().nonnegative(), limit: z.number().int().positive().max(1000), ...ImageFilterFields })
      .strict()
      .refine(...similarityRange),
    z.object({ total: z.number().int().nonnegative(), items: z.array(ImageSummarySchema) }),
  ),
  'images:get': method(z.object({ id: Id }).strict(), ImageDetailSchema),
  /** Previous and next image in grid order, within the same filter as the grid. */
  'images:neighbours': method(
    z
      .object({ id: Id, ...ImageFilterFields })
      .strict()
      .refine(...similarityRange),
    z.object({ previous: Id.nullable(), next: Id.nullable() }),
  ),
  /** Accepting a reference or a candidate (`candidateId`, of a suggest run) without `finalText` records its text. */
  'decisions:record': method(
    z
      .object({
        imageId: Id,
        action: RecordableActionSchema,
        finalText: z.string().max(MAX_CAPTION_CHARS).optional(),
        referenceId: Id.optional(),
        candidateId: Id.optional(),
      })
      .strict(),
    ImageDetailSchema,
  ),
  /**
   * Undoes the decision in force on `imageId`; without it, the caller's latest decision still in
   * force on any image (a review session's undo, which survives restarts). Returns that image.
   */
  'decisions:undo': method(z.object({ imageId: Id.optional() }).strict(), ImageDetailSchema),
  /** The review queue: images in the order asked for, scored by a suggest run, filtered by status and split. */
  'review:queue': method(ReviewQueueInputSchema, ReviewQueueSchema),
  /** One image to review, with the candidates of a suggest run (default: the latest that covered it) best first. */
  'review:item': method(z.object({ imageId: Id, runId: Id.optional() }).strict(), ReviewItemSchema),
  'import:folder': method(z.object({ folder: Path }).strict(), ImportReportSchema),
  'import:coco': method(z.object({ file: Path, images: Path }).strict(), ImportReportSchema),
  /**
   * Stops the imports in flight (progress as `job:progress` of kind `import`); each then fails with
   * CANCELLED. Images saved before the stop stay, and the same import run again adds the rest.
   */
  'import:cancel': method(Empty, z.object({ cancelled: z.number().int().nonnegative() })),
  /**
   * Writes an export (COCO captions or results, Karpathy splits, HF imagefolder, sidecar .txt,
   * per-candidate scores): checked before anything is written, written atomically, logged in the
   * project. Progress as `job:progress` events of kind `export`.
   */
  'export:write': method(ExportRequestSchema, ExportResultSchema),
  /**
   * Queues a run of the reconstruction engine over the selected images; it starts when the
   * project's previous run ends. Settings left out take RUN_DEFAULTS, models and provider the
   * project's settings.
   */
  'runs:start': method(
    z
      .object({
        kind: RunKindSchema,
        selection: RunSelectionSchema.prefault({}),
        settings: RunSettingsSchema.prefault({}),
        models: ModelChoiceSchema.optional(),
        provider: ExecutionProviderSchema.optional(),
      })
      .strict(),
    RunSchema,
  ),
  'runs:list': method(Empty, z.array(RunSchema)),
  'runs:get': method(z.object({ id: Id }).strict(), RunSchema),
  /** A queued run is held; a running one stops after the image in progress (watch `job:progress`). */
  'runs:pause': method(z.object({ id: Id }).strict(), RunSchema),
  /** Queues a paused, interrupted or failed run again (or a completed one with failed images); it continues at its first unfinished image, and images that failed are retried. */
  'runs:resume': method(z.object({ id: Id }).strict(), RunSchema),
  /** Ends a run for good; a running one stops after the image in progress. Finished images stay. */
  'runs:cancel': method(z.object({ id: Id }).strict(), RunSchema),
  /** Installed models (the bundled demo models always among them), the project's choice, and the sessions open now. */
  'models:list': method(Empty, ModelsListSchema),
  /** Checks an installed model: files, sizes, hashes (unless `hashes: false`) and each graph's tensors (opened in the inference worker). */
  'models:verify': method(ModelVerifyInputSchema, ModelVerifyReportSchema),
  /** Downloads a hub repository's model files (resumable, hash-checked) into the models folder; progress as `job:progress` of kind `model-pull`. */
  'models:pull': method(ModelPullInputSchema, ModelPullResultSchema),
  /** Stops the pull in flight; its partial files resume on the next pull of the same repository. */
  'models:cancel-pull': method(Empty, z.object({ cancelled: z.boolean() })),
  'settings:get': method(Empty, ProjectSettingsSchema),
  /** Changes the project's models (by registry id, checked against the registry) and/or requested execution provider. */
  'settings:update': method(
    z
      .object({ activeModels: ModelChoiceSchema.optional(), executionProvider: ExecutionProviderSchema.optional() })
      .strict(),
    ProjectSettingsSchema,
  ),
  /**
   * The evaluation report of the open project's stored runs (Table 1, Fig. 3, Table 2, provenance),
   * or of one run; progress as `job:progress` events of kind `eval`. Caption metrics and the
   * similarities the runs recorded: embedding metrics and Fréchet distances come from `roundtrip eval`.
   */
  'eval:report': method(z.object({ runId: Id.optional() }).strict(), EvaluationReportSchema),
  /** Stops the evaluation reports of `runId` being computed (all of them without it); they fail with CANCELLED. How many were stopped. */
  'eval:cancel': method(z.object({ runId: Id.optional() }).strict(), z.object({ cancelled: z.number().int().nonnegative() })),
  /** Images where the reconstruction-best candidate of a suggest run is not the one that scores best (CIDEr-D) against the references, strongest first. */
  'audit:disagreements': method(DisagreementsInputSchema, DisagreementsSchema),
  /** References of a reference-audit run whose own reconstruction scored lowest, weakest first. */
  'audit:weak-references': method(WeakReferencesInputSchema, WeakReferencesSchema),
  /** Words a suggest run's captions use that no reference of the image uses (or the reverse), most images first. */
  'audit:vocabulary': method(VocabularyInputSchema, VocabularySchema),
  'notes:get': method(z.object({ imageId: Id }).strict(), ImageNoteSchema),
  /** Replaces an image's note and tags (an empty note and no tags clear them). */
  'notes:set': method(NoteInputSchema, ImageNoteSchema),
  'notes:search': method(NotesSearchInputSchema, NotesSearchSchema),
  /** Every tag in use, with how many images carry it. */
  'notes:tags': method(Empty, TagCountsSchema),
} as const;

export const events = {
  'job:progress': JobProgressSchema,
  'project:changed': ProjectInfoSchema,
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
/** What a caller passes (defaults may be omitted). */
export type MethodInput<M extends MethodName> = z.input<Api[M]['input']>;
/** What a handler receives, after parsing and defaults. */
export type ParsedInput<M extends MethodName> = z.output<Api[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Api[M]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const methodNames = Object.keys(api) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(api, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
