/** Vector helpers for embeddings: normalisation, masked mean pooling and cosine similarity. */

/**
 * Unit-length copy of `v`. Like torch's F.normalize the norm is clamped (1e-12), so a zero
 * vector stays zero instead of becoming NaN; a NaN would poison every ranking it touches.
 */
export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.max(Math.sqrt(sum), 1e-12);
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / norm;
  return out;
}

/** Rows of a row-major [rows, dim] buffer, copied (the source is onnxruntime's output buffer). */
export function splitRows(data: Float32Array, rows: number, dim: number): Float32Array[] {
  return Array.from({ length: rows }, (_, r) => data.slice(r * dim, (r + 1) * dim));
}

/**
 * sentence-transformers' mean pooling over a [batch, seq, dim] buffer: the average of the token
 * vectors whose mask is 1, so padding never shifts a sentence's embedding. The count is clamped
 * (1e-9) as sentence-transformers does, for an all-padding row.
 */
export function maskedMeanPool(hidden: Float32Array, mask: readonly (readonly number[])[], seq: number, dim: number): Float32Array[] {
  return mask.map((rowMask, b) => {
    const out = new Float64Array(dim);
    let count = 0;
    for (let s = 0; s < seq; s++) {
      const m = rowMask[s] ?? 0;
      if (m === 0) continue;
      count += m;
      const base = (b * seq + s) * dim;
      for (let d = 0; d < dim; d++) out[d]! += hidden[base + d]! * m;
    }
    const denom = Math.max(count, 1e-9);
    return Float32Array.from(out, (x) => x / denom);
  });
}

/**
 * Cosine similarity. Embedders return unit vectors, where this is the dot product; dividing by
 * the norms anyway keeps it right for any vector, and a zero vector scores 0 rather than NaN.
 */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`cosine: vectors differ in length (${a.length} vs ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  if (na === 0 || nb === 0) return 0;
  return dot / Math.sqrt(na * nb);
}

/** `m[i][j] = cosine(as[i], bs[j])`, normalising each vector once rather than per pair. */
export function cosineMatrix(as: readonly ArrayLike<number>[], bs: readonly ArrayLike<number>[]): number[][] {
  const unitA = as.map(unit);
  const unitB = bs.map(unit);
  return unitA.map((a) =>
    unitB.map((b) => {
      if (a.length !== b.length) throw new Error(`cosineMatrix: vectors differ in length (${a.length} vs ${b.length})`);
      let dot = 0;
      for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
      return dot;
    }),
  );
}

/** Float64 unit vector; zero stays zero (its dot with anything is 0, matching `cosine`). */
function unit(v: ArrayLike<number>): Float64Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  const out = new Float64Array(v.length);
  if (norm > 0) for (let i = 0; i < v.length; i++) out[i] = v[i]! / norm;
  return out;
}

/** `items` in consecutive slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  // A zero or fractional batch size would loop forever or split oddly; refuse it loudly.
  if (!Number.isInteger(size) || size < 1) throw new Error(`batch size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
