/**
 * Row bookkeeping shared by the generator's graphs: running a batch in the chunks a graph
 * accepts (most exports take any batch; statically shaped ones fix it), and counting what ran —
 * the benchmark reports UNet evaluations per suggestion and compares wall time with the time
 * spent inside onnxruntime.
 */
import type ort from 'onnxruntime-node';
import type { OnnxSession, TensorSpec } from '../onnx/session.js';

export type GraphRole = 'textEncoder' | 'unet' | 'vaeDecoder' | 'vaeEncoder';

export interface GeneratorStats {
  /** UNet rows evaluated: one per image per step, two with classifier-free guidance. */
  unetEvaluations: number;
  /** UNet run() calls (one per step for the whole batch, unless the graph fixes its batch). */
  unetRuns: number;
  /** run() calls per graph. */
  runs: Record<GraphRole, number>;
  /** Milliseconds spent inside onnxruntime's run(), all graphs together. */
  runMs: number;
}

export function emptyStats(): GeneratorStats {
  return { unetEvaluations: 0, unetRuns: 0, runs: { textEncoder: 0, unet: 0, vaeDecoder: 0, vaeEncoder: 0 }, runMs: 0 };
}

/** Runs graphs and keeps the counts; one per Generator. */
export class RunMeter {
  stats = emptyStats();

  async run(role: GraphRole, session: OnnxSession, feeds: Record<string, ort.Tensor>, rows: number): Promise<Record<string, ort.Tensor>> {
    const start = performance.now();
    try {
      return await session.run(feeds);
    } finally {
      this.stats.runMs += performance.now() - start;
      this.stats.runs[role] += 1;
      if (role === 'unet') {
        this.stats.unetRuns += 1;
        this.stats.unetEvaluations += rows;
      }
    }
  }
}

/** The batch size a graph fixes on an input's first dimension, or null when any batch works. */
export function fixedBatch(spec: TensorSpec): number | null {
  const first = spec.shape[0];
  return typeof first === 'number' && first > 0 ? first : null;
}

/**
 * Computes `rows` independent rows with `run` (given the row indices of one chunk, it returns
 * that chunk's outputs, row-major) and concatenates the results. With a fixed batch the rows go
 * in chunks of that size, the last padded by repeating its final row; the padding's outputs are
 * dropped. Without one, everything goes in a single run.
 */
export async function inRowChunks(rows: number, fixed: number | null, run: (indices: number[]) => Promise<Float32Array>): Promise<Float32Array> {
  const size = fixed ?? rows;
  const parts: Float32Array[] = [];
  for (let start = 0; start < rows; start += size) {
    const real = Math.min(size, rows - start);
    const indices = Array.from({ length: size }, (_, j) => start + Math.min(j, real - 1));
    const out = await run(indices);
    const rowSize = out.length / size;
    parts.push(out.subarray(0, real * rowSize));
  }
  return concat(parts);
}

/** Rows `indices` of a row-major [rows, rowSize] array (rows may repeat). */
export function takeRows(data: Float32Array, rowSize: number, indices: readonly number[]): Float32Array<ArrayBuffer> {
  const out = new Float32Array(indices.length * rowSize);
  indices.forEach((row, j) => out.set(data.subarray(row * rowSize, (row + 1) * rowSize), j * rowSize));
  return out;
}

export function concat(parts: readonly Float32Array[]): Float32Array<ArrayBuffer> {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
