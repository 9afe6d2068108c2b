/**
 * Deterministic subsampling for charts with too many points to draw: the same input always
 * gives the same picture (reports are diffed and regenerated), and a seeded random choice
 * avoids the aliasing a fixed stride gives on inputs ordered by some periodic key.
 */

import { mulberry32 } from '../mulberry32.js';

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
