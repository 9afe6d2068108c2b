/**
 * Eigen-decomposition of a real symmetric matrix: Householder reduction to tridiagonal form, then
 * the implicit (shifted) QL algorithm — EISPACK's tred2/tql2 as written out in
 * JAMA (public domain), here on flat row-major Float64Arrays. O(d³) (the Householder reduction,
 * its accumulation and the QL rotations of the vectors); without vectors the QL phase is only
 * O(d²). Always real eigenvalues and an orthonormal eigenbasis, even for singular,
 * rank-deficient or repeated-eigenvalue input (a covariance of n < d samples). Cyclic Jacobi
 * would do too, but needs several O(d³) sweeps, which matters at d = 768.
 *
 * The input is assumed symmetric (not checked: callers build it symmetric).
 */

export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /**
   * Row-major [d, d]: row k is the unit eigenvector of values[k] (so it is Vᵀ for A = V Λ Vᵀ).
   * Absent when only the values were asked for.
   */
  vectors?: Float64Array;
}

const EPS = 2 ** -52;

/** Eigenvalues (ascending) and, unless `vectors: false`, eigenvectors of the symmetric d×d `a`. */
export function symmetricEigen(a: ArrayLike<number>, d: number, options: { vectors?: boolean } = {}): SymmetricEigen {
  const wantVectors = options.vectors ?? true;
  if (!Number.isInteger(d) || d < 0) throw new Error(`symmetricEigen: invalid dimension ${d}`);
  if (a.length !== d * d) throw new Error(`symmetricEigen: expected ${d * d} values for ${d}×${d}, got ${a.length}`);
  if (d === 0) return wantVectors ? { values: new Float64Array(0), vectors: new Float64Array(0) } : { values: new Float64Array(0) };
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]!)) throw new Error('symmetricEigen: matrix has a non-finite entry');
  }
  const v = Float64Array.from(a);
  const diag = new Float64Array(d);
  const off = new Float64Array(d);
  tred2(v, diag, off, d);
  // tql2 rotates pairs of *columns* of V; on the transpose those are contiguous rows.
  const w = wantVectors ? transpose(v, d) : null;
  tql2(diag, off, w, d);
  return sortAscending(diag, w, d);
}

/**
 * Householder tridiagonalisation (JAMA tred2). On return `d` holds the diagonal, `e[1..]` the
 * sub-diagonal, and `v` the accumulated orthogonal transform.
 */
function tred2(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    // Scale to avoid under/overflow.
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j]!;
        v[i * n + j] = 0;
        v[j * n + i] = 0;
      }
    } else {
      // Householder vector.
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // Similarity transformation of the remaining columns.
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        v[j * n + i] = f;
        g = e[j]! + v[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k * n + j]! * d[k]!;
          e[k]! += v[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) v[k * n + j]! -= f * e[k]! + g * d[k]!;
        d[j] = v[(i - 1) * n + j]!;
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i]!;
    v[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[k * n + i + 1]! * v[k * n + j]!;
        for (let k = 0; k <= i; k++) v[k * n + j]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j]!;
    v[(n - 1) * n + j] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/**
 * Implicit QL on the tridiagonal (d, e) (JAMA tql2). `w`, when given, is Vᵀ from tred2 and its
 * rows are rotated along, ending as the eigenvectors.
 */
function tql2(d: Float64Array, e: Float64Array, w: Float64Array | null, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  // Each eigenvalue converges in a handful of iterations; this bound only guards against a loop.
  const maxIterations = 60;
  for (let l = 0; l < n; l++) {
    // Find a negligible sub-diagonal element.
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > EPS * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > maxIterations) throw new Error('symmetricEigen: QL iteration did not converge');
        // Implicit shift.
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        // Implicit QL transformation.
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          if (w) {
            const a = i * n;
            const b = (i + 1) * n;
            for (let k = 0; k < n; k++) {
              const hk = w[b + k]!;
              w[b + k] = s * w[a + k]! + c * hk;
              w[a + k] = c * w[a + k]! - s * hk;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > EPS * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}

function transpose(m: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = m[i * n + j]!;
  return t;
}

function sortAscending(values: Float64Array, rows: Float64Array | null, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => values[x]! - values[y]!);
  const sorted = Float64Array.from(order, (i) => values[i]!);
  if (!rows) return { values: sorted };
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => vectors.set(rows.subarray(from * n, from * n + n), to * n));
  return { values: sorted, vectors };
}
