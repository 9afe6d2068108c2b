/**
 * Fréchet-distance throughput (issue 6's embedding metrics): two sets of N seeded Gaussian
 * feature vectors of dimension D (different means and per-dimension scales), streamed into
 * running mean/covariance sums in batches of 32 as the image-set metric does, then the distance
 * (eigen-decomposition of Σ₁, the r×r congruence Bᵀ Σ₂ B, its eigenvalues). Feature generation is
 * not timed. Checked against the closed form Σ(σ₁ − σ₂)² + ‖Δμ‖² of the populations.
 * Target: D = 128, N = 5,000 well under 1 s. D = 768 (DINOv2-base / CLIP ViT-L width) is printed
 * for information.
 * Environment: N (5000), DIMS (128,768).
 */
import { frechetDistance } from '../electron/evaluation/embedding/frechet.js';
import { FeatureMoments } from '../electron/evaluation/embedding/moments.js';
import { GaussianSampler } from '../electron/evaluation/embedding/test-support.js';

const N = Number(process.env.N ?? 5000);
const DIMS = (process.env.DIMS ?? '128,768').split(',').map(Number);
const BATCH = 32;
const TARGET_SECONDS = 1;

for (const d of DIMS) {
  const sampler = new GaussianSampler(20240603 + d);
  const scale1 = Array.from({ length: d }, (_, i) => 0.02 + 0.03 * ((i * 7) % 11) / 10);
  const scale2 = Array.from({ length: d }, (_, i) => 0.02 + 0.03 * ((i * 5) % 13) / 12);
  const mu2 = Array.from({ length: d }, (_, i) => (i % 16 === 0 ? 0.05 : 0));
  const a = sampler.diagonal(N, new Array(d).fill(0), scale1);
  const b = sampler.diagonal(N, mu2, scale2);

  const start = performance.now();
  const stats = [a, b].map((set) => {
    const moments = new FeatureMoments(d);
    for (let i = 0; i < set.length; i += BATCH) moments.add(set.slice(i, i + BATCH));
    return moments.stats();
  });
  const statsSeconds = (performance.now() - start) / 1000;
  const result = frechetDistance(stats[0]!, stats[1]!);
  const seconds = (performance.now() - start) / 1000;

  const expected = scale1.reduce((s, x, i) => s + (x - scale2[i]!) ** 2 + mu2[i]! ** 2, 0);
  console.log(
    `fréchet: d=${d} n=${N}×2 in ${seconds.toFixed(3)} s (mean/covariance ${statsSeconds.toFixed(3)} s, distance ${(seconds - statsSeconds).toFixed(3)} s)`,
  );
  console.log(`  FD ${result.distance.toExponential(4)} vs population ${expected.toExponential(4)} (rank ${result.rank}, clamped ${result.clampedNegative.toExponential(1)})`);
  if (d === 128 && seconds > TARGET_SECONDS) {
    console.error(`fréchet: d=128 slower than the ${TARGET_SECONDS} s target`);
    process.exitCode = 1;
  }
}
