/**
 * How each model of a run opens: the session options of the run (provider, threads) plus the
 * precision variant chosen for that model (run settings' `dtypes`, the project's choice) and the
 * one its manifest says the folder was pulled with. graph-variants.ts turns these into a file
 * per graph, falling back to the best variant present for the provider.
 */
import { z } from 'zod';
import { type ModelDtypes, ModelDtypesSchema, OnnxDtypeSchema, type OnnxDtype } from '../../shared/contract/onnx-dtypes.js';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import type { ModelSlot } from '../../shared/contract/run-schemas.js';
import type { LoadOptions } from '../inference/graph-variants.js';
import type { SessionOptions } from '../inference/onnx/session.js';
import { readManifest } from '../models/manifest.js';

/**
 * What a run records under `dtypes`: the API's slots (ModelDtypesSchema), except that the image
 * embedder goes by its engine role name `embedder` (as in EngineModelDirs) — the form every
 * stored run has, read back when it opens or resumes.
 */
export const EngineModelDtypesSchema = ModelDtypesSchema.omit({ imageEmbedder: true }).extend({ embedder: OnnxDtypeSchema.optional() }).strict();
export type EngineModelDtypes = z.infer<typeof EngineModelDtypesSchema>;
export type EngineRole = keyof EngineModelDtypes;

function engineRole(slot: ModelSlot): EngineRole {
  return slot === 'imageEmbedder' ? 'embedder' : slot;
}

export async function modelLoadOptions(dir: string, options: SessionOptions, chosen: OnnxDtype | undefined): Promise<LoadOptions> {
  let manifestDtype: OnnxDtype | undefined;
  try {
    manifestDtype = (await readManifest(dir))?.dtype;
  } catch (error) {
    throw new ApiError(ErrorCode.BadFormat, `${dir}: ${(error as Error).message}`);
  }
  return { ...options, ...(chosen ? { dtype: chosen } : {}), ...(manifestDtype ? { manifestDtype } : {}) };
}

/**
 * A run's choice by the API's slot names as the engine records it (`imageEmbedder` → `embedder`);
 * `{}` when nothing is chosen. A choice for a slot the run does not use is refused rather than
 * dropped, so nobody believes a run used a variant it never opened.
 */
export function engineDtypes(dtypes: ModelDtypes | undefined, slots: readonly ModelSlot[], kind: string): { dtypes?: EngineModelDtypes } {
  const out: EngineModelDtypes = {};
  for (const [slot, dtype] of Object.entries(dtypes ?? {}) as [ModelSlot, OnnxDtype | undefined][]) {
    if (dtype === undefined) continue;
    if (!slots.includes(slot)) throw new ApiError(ErrorCode.InvalidInput, `dtypes.${slot}: a ${kind} run has no ${slot} model (its models: ${slots.join(', ')})`);
    out[engineRole(slot)] = dtype;
  }
  return Object.keys(out).length > 0 ? { dtypes: out } : {};
}

/** The variants a run recorded (`{}` for runs from before variants could be chosen). */
export function recordedDtypes(recorded: unknown): EngineModelDtypes {
  const value = (recorded as { dtypes?: unknown } | null)?.dtypes;
  if (value === undefined) return {};
  const parsed = EngineModelDtypesSchema.safeParse(value);
  if (!parsed.success) throw new ApiError(ErrorCode.BadFormat, `The run's recorded dtypes cannot be read: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
