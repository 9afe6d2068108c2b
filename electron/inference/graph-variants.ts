/**
 * Which precision variant of a graph to open. A transformers.js-layout folder may hold several
 * files per graph (`onnx/encoder_model.onnx`, `…_fp16.onnx`, `…_quantized.onnx`, `_int8`, `_uint8`,
 * `_q4`, `_q4f16`, `_bnb4`; MODELS.md appendix §0, §1, §2): every loader asks here instead of
 * naming the fp32 file, so the captioner, the embedders and the generator choose the same way:
 *
 *  1. the dtype chosen for this model (run settings, the project's choice): its file must exist —
 *     a missing one is an error naming the file and the variants that are there;
 *  2. else the dtype the manifest says the folder was pulled with;
 *  3. else the best variant present for the provider. transformers.js defaults to fp32 on every
 *     device but wasm (appendix §0), so on the CPU fp32 comes first, then the 8-bit variants
 *     (what transformers.js uses on wasm), then fp16 (slow on CPU kernels), then 4-bit. On CUDA
 *     fp16 comes first: it is what GPU exports are published for (appendix §4, Olive fp16 builds).
 *
 * Diffusers layouts hold one file per component (`unet/model.onnx`); their dtype is the precision
 * of the weights the graph holds, see `declaredDtype`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import { DTYPE_SUFFIX, ONNX_DTYPES, type OnnxDtype } from '../../shared/contract/onnx-dtypes.js';
import type { ExecutionProvider, SessionOptions } from './onnx/session.js';
import { readWeightPrecision, type WeightPrecision } from './onnx/weight-precision.js';

export interface VariantPreference {
  /** Chosen for this model by the run or the project: must be present. */
  dtype?: OnnxDtype | undefined;
  /** What the folder's manifest says it holds. */
  manifestDtype?: OnnxDtype | undefined;
  provider?: ExecutionProvider | undefined;
}

/** What every model loader takes: where to run, and which variant the run or the manifest asks for. */
export interface LoadOptions extends SessionOptions {
  dtype?: OnnxDtype | undefined;
  manifestDtype?: OnnxDtype | undefined;
}

export interface GraphVariant {
  dtype: OnnxDtype;
  file: string;
}

export interface GraphChoice extends GraphVariant {
  /** Why this variant: for the run card and for errors. */
  reason: 'chosen' | 'manifest' | 'best present';
}

const CPU_ORDER: readonly OnnxDtype[] = ['fp32', 'q8', 'int8', 'uint8', 'fp16', 'q4', 'bnb4', 'q4f16'];
const GPU_ORDER: readonly OnnxDtype[] = ['fp16', 'fp32', 'q4f16', 'q8', 'int8', 'uint8', 'q4', 'bnb4'];

/** Preference order for a provider when nothing is chosen. */
export function variantOrder(provider: ExecutionProvider = 'cpu'): readonly OnnxDtype[] {
  return provider === 'cuda' ? GPU_ORDER : CPU_ORDER;
}

/**
 * The variants of `graph` (a base name such as `encoder_model`) present in `dir`: under `onnx/`
 * (transformers.js layout) or, when that folder has none, at the root (older flat exports).
 */
export function graphVariants(dir: string, graph: string): GraphVariant[] {
  for (const folder of [join(dir, 'onnx'), dir]) {
    const present = ONNX_DTYPES.map((dtype) => ({ dtype, file: join(folder, `${graph}${DTYPE_SUFFIX[dtype]}.onnx`) })).filter((v) => existsSync(v.file));
    if (present.length > 0) return present;
  }
  return [];
}

/** The file of `graph` to open for this preference; an error naming the file when it is not there. */
export function chooseGraphVariant(dir: string, graph: string, preference: VariantPreference = {}): GraphChoice {
  const present = graphVariants(dir, graph);
  const wanted = preference.dtype ?? preference.manifestDtype;
  if (wanted !== undefined) {
    const found = present.find((v) => v.dtype === wanted);
    if (found) return { ...found, reason: preference.dtype !== undefined ? 'chosen' : 'manifest' };
    const why = preference.dtype !== undefined ? `dtype ${wanted} was chosen for this model` : `roundtrip-model.json says the folder holds dtype ${wanted}`;
    throw new ApiError(ErrorCode.NotFound, `${expectedFile(dir, graph, wanted)}: missing file (${why}; ${describePresent(present)})`);
  }
  const best = variantOrder(preference.provider).map((dtype) => present.find((v) => v.dtype === dtype)).find((v) => v !== undefined);
  if (!best) throw new ApiError(ErrorCode.NotFound, `${expectedFile(dir, graph, 'fp32')}: missing file (no variant of ${graph} in ${dir})`);
  return { ...best, reason: 'best present' };
}

/**
 * The first of `graphs` that can serve the preference — a graph that has the wanted variant, or
 * any variant when none is wanted — e.g. the merged decoder, else the no-cache one. When none
 * can, the error is the first graph's.
 */
export function chooseFirstGraphVariant(dir: string, graphs: readonly string[], preference: VariantPreference = {}): GraphChoice & { graph: string } {
  const wanted = preference.dtype ?? preference.manifestDtype;
  for (const graph of graphs) {
    const present = graphVariants(dir, graph);
    if (present.length > 0 && (wanted === undefined || present.some((v) => v.dtype === wanted))) return { ...chooseGraphVariant(dir, graph, preference), graph };
  }
  return { ...chooseGraphVariant(dir, graphs[0]!, preference), graph: graphs[0]! };
}

/**
 * The dtype of a one-file-per-component graph (diffusers layout): the precision of its weights,
 * read from the file (onnx/weight-precision.ts) — as in transformers.js, a dtype names the
 * weights, not the inputs and outputs (SD-turbo's fp16 UNet and an 8-bit UNet both take float32;
 * MODELS.md appendix §0, §4). How each input is fed is read per tensor elsewhere (onnx/feeds.ts).
 *
 * A chosen dtype must be the one the file holds, else it is refused naming the file: such a
 * folder holds exactly one variant of each component. 8-bit weights are labelled q8 (what
 * transformers.js's q8 is: 8-bit, the integer type picked per graph) and also answer to the one
 * of int8/uint8 that names their type; the other is refused, as a transformers.js folder's
 * `_int8` file is not its `_uint8` one.
 */
export function declaredDtype(file: string, chosen?: OnnxDtype): OnnxDtype {
  const weights = readWeightPrecision(file);
  if (chosen !== undefined && !holdsDtype(weights, chosen)) {
    throw new ApiError(
      ErrorCode.InvalidInput,
      `${file}: holds ${describeWeights(weights)}; a diffusers ONNX folder holds one variant per component, so dtype ${chosen} cannot be chosen for it — pull that variant into its own folder`,
    );
  }
  return weights.dtype;
}

/** Whether a graph with these weights is the variant `dtype` names. */
export function holdsDtype(weights: Pick<WeightPrecision, 'dtype' | 'eightBitType'>, dtype: OnnxDtype): boolean {
  return dtype === weights.dtype || (weights.dtype === 'q8' && dtype === weights.eightBitType);
}

function describeWeights(weights: WeightPrecision): string {
  if (weights.dtype === 'q8') return `8-bit ${weights.eightBitType} weights (${weights.quantizedOps.join(', ')}: dtype q8 or ${weights.eightBitType})`;
  const what: Record<string, string> = { fp32: 'float32', fp16: 'float16', q4: '4-bit', q4f16: '4-bit and float16', bnb4: 'bitsandbytes 4-bit' };
  return `${what[weights.dtype]} weights (dtype ${weights.dtype})`;
}

function expectedFile(dir: string, graph: string, dtype: OnnxDtype): string {
  return join(dir, 'onnx', `${graph}${DTYPE_SUFFIX[dtype]}.onnx`);
}

function describePresent(present: readonly GraphVariant[]): string {
  if (present.length === 0) return 'no variant is present';
  return `present: ${present.map((v) => `${v.dtype} (${v.file.split(/[\\/]/).slice(-2).join('/')})`).join(', ')}`;
}
