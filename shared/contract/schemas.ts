/** Runtime schemas for the entities that cross the API. Types are inferred from them. */
import { z } from 'zod';
import { RunStatusSchema } from './run-schemas.js';

export const ImageStatusSchema = z.enum(['undecided', 'accepted', 'edited', 'rejected', 'skipped']);
export type ImageStatus = z.infer<typeof ImageStatusSchema>;

export const DecisionActionSchema = z.enum(['accept', 'edit', 'reject', 'skip', 'undo']);
export type DecisionAction = z.infer<typeof DecisionActionSchema>;

/** Caption choices a user can make; `undo` is a separate method. */
export const RecordableActionSchema = z.enum(['accept', 'edit', 'reject', 'skip']);
export type RecordableAction = z.infer<typeof RecordableActionSchema>;

const Id = z.number().int().positive();

export const ProjectInfoSchema = z.object({
  path: z.string(),
  name: z.string(),
  schemaVersion: z.number().int(),
  datasetCount: z.number().int().nonnegative(),
  imageCount: z.number().int().nonnegative(),
  /**
   * Tells this project's media URLs apart from another's: image ids start at 1 in every project,
   * so without it a browser cache would show the last project's picture for the same id.
   */
  mediaKey: z.string().regex(/^[0-9a-f]{16}$/),
});
export type ProjectInfo = z.infer<typeof ProjectInfoSchema>;

export const DatasetSchema = z.object({
  id: Id,
  name: z.string(),
  rootPath: z.string(),
  kind: z.enum(['folder', 'coco']),
  createdAt: z.string(),
  imageCount: z.number().int().nonnegative(),
});
export type Dataset = z.infer<typeof DatasetSchema>;

export const ReferenceSchema = z.object({
  id: Id,
  imageId: Id,
  externalId: z.number().int().nullable(),
  text: z.string(),
});
export type Reference = z.infer<typeof ReferenceSchema>;

export const DecisionSchema = z.object({
  id: Id,
  imageId: Id,
  actor: z.string(),
  createdAt: z.string(),
  action: DecisionActionSchema,
  finalText: z.string().nullable(),
  referenceId: Id.nullable(),
  /** A suggest-run candidate the decision took (accept) or started from (edit). */
  candidateId: Id.nullable(),
  /** The run of `candidateId` (each candidate row belongs to exactly one run). */
  runId: Id.nullable(),
  undoesId: Id.nullable(),
});
export type Decision = z.infer<typeof DecisionSchema>;

export const ImageSummarySchema = z.object({
  id: Id,
  datasetId: Id,
  externalId: z.number().int().nullable(),
  fileName: z.string(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  status: ImageStatusSchema,
  /** The decided caption if there is one, else the first reference, else null. */
  caption: z.string().nullable(),
});
export type ImageSummary = z.infer<typeof ImageSummarySchema>;

export const ImageDetailSchema = ImageSummarySchema.extend({
  sha256: z.string(),
  bytes: z.number().int().nonnegative(),
  /** The image's first references, oldest first: at most MAX_REFERENCES_RETURNED (limits.ts). */
  references: z.array(ReferenceSchema),
  /** How many references the image has; above `references.length` only in projects imported before the cap. */
  referenceCount: z.number().int().nonnegative(),
  /** The decision in force (latest not undone), if any. */
  decision: DecisionSchema.nullable(),
  /** Every decision row for this image, oldest first, undo rows included. */
  history: z.array(DecisionSchema),
});
export type ImageDetail = z.infer<typeof ImageDetailSchema>;

export const ImportProblemSchema = z.object({
  /** File name, image id or annotation id the problem is about. */
  item: z.string(),
  code: z.enum([
    'unreadable',
    'not-an-image',
    'empty-file',
    'truncated',
    'too-large',
    'missing-file',
    'duplicate-id',
    'missing-image',
    'invalid-entry',
    'unsupported',
  ]),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblemSchema>;

export const ImportReportSchema = z.object({
  datasetId: Id,
  imported: z.number().int().nonnegative(),
  alreadyPresent: z.number().int().nonnegative(),
  references: z.number().int().nonnegative(),
  problems: z.array(ImportProblemSchema),
  durationMs: z.number().nonnegative(),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const CaptionSourceSchema = z.enum(['prefer-decided', 'references', 'decided-only']);
export type CaptionSource = z.infer<typeof CaptionSourceSchema>;

export const JobProgressSchema = z.object({
  jobId: z.string(),
  /** Imports, exports, evaluation reports and model pulls, or a run of the reconstruction engine (then `runId` and the fields below are set). */
  kind: z.enum(['import', 'export', 'suggest', 'verify-images', 'reference-audit', 'eval', 'model-pull']),
  phase: z.string(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** This job stopped: it finished, or (a run) was paused, cancelled or failed; `status` says which. */
  finished: z.boolean(),
  runId: Id.optional(),
  status: RunStatusSchema.optional(),
  /** Items that failed (a run's `done` counts only the successful ones). */
  failed: z.number().int().nonnegative().optional(),
  itemsPerSecond: z.number().nonnegative().optional(),
  /** Seconds left at the current rate; null before the first item of this session finished. */
  etaSeconds: z.number().nonnegative().nullable().optional(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;
