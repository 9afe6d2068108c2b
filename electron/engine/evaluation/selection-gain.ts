/**
 * The paper's Table 1 and Fig. 3 protocols over the candidates of an image → text → image run:
 *  - baseline: the corpus score of the k-th sampled candidate, averaged over k = 1..N (the mean
 *    score of the sampled captions, as the paper's "average of candidates");
 *  - selected: the corpus score of each image's reconstruction-best candidate;
 *  - by rank: candidates of every image ordered by reconstruction similarity (ties by sampling
 *    order), and the corpus score of the captions at each rank 1..N (better reconstruction ⇒
 *    better caption when this falls with rank).
 * Scores are the COCO toolkit's metrics from electron/metrics; every distinct caption of an image
 * is scored once (CaptionCorpus), so the 2N corpus figures cost one pass over the candidates.
 * The evaluation reports (electron/evaluation/report) compute Table 1 and Fig. 3 through
 * `selectionGainOf`, so a report and the selection-gain bench give the same figures for a run.
 */
import { CaptionCorpus } from '../../metrics/caption-corpus.js';
import { METRIC_KEYS, type MetricScores } from '../../metrics/score-captions.js';

export interface ScoredCandidate {
  idx: number;
  text: string;
  similarity: number;
}

export interface SelectionGain {
  images: number;
  candidatesPerImage: number;
  baseline: MetricScores;
  selected: MetricScores;
  /** (selected − baseline) / baseline per metric, in percent. */
  gainPercent: MetricScores;
  /** Corpus scores of the rank-r candidates, r = 1..N. */
  byRank: MetricScores[];
}

export function selectionGain(references: ReadonlyMap<number, readonly string[]>, candidates: ReadonlyMap<number, readonly ScoredCandidate[]>): SelectionGain {
  const ids = [...candidates.keys()].filter((id) => (candidates.get(id)?.length ?? 0) > 0);
  if (ids.length === 0) throw new Error('no images with candidates to evaluate');
  return selectionGainOf(new CaptionCorpus(ids, references), ids.map((id) => candidates.get(id)!));
}

/**
 * The same protocol over a prepared corpus (its document frequencies, and any captions it has
 * scored already, are reused): `candidates[i]` are the candidates of `corpus.ids[i]`.
 */
export function selectionGainOf(corpus: CaptionCorpus<number>, candidates: readonly (readonly ScoredCandidate[])[]): SelectionGain {
  if (candidates.length !== corpus.size || candidates.some((list) => list.length === 0)) throw new Error('every evaluated image needs candidates');
  const bySample = firstCandidates(candidates);
  const n = bySample[0]!.length;
  const ranked = bySample.map(byReconstruction);
  const baseline = mean(Array.from({ length: n }, (_, k) => corpus.corpus((i) => bySample[i]![k]!.text)));
  const byRank = Array.from({ length: n }, (_, r) => corpus.corpus((i) => ranked[i]![r]!.text));
  const selected = byRank[0]!;
  return { images: corpus.size, candidatesPerImage: n, baseline, selected, gainPercent: gainPercent(baseline, selected), byRank };
}

/** N: every image contributes its first N candidates (the fewest any image has). */
export function candidatesCompared(candidates: readonly (readonly unknown[])[]): number {
  return Math.min(...candidates.map((list) => list.length));
}

/**
 * Every image's first N candidates in sampling order, N the fewest any image has. Baseline,
 * selection and ranks all use these: ranking an image's extra candidates would let it select a
 * caption the baseline never saw, inflating the gain when counts differ (a resumed or cut run).
 */
export function firstCandidates<T extends { idx: number }>(candidates: readonly (readonly T[])[]): T[][] {
  const n = candidatesCompared(candidates);
  return candidates.map((list) => bySamplingOrder(list).slice(0, n));
}

/** An image's candidates in sampling order. */
export function bySamplingOrder<T extends { idx: number }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => a.idx - b.idx);
}

/** An image's candidates best reconstruction first; ties by sampling order. */
export function byReconstruction<T extends { idx: number; similarity: number }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => b.similarity - a.similarity || a.idx - b.idx);
}

/** (value − baseline) / baseline in percent per key; 0 where the baseline is 0. */
export function gainPercent<K extends string>(baseline: Record<K, number>, value: Record<K, number>): Record<K, number> {
  return Object.fromEntries(
    (Object.keys(baseline) as K[]).map((k) => [k, baseline[k] === 0 ? 0 : ((value[k] - baseline[k]) / baseline[k]) * 100]),
  ) as Record<K, number>;
}

function mean(all: MetricScores[]): MetricScores {
  return Object.fromEntries(METRIC_KEYS.map((k) => [k, all.reduce((s, m) => s + m[k], 0) / all.length])) as MetricScores;
}
