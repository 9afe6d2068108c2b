/** How similarities and margins read in the review view. */

/** Three decimals, the precision at which candidates of one image differ; a dash when unknown. */
export function formatScore(value: number | null): string {
  return value === null ? '–' : value.toFixed(3);
}

/** A cosine similarity as the width of a bar: 0 at or below 0, 100 at 1. */
export function similarityPercent(value: number | null): number {
  return value === null ? 0 : Math.round(Math.min(Math.max(value, 0), 1) * 100);
}
