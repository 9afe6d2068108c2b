/**
 * How each model of a run opens: the session options of the run (provider, threads) plus the
 * precision variant chosen for that model (run settings' `dtypes`, the project's choice) and the
 * one its manifest says the folder was pulled with. graph-variants.ts turns these into a file
 * per graph, falling back to the best variant present for the provider.
 */
import type { OnnxDtype } from '../../shared/contract/onnx-dtypes.js';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import type { LoadOptions } from '../inference/graph-variants.js';
import type { SessionOptions } from '../inference/onnx/session.js';
import { readManifest } from '../models/manifest.js';

/** The engine's model roles (the image embedder is `embedder` here, as in EngineModelDirs). */
export type EngineRole = 'captioner' | 'generator' | 'embedder' | 'textEmbedder';
export type EngineModelDtypes = Partial<Record<EngineRole, OnnxDtype>>;

export async function modelLoadOptions(dir: string, options: SessionOptions, chosen: OnnxDtype | undefined): Promise<LoadOptions> {
  let manifestDtype: OnnxDtype | undefined;
  try {
    manifestDtype = (await readManifest(dir))?.dtype;
  } catch (error) {
    throw new ApiError(ErrorCode.BadFormat, `${dir}: ${(error as Error).message}`);
  }
  return { ...options, ...(chosen ? { dtype: chosen } : {}), ...(manifestDtype ? { manifestDtype } : {}) };
}
