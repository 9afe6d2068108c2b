/**
 * Schemas of the models view's maintenance methods: verifying an installed model's files and
 * graphs, and pulling a model from a Hugging Face hub (or the mirror ROUNDTRIP_HUB_URL names).
 */
import { z } from 'zod';
import { ModelInfoSchema } from './run-schemas.js';

const Count = z.number().int().nonnegative();

export const ModelVerifyInputSchema = z
  .object({
    id: z.string().min(1).max(300),
    /** Hash every file against the manifest (slow for gigabyte models); sizes are always checked. */
    hashes: z.boolean().default(true),
  })
  .strict();

export const ModelVerifyReportSchema = z.object({
  id: z.string(),
  path: z.string(),
  ok: z.boolean(),
  /** Each names the file it is about. */
  problems: z.array(z.string()),
  warnings: z.array(z.string()),
  filesChecked: Count,
  graphsChecked: Count,
});
export type ModelVerifyReport = z.infer<typeof ModelVerifyReportSchema>;

export const ModelPullInputSchema = z
  .object({
    /** A hub repository id, `org/name`. */
    repo: z
      .string()
      .trim()
      .max(200)
      .regex(/^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/, 'Expected a hub repository id, org/name'),
    revision: z.string().trim().min(1).max(200).regex(/^[\w./-]+$/).optional(),
    /** Skips guessing the family from config.json / model_index.json. */
    family: z.string().min(1).max(100).optional(),
    /** ONNX weights variant (fp32, fp16, int8, …). */
    dtype: z.string().min(1).max(20).optional(),
  })
  .strict();

export const ModelPullResultSchema = z.object({
  model: ModelInfoSchema,
  /** The graphs checked against the family right after the download (hashes were checked while downloading). */
  verify: ModelVerifyReportSchema,
});
export type ModelPullResult = z.infer<typeof ModelPullResultSchema>;
