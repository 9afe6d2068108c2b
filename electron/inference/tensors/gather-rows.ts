import ort from 'onnxruntime-node';
import { float32Values } from '../onnx/feeds.js';

/**
 * A new tensor whose row j is row `rows[j]` of `tensor` along the first axis (rows may repeat):
 * how beam search and N-candidate sampling fan a KV cache or an encoder output out and back.
 * float16 tensors (an fp16 decoder's cache) are copied as their bit patterns, unchanged.
 */
export function gatherRows(tensor: ort.Tensor, rows: readonly number[]): ort.Tensor {
  if (tensor.type !== 'float32' && tensor.type !== 'float16') throw new Error(`gatherRows: expected a float32 or float16 tensor, got ${tensor.type}`);
  const [batch = 0, ...rest] = tensor.dims;
  const stride = rest.reduce((a, b) => a * b, 1);
  const source = tensor.data as Float32Array | Uint16Array;
  const out = tensor.type === 'float32' ? new Float32Array(rows.length * stride) : new Uint16Array(rows.length * stride);
  rows.forEach((row, j) => {
    if (row < 0 || row >= batch) throw new RangeError(`gatherRows: row ${row} is outside a batch of ${batch}`);
    out.set(source.subarray(row * stride, (row + 1) * stride), j * stride);
  });
  return new ort.Tensor(tensor.type, out, [rows.length, ...rest]);
}

/** Row-major logits of the last position of each row of a [rows, positions, vocab] tensor, as float32 (fp16 logits converted). */
export function lastPositionLogits(logits: ort.Tensor): Float32Array {
  const [rows = 0, positions = 0, vocab = 0] = logits.dims;
  const data = float32Values(logits, 'logits');
  const out = new Float32Array(rows * vocab);
  for (let r = 0; r < rows; r++) {
    const start = (r * positions + positions - 1) * vocab;
    out.set(data.subarray(start, start + vocab), r * vocab);
  }
  return out;
}
