/**
 * Tensors shaped for what a graph declares. Exports of the same family differ (input_ids int32
 * in legacy SD exports, int64 elsewhere; timestep int64[1] in SD 1.x exports, a float32 scalar
 * in newer Optimum ones; float16 inputs, caches and outputs in `_fp16` variants and fp16
 * diffusion exports), so every feed is built from the session's own TensorSpec, and every float
 * output is read back as float32 whatever the graph returns.
 */
import ort from 'onnxruntime-node';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { float16ToFloat32, float32ToFloat16 } from './float16.js';
import type { TensorSpec } from './session.js';

/** Token ids as a [rows, length] tensor of the spec's integer type. Rows must be equally long. */
export function tokenIdsTensor(spec: TensorSpec, rows: readonly (readonly number[])[]): ort.Tensor {
  const length = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== length)) throw new Error(`${spec.name}: rows differ in length; pad them first`);
  const flat = rows.flat();
  const dims = [rows.length, length];
  switch (spec.dtype) {
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(flat, (v) => BigInt(v)), dims);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(flat), dims);
    default:
      throw unsupported(spec, 'int32 or int64');
  }
}

/** A diffusion timestep as the UNet declares it: int64 [1], float32/float16 [1], or a float scalar. */
export function timestepTensor(spec: TensorSpec, timestep: number): ort.Tensor {
  const dims = spec.shape.length === 0 ? [] : [1];
  switch (spec.dtype) {
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.of(BigInt(Math.round(timestep))), dims);
    case 'float32':
    case 'float16':
      return floatTensor(spec, Float32Array.of(timestep), dims);
    default:
      throw unsupported(spec, 'int64, float32 or float16');
  }
}

/**
 * An empty past key/value for the first step of a merged decoder: the symbolic batch dimension
 * becomes `batch`, the past-length dimension 0, fixed dimensions stay as declared.
 */
export function emptyPastTensor(spec: TensorSpec, batch: number): ort.Tensor {
  if (spec.shape.length !== 4) throw new ApiError(ErrorCode.BadFormat, `${spec.name}: expected a rank-4 past tensor, found rank ${spec.shape.length}`);
  const [b, heads, , headDim] = spec.shape;
  const dims = [typeof b === 'number' ? b : batch, numeric(spec, heads), 0, numeric(spec, headDim)];
  // An fp16 decoder declares a float16 cache (transformers.js shapes empty caches from the
  // session's metadata too, models/modeling_utils.js getPastKeyValues; MODELS.md appendix §0).
  if (spec.dtype === 'float16') return new ort.Tensor('float16', new Uint16Array(0), dims);
  if (spec.dtype === 'float32') return new ort.Tensor('float32', new Float32Array(0), dims);
  throw unsupported(spec, 'float32 or float16');
}

export function boolTensor(value: boolean): ort.Tensor {
  return new ort.Tensor('bool', Uint8Array.of(value ? 1 : 0), [1]);
}

export function float32Tensor(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}

/** float32 values as the input declares them: float32 as is, float16 converted (ties to even). */
export function floatTensor(spec: TensorSpec, data: Float32Array, dims: readonly number[]): ort.Tensor {
  if (spec.dtype === 'float32') return new ort.Tensor('float32', data, dims);
  if (spec.dtype === 'float16') return new ort.Tensor('float16', float32ToFloat16(data), dims);
  throw unsupported(spec, 'float32 or float16');
}

/** Whether a graph input takes floating-point values we can feed (for load-time checks). */
export function isFloatInput(spec: TensorSpec): boolean {
  return spec.dtype === 'float32' || spec.dtype === 'float16';
}

/**
 * A float tensor (a graph's output) in the dtype `spec` declares: passed through when they agree,
 * converted when an fp16 encoder feeds an fp32 decoder or the other way round.
 */
export function asInputDtype(tensor: ort.Tensor, spec: TensorSpec): ort.Tensor {
  if (tensor.type === spec.dtype) return tensor;
  return floatTensor(spec, float32Values(tensor, spec.name), tensor.dims);
}

/** A float output's values as float32 (float16 bit patterns converted), or an error naming it. */
export function float32Values(tensor: ort.Tensor, name: string): Float32Array {
  if (tensor.type === 'float32') return tensor.data as Float32Array;
  // Bit patterns in a Uint16Array, or real values where the runtime has a Float16Array.
  if (tensor.type === 'float16') return tensor.data instanceof Uint16Array ? float16ToFloat32(tensor.data) : Float32Array.from(tensor.data as ArrayLike<number>);
  throw new ApiError(ErrorCode.BadFormat, `'${name}' has type ${tensor.type}; expected float32 or float16`);
}

/** A graph output's values as float32 (an fp16 variant's converted), or an error naming the file and output. */
export function float32Output(tensor: ort.Tensor, file: string, output: string): Float32Array {
  if (tensor.type !== 'float32' && tensor.type !== 'float16') throw new ApiError(ErrorCode.BadFormat, `${file}: output '${output}' is not float32 or float16`);
  return float32Values(tensor, output);
}

function numeric(spec: TensorSpec, dim: number | string | undefined): number {
  if (typeof dim !== 'number') {
    throw new ApiError(ErrorCode.BadFormat, `${spec.name}: heads and head size must be fixed dimensions, found '${String(dim)}'`);
  }
  return dim;
}

function unsupported(spec: TensorSpec, expected: string): ApiError {
  return new ApiError(ErrorCode.BadFormat, `input '${spec.name}' has type ${spec.dtype}; expected ${expected}`);
}
