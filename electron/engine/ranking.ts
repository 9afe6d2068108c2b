/**
 * 1-based ranks by descending score; ties share the better rank's order of first appearance
 * (stable), so identical scores never reorder candidates between runs.
 */
export function ranksDescending(scores: readonly number[]): number[] {
  const order = scores.map((s, i) => [s, i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  const ranks = new Array<number>(scores.length);
  order.forEach(([, i], r) => (ranks[i] = r + 1));
  return ranks;
}
