/**
 * Deterministic subsampling for charts with too many points to draw: the same input always
 * gives the same picture (reports are diffed and regenerated), and a seeded random choice
 * avoids the aliasing a fixed stride gives on inputs ordered by some periodic key.
 */

/** mulberry32: a tiny, well-mixed 32-bit PRNG; quality beyond "no visible pattern" is not needed here. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `limit` items chosen uniformly without replacement, in their original order; all of them when there are few enough. */
export function deterministicSubsample<T>(items: readonly T[], limit: number, seed = 1): T[] {
  const k = Math.max(0, Math.floor(limit));
  if (items.length <= k) return [...items];
  const random = mulberry32(seed);
  const indices = Array.from(items.keys());
  // Partial Fisher–Yates: the first k slots end up a uniform random k-subset.
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (indices.length - i));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices
    .slice(0, k)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}
