/**
 * Fréchet distance between two feature sets, each summarised as a Gaussian (mean μ, covariance Σ):
 *
 *   FD = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2})
 *
 * (Dowson & Landau 1982; the FID of Heusel et al. 2017 is this over Inception pool features —
 * here the features are whatever image embedder the caller chose, CLIP or DINOv2).
 *
 * How the trace of the matrix square root is computed, and why it is robust:
 *  - pytorch-fid takes scipy's sqrtm of the *non-symmetric* product Σ₁Σ₂, which can return
 *    complex values and fails outright for singular covariances (it then adds εI). Instead we use
 *    the symmetric form M = Σ₁^{1/2} Σ₂ Σ₁^{1/2} (same eigenvalues as Σ₁Σ₂), which is symmetric
 *    positive semi-definite, so a symmetric eigen-solver (./symmetric-eigen.ts) applies and every
 *    eigenvalue is real.
 *  - Σ₁ = V Λ Vᵀ gives Σ₁^{1/2} = V Λ^{1/2} Vᵀ, and M is orthogonally similar to
 *    K = Bᵀ Σ₂ B with B = V Λ^{1/2}. Columns of B whose eigenvalue is (numerically) zero vanish,
 *    so K is only r×r, r = rank Σ₁ ≤ min(d, n₁ − 1): with n < d samples the work shrinks with it.
 *    The set with fewer samples plays Σ₁ (the result is symmetric in the two sets).
 *  - Eigenvalues of Σ₁ and of K that are negative or below the numerical-rank tolerance
 *    max(d, n)·ε·λ_max (the tolerance numpy.linalg.matrix_rank uses) are rounding noise of a
 *    positive semi-definite matrix and are clamped to 0 before the square root; the largest
 *    clamped negative is reported. Tr((K)^{1/2}) = Σ √λ_k(K).
 *  - A total below 0 can only be rounding (FD ≥ 0 always) and is clamped to 0.
 * Cost: one d×d eigen-decomposition with vectors, an r×d×d and an r×r×d product, and an r×r
 * eigenvalue-only decomposition, all O(d³) (timings: bench/embedding-metrics.bench.ts).
 */
import { featureStats, type GaussianStats } from './moments.js';
import { symmetricEigen } from './symmetric-eigen.js';

export interface FrechetDistance {
  distance: number;
  /** ‖μ₁ − μ₂‖². */
  meanTerm: number;
  /** Tr(Σ₁ + Σ₂ − 2 (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}). */
  covarianceTerm: number;
  /** Tr((Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}). */
  traceSqrt: number;
  /** Numerical rank of the covariance used as Σ₁ (the smaller set's). */
  rank: number;
  /** Most negative eigenvalue clamped to 0 (0 if none): how far rounding strayed from PSD. */
  clampedNegative: number;
}

const EPS = 2 ** -52;

export function frechetDistance(a: GaussianStats, b: GaussianStats): FrechetDistance {
  const d = a.dim;
  if (b.dim !== d) throw new Error(`Fréchet distance: feature dimensions differ (${a.dim} vs ${b.dim})`);
  for (const s of [a, b]) {
    if (s.mean.length !== d || s.covariance.length !== d * d) throw new Error(`Fréchet distance: stats do not match dimension ${d}`);
  }
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (a.mean[i]! - b.mean[i]!) ** 2;
  let traces = 0;
  for (let i = 0; i < d; i++) traces += a.covariance[i * d + i]! + b.covariance[i * d + i]!;

  const [first, second] = a.count <= b.count ? [a, b] : [b, a];
  const root = sqrtFactor(first.covariance, d, first.count);
  const k = congruence(root.rows, root.rank, second.covariance, d);
  const kValues = symmetricEigen(k, root.rank, { vectors: false }).values;
  const kClamp = clampSpectrum(kValues, Math.max(root.rank, second.count));
  let traceSqrt = 0;
  for (const v of kClamp.values) traceSqrt += Math.sqrt(v);

  const covarianceTerm = traces - 2 * traceSqrt;
  const raw = meanTerm + covarianceTerm;
  return {
    distance: Math.max(raw, 0),
    meanTerm,
    covarianceTerm,
    traceSqrt,
    rank: root.rank,
    clampedNegative: Math.min(root.clampedNegative, kClamp.clampedNegative),
  };
}

/**
 * Rows √λ_k · v_kᵀ for the eigenpairs of Σ that survive clamping: B = V Λ^{1/2} transposed,
 * as an r×d row-major block.
 */
function sqrtFactor(cov: Float64Array, d: number, count: number): { rows: Float64Array; rank: number; clampedNegative: number } {
  const { values, vectors } = symmetricEigen(cov, d);
  const { values: clamped, clampedNegative } = clampSpectrum(values, Math.max(d, count));
  const kept: number[] = [];
  clamped.forEach((v, i) => {
    if (v > 0) kept.push(i);
  });
  const rows = new Float64Array(kept.length * d);
  kept.forEach((from, to) => {
    const s = Math.sqrt(clamped[from]!);
    for (let j = 0; j < d; j++) rows[to * d + j] = s * vectors![from * d + j]!;
  });
  return { rows, rank: kept.length, clampedNegative };
}

/** K = Bᵀ Σ B for B given as its r×d transpose `bt`; exactly symmetric (upper triangle mirrored). */
function congruence(bt: Float64Array, r: number, sigma: Float64Array, d: number): Float64Array {
  // T = Bᵀ Σ (r×d), accumulated row by row of Σ so the inner loop runs over contiguous memory.
  const t = new Float64Array(r * d);
  for (let k = 0; k < r; k++) {
    const out = k * d;
    for (let i = 0; i < d; i++) {
      const bki = bt[k * d + i]!;
      if (bki === 0) continue;
      const row = i * d;
      for (let j = 0; j < d; j++) t[out + j]! += bki * sigma[row + j]!;
    }
  }
  const result = new Float64Array(r * r);
  for (let k = 0; k < r; k++) {
    for (let l = k; l < r; l++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += t[k * d + j]! * bt[l * d + j]!;
      result[k * r + l] = s;
      result[l * r + k] = s;
    }
  }
  return result;
}

/**
 * Eigenvalues of a matrix known to be positive semi-definite, with rounding noise removed:
 * anything ≤ size·ε·λ_max (negative values included) becomes 0.
 */
function clampSpectrum(values: Float64Array, size: number): { values: Float64Array; clampedNegative: number } {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const tolerance = size * EPS * max;
  let clampedNegative = 0;
  const out = Float64Array.from(values, (v) => {
    if (v < 0) clampedNegative = Math.min(clampedNegative, v);
    return v > tolerance ? v : 0;
  });
  return { values: out, clampedNegative };
}

/** The distance between two in-memory feature sets (each at least two vectors). */
export function frechetDistanceOfFeatures(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): FrechetDistance {
  if (a.length === 0 || b.length === 0) throw new Error('Fréchet distance: a feature set is empty');
  return frechetDistance(featureStats(a), featureStats(b));
}
