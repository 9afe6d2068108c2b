/**
 * The rows of one Table 1 block (overall, or one split): the sampled candidates' mean (the
 * paper's baseline), greedy and best-beam captions where there are such, and the
 * reconstruction-selected caption, each with its gain over the baseline. Caption metrics are
 * corpus figures of the block's own set; embedding metrics are means over its images.
 */
import type { Table1Block, Table1Row } from '../../../shared/contract/report-schemas.js';
import { byReconstruction, bySamplingOrder, gainPercent, type ScoredCandidate, type SelectionGain } from '../../engine/evaluation/selection-gain.js';
import type { CaptionCorpus } from '../../metrics/caption-corpus.js';
import type { MetricScores } from '../../metrics/score-captions.js';
import type { CaptionEmbeddingScores } from './caption-embeddings.js';
import { finite, mean } from './stats.js';

/** One caption per image from elsewhere: a greedy run's, or the best beam of a beam-search run. */
export interface CaptionBaseline {
  key: 'greedy' | 'top-beam';
  label: string;
  runId: number;
  text(imageId: number): string | undefined;
}

export interface RowSet {
  /** The block's corpus: its images are `indices` of the run's evaluated images, in that order. */
  corpus: CaptionCorpus<number>;
  indices: readonly number[];
  candidates: readonly (readonly ScoredCandidate[])[];
  runId: number;
}

export function blockRows(
  set: RowSet,
  gain: SelectionGain,
  baselines: readonly CaptionBaseline[],
  embeddings: CaptionEmbeddingScores | null,
  metrics: readonly string[],
): Table1Block {
  const n = gain.candidatesPerImage;
  const bySample = set.candidates.map(bySamplingOrder);
  const ranked = set.candidates.map(byReconstruction);
  // Embedding metric m of one caption per image, averaged over the block's images.
  const embeddingMean = (pick: (local: number) => string) =>
    Object.fromEntries((embeddings?.metrics ?? []).map((m) => [m, mean(set.indices.map((global, j) => embeddings!.value(global, pick(j))[m] ?? Number.NaN))]));
  const sampledEmbedding = Object.fromEntries(
    (embeddings?.metrics ?? []).map((m) => [
      m,
      mean(set.indices.map((global, j) => mean(bySample[j]!.slice(0, n).map((c) => embeddings!.value(global, c.text)[m] ?? Number.NaN)))),
    ]),
  );
  const baseline = { ...gain.baseline, ...sampledEmbedding };
  const row = (key: Table1Row['key'], label: string, runId: number, scores: Record<string, number>): Table1Row => ({
    key,
    label,
    runId,
    scores: scoresOf(scores, metrics),
    gainPercent: key === 'sampled-mean' ? null : scoresOf(gainPercent(baseline, scores), metrics),
  });
  const rows = [row('sampled-mean', `Mean of the ${n} candidates (baseline)`, set.runId, baseline)];
  for (const b of baselines) {
    const text = (j: number) => b.text(set.corpus.ids[j]!)!;
    rows.push(row(b.key, b.label, b.runId, { ...(set.corpus.corpus(text) as MetricScores), ...embeddingMean(text) }));
  }
  rows.push(row('selected', 'Reconstruction-selected', set.runId, { ...gain.selected, ...embeddingMean((j) => ranked[j]![0]!.text) }));
  return { images: set.corpus.size, rows };
}

function scoresOf(values: Record<string, number>, metrics: readonly string[]): Record<string, number | null> {
  return Object.fromEntries(metrics.map((m) => [m, finite(values[m])]));
}
