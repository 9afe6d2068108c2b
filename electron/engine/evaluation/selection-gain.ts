/**
 * The paper's Table 1 and Fig. 3 protocols over the candidates of an image → text → image run:
 *  - baseline: the corpus score of the k-th sampled candidate, averaged over k = 1..N (the mean
 *    score of the sampled captions, as the paper's "average of candidates");
 *  - selected: the corpus score of each image's reconstruction-best candidate;
 *  - by rank: candidates of every image ordered by reconstruction similarity (ties by sampling
 *    order), and the corpus score of the captions at each rank 1..N (better reconstruction ⇒
 *    better caption when this falls with rank).
 * Scores are the COCO toolkit's metrics from electron/metrics.
 */
import { METRIC_KEYS, scoreCaptions, type MetricScores } from '../../metrics/score-captions.js';

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
  const n = Math.min(...ids.map((id) => candidates.get(id)!.length));
  const refs = new Map(ids.map((id) => [id, references.get(id) ?? []]));
  const corpus = (pick: (list: readonly ScoredCandidate[]) => ScoredCandidate) =>
    scoreCaptions(refs, new Map(ids.map((id) => [id, pick(candidates.get(id)!).text]))).corpus;

  const bySample = Array.from({ length: n }, (_, k) => corpus((list) => [...list].sort((a, b) => a.idx - b.idx)[k]!));
  const ranked = (list: readonly ScoredCandidate[]) => [...list].sort((a, b) => b.similarity - a.similarity || a.idx - b.idx);
  const byRank = Array.from({ length: n }, (_, r) => corpus((list) => ranked(list)[r]!));
  const baseline = mean(bySample);
  const selected = byRank[0]!;
  const gainPercent = Object.fromEntries(
    METRIC_KEYS.map((k) => [k, baseline[k] === 0 ? 0 : ((selected[k] - baseline[k]) / baseline[k]) * 100]),
  ) as MetricScores;
  return { images: ids.length, candidatesPerImage: n, baseline, selected, gainPercent, byRank };
}

function mean(all: MetricScores[]): MetricScores {
  return Object.fromEntries(METRIC_KEYS.map((k) => [k, all.reduce((s, m) => s + m[k], 0) / all.length])) as MetricScores;
}
