/**
 * Tensors shaped for what a graph declares. Exports of the same family differ (input_ids int32
 * in legacy SD exports, int64 elsewhere; timestep int64[1] in SD 1.x exports, a float32 scalar
 * in newer Optimum ones), so every feed is built from the session's own TensorSpec.
 */
import ort from 'onnxruntime-node';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
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

/** A diffusion timestep as the UNet declares it: int64 [1], float32 [1], or a float32 scalar. */
export function timestepTensor(spec: TensorSpec, timestep: number): ort.Tensor {
  const dims = spec.shape.length === 0 ? [] : [1];
  switch (spec.dtype) {
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.of(BigInt(Math.round(timestep))), dims);
    case 'float32':
      return new ort.Tensor('float32', Float32Array.of(timestep), dims);
    default:
      throw unsupported(spec, 'int64 or float32');
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
  return new ort.Tensor('float32', new Float32Array(0), dims);
}

export function boolTensor(value: boolean): ort.Tensor {
  return new ort.Tensor('bool', Uint8Array.of(value ? 1 : 0), [1]);
}

export function float32Tensor(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
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
