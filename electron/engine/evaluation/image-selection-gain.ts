/**
 * The paper's Table 2 protocol over a verify-images run: for each source text, the embedder
 * similarity to the dataset's real image of
 *  - the selected image (rank 1: its re-caption is closest to the text),
 *  - the mean over the text's N generated images (the paper's baseline),
 *  - a random image: the first seed's (what one generation without verification gives; seeds
 *    are random, so this is a random draw),
 * averaged over texts, with the selected image's relative gain and the share of texts where it
 * beats its candidates' mean. The paper reports CLIP distance; 100·(1 − cosine) is given too.
 */
export interface GeneratedForText {
  idx: number;
  rank: number;
  realSimilarity: number;
}

export interface ImageSelectionGain {
  texts: number;
  imagesPerText: number;
  selected: number;
  mean: number;
  random: number;
  /** (selected − mean) / |mean|, in percent. */
  gainOverMeanPercent: number;
  gainOverRandomPercent: number;
  /** Share of texts whose selected image is closer to the real image than the mean of its candidates. */
  selectedBeatsMean: number;
  /** Same figures as distances, 100·(1 − cosine) (lower is better). */
  distance: { selected: number; mean: number; random: number };
}

/** `groups`: the generated images of each source text (every group needs a rank-1 image). */
export function imageSelectionGain(groups: readonly (readonly GeneratedForText[])[]): ImageSelectionGain {
  const used = groups.filter((g) => g.length > 0);
  if (used.length === 0) throw new Error('no generated images to evaluate');
  let selected = 0;
  let mean = 0;
  let random = 0;
  let beats = 0;
  for (const group of used) {
    const best = [...group].sort((a, b) => a.rank - b.rank || a.idx - b.idx)[0]!;
    const first = [...group].sort((a, b) => a.idx - b.idx)[0]!;
    const groupMean = group.reduce((s, g) => s + g.realSimilarity, 0) / group.length;
    selected += best.realSimilarity;
    mean += groupMean;
    random += first.realSimilarity;
    if (best.realSimilarity > groupMean) beats++;
  }
  const n = used.length;
  [selected, mean, random] = [selected / n, mean / n, random / n];
  const gain = (a: number, b: number) => ((a - b) / Math.abs(b)) * 100;
  const distance = (x: number) => 100 * (1 - x);
  return {
    texts: n,
    imagesPerText: Math.min(...used.map((g) => g.length)),
    selected,
    mean,
    random,
    gainOverMeanPercent: gain(selected, mean),
    gainOverRandomPercent: gain(selected, random),
    selectedBeatsMean: beats / n,
    distance: { selected: distance(selected), mean: distance(mean), random: distance(random) },
  };
}

/** A run's generated images grouped by source text (image and reference). */
export function groupBySourceText<T extends { imageId: number; referenceId: number | null }>(rows: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = `${row.imageId}:${row.referenceId}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}
