/** The first index of `sorted` whose value fails `before`, which must hold for a prefix of it (sorted.length if it holds for all). */
export function partitionPoint<T>(sorted: readonly T[], before: (value: T) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(sorted[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
