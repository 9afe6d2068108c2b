/**
 * Schemas of the review view's side of the API: the review queue (which images, in which
 * order) and one review item (an image with the candidates of a suggest run, ranked by how
 * close their reconstruction came to the source).
 */
import { z } from 'zod';
import { ImageDetailSchema, ImageStatusSchema } from './schemas.js';

const Id = z.number().int().positive();

/**
 * - `dataset`: the grid's order (dataset, then import order);
 * - `uncertain`: smallest margin between the top two candidates first (the ranking is least sure);
 * - `low-similarity`: lowest similarity of the best reconstruction first (no candidate drew the image well).
 * Images without candidates in the run come last in the two score orders.
 */
export const QueueOrderSchema = z.enum(['dataset', 'uncertain', 'low-similarity']);
export type QueueOrder = z.infer<typeof QueueOrderSchema>;

export const ReviewQueueInputSchema = z
  .object({
    /** The suggest run whose scores order the queue; default the latest with finished images. */
    runId: Id.optional(),
    order: QueueOrderSchema.default('dataset'),
    status: ImageStatusSchema.optional(),
    /** A split: one dataset of the project. */
    datasetId: Id.optional(),
    /**
     * Continue after this image's place in the order (keyset paging): unlike an offset, it stays
     * right while decisions move images in and out of a status filter.
     */
    after: Id.optional(),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().positive().max(5000).default(1000),
  })
  .strict();

export const ReviewQueueEntrySchema = z.object({
  imageId: Id,
  status: ImageStatusSchema,
  /** Similarity of the best candidate's reconstruction to the source; null when the run has none for the image. */
  similarity: z.number().nullable(),
  /** Best similarity minus the runner-up's; null with fewer than two distinct candidates. */
  margin: z.number().nullable(),
});
export type ReviewQueueEntry = z.infer<typeof ReviewQueueEntrySchema>;

export const ReviewQueueSchema = z.object({
  /** The run the queue was ordered by; null when the project has no suggest run with results. */
  runId: Id.nullable(),
  /** Images matching the filter now (wherever `after` starts). */
  total: z.number().int().nonnegative(),
  items: z.array(ReviewQueueEntrySchema),
});
export type ReviewQueue = z.infer<typeof ReviewQueueSchema>;

/** One distinct caption of a suggest run for an image (identical samples are drawn and shown once). */
export const ReviewCandidateSchema = z.object({
  /** The candidate row of its first sample: what a decision records, and the reconstruction's media id. */
  id: Id,
  runId: Id,
  text: z.string(),
  /** 1 = the reconstruction closest to the source: the suggestion. */
  rank: z.number().int().positive().nullable(),
  similarity: z.number().nullable(),
  /** Similarity minus that of the next-ranked candidate; null for the last. */
  marginToNext: z.number().nullable(),
  /** How many of the run's N samples for this image were this caption. */
  samples: z.number().int().positive(),
  hasReconstruction: z.boolean(),
});
export type ReviewCandidate = z.infer<typeof ReviewCandidateSchema>;

export const ReviewItemSchema = z.object({
  image: ImageDetailSchema,
  /** The suggest run the candidates come from; null when no run has candidates for the image. */
  runId: Id.nullable(),
  /** Best first. */
  candidates: z.array(ReviewCandidateSchema),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;
