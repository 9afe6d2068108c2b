/**
 * Table 1 and Fig. 3 of a suggest run (image → text → image), through the engine's own
 * definitions (`selectionGainOf`: baseline = mean over the N sampled candidates' corpus scores,
 * selected = the reconstruction-best candidate, ranks by similarity with ties by sampling
 * order), so the report's figures are the selection-gain bench's for the same run. Added here:
 * greedy/beam rows from other runs over the same images, the embedding metrics, the same table
 * per split (each split scored as its own set, CIDEr document frequencies from its references),
 * the spread of per-image scores at each rank, the similarity-vs-score scatter with Spearman's ρ,
 * and a bootstrap interval for the CIDEr gain.
 */
import type { Table1, Table1Block } from '../../../shared/contract/report-schemas.js';
import { byReconstruction, bySamplingOrder, firstCandidates, type ScoredCandidate, selectionGainOf } from '../../engine/evaluation/selection-gain.js';
import { CaptionCorpus, type TokenCache } from '../../metrics/caption-corpus.js';
import { METRIC_KEYS } from '../../metrics/score-captions.js';
import { type CaptionEmbeddingScores, type ReportEmbedders, scoreCaptionEmbeddings } from './caption-embeddings.js';
import { firstLine, isAbort, type ReportProgress } from './progress.js';
import type { SuggestRunData } from './run-data.js';
import { bootstrapInterval, type BootstrapOptions, interval, mean, spearman, spread } from './stats.js';
import { blockRows, type CaptionBaseline, type RowSet } from './table1-rows.js';

export type { CaptionBaseline } from './table1-rows.js';

export interface Table1Options {
  tokens: TokenCache;
  progress: ReportProgress;
  /** Greedy and best-beam captions of the same images (from other runs, or this run's own best beam). */
  baselines: CaptionBaseline[];
  embedders?: ReportEmbedders | undefined;
  /** Why there are no embedding metrics (no embedder, no text tower…), or null. */
  embeddingNote: string | null;
  datasetNames: ReadonlyMap<number, string>;
  bootstrap: BootstrapOptions;
}

/** Work units of `computeTable1` besides the embeddings: one per image scored. */
export const table1Units = (data: SuggestRunData): number => data.images.length;

/** Table 1 of the run, or null when no finished image has candidates and references; `notes` says what was left out. */
export async function computeTable1(data: SuggestRunData, options: Table1Options): Promise<{ table: Table1 | null; notes: string[] }> {
  const { images, run } = data;
  const notes: string[] = [];
  if (images.length === 0) return { table: null, notes };
  const { progress } = options;
  const baselines = options.baselines.filter((b) => {
    const missing = images.filter((i) => b.text(i.imageId) === undefined).length;
    if (missing > 0) notes.push(`${b.label} has no caption for ${missing} of the ${images.length} image(s) of run ${run.id}; it is not compared.`);
    return missing === 0;
  });

  progress.begin(`Table 1, run ${run.id}: tokenizing references`);
  const ids = images.map((i) => i.imageId);
  const references = new Map(images.map((i) => [i.imageId, i.references]));
  const overall = new CaptionCorpus(ids, references, options.tokens);
  const splits = splitsOf(data, options.datasetNames);
  // One dataset: its split is the overall set (same images, same document frequencies).
  const splitCorpora = splits.length > 1 ? splits.map((s) => new CaptionCorpus(s.indices.map((i) => ids[i]!), references, options.tokens)) : [];

  progress.begin(`Table 1, run ${run.id}: scoring captions`);
  const where = new Int32Array(images.length);
  splits.forEach((s) => s.indices.forEach((i, local) => (where[i] = local)));
  const splitOf = new Int32Array(images.length);
  splits.forEach((s, k) => s.indices.forEach((i) => (splitOf[i] = k)));
  for (let i = 0; i < images.length; i++) {
    const texts = textsOf(images[i]!, baselines);
    for (const t of texts) {
      overall.score(i, t);
      splitCorpora[splitOf[i]!]?.score(where[i]!, t);
    }
    await progress.step();
  }

  let embeddings: CaptionEmbeddingScores | null = null;
  if (options.embedders) {
    try {
      embeddings = await scoreCaptionEmbeddings(options.embedders, images.map((i) => ({ file: i.file, references: i.references, texts: textsOf(i, baselines) })), progress);
    } catch (error) {
      // A moved source image, say: the caption metrics stand without the embedding ones.
      if (isAbort(error)) throw error;
      notes.push(`Run ${run.id}: embedding metrics left out: ${firstLine(error)}`);
    }
  }
  // Every image's first N candidates, N the fewest any image has (selection-gain.ts: unequal counts must not inflate the gain).
  const candidates = firstCandidates(images.map((i) => i.candidates));
  const gain = selectionGainOf(overall, candidates);
  const metrics = [...METRIC_KEYS, ...(embeddings?.metrics ?? [])];
  const set = (corpus: CaptionCorpus<number>, indices: number[]): RowSet => ({ corpus, indices, candidates: indices.map((i) => candidates[i]!), runId: run.id });
  const all = images.map((_, i) => i);
  const overallBlock = blockRows(set(overall, all), gain, baselines, embeddings, metrics);
  const splitBlocks = splits.map((s, k) => {
    const block: Table1Block = splits.length > 1 ? blockRows(set(splitCorpora[k]!, s.indices), selectionGainOf(splitCorpora[k]!, s.indices.map((i) => candidates[i]!)), baselines, embeddings, metrics) : overallBlock;
    return { datasetId: s.datasetId, name: s.name, ...block };
  });

  const ranked = candidates.map(byReconstruction);
  const value = perImageValue(overall, embeddings);
  const byRank = gain.byRank.map((corpusScores, r) => {
    const perImage: Table1['byRank'][number]['perImage'] = {};
    for (const m of metrics) perImage[m] = spread(ranked.map((list, i) => value(i, list[r]!.text, m)));
    const corpus: Record<string, number | null> = { ...corpusScores };
    for (const m of embeddings?.metrics ?? []) corpus[m] = finiteOrNull(mean(ranked.map((list, i) => value(i, list[r]!.text, m))));
    return { rank: r + 1, corpus, perImage };
  });

  const perImageScores = perImageCider(candidates, ranked, overall, gain.candidatesPerImage);
  return {
    table: {
      runId: run.id,
      sampler: describeSampler(run.settings),
      candidatesPerImage: gain.candidatesPerImage,
      metrics,
      imagesWithoutReferences: data.withoutReferences,
      overall: overallBlock,
      splits: splitBlocks,
      byRank,
      reconstructionVsScore: scatter(images, candidates, ranked, overall),
      perImageScores,
      bootstrap: bootstrapGain(perImageScores, { selected: gain.selected.CIDEr, baseline: gain.baseline.CIDEr }, options.bootstrap),
      embedding: { models: options.embedders?.models ?? [], prefix: embeddings && options.embedders ? options.embedders.clipPrefix : null, note: options.embeddingNote },
    },
    notes,
  };
}

function textsOf(image: { imageId: number; candidates: readonly ScoredCandidate[] }, baselines: readonly CaptionBaseline[]): string[] {
  return [...new Set([...image.candidates.map((c) => c.text), ...baselines.map((b) => b.text(image.imageId)!)])];
}

function splitsOf(data: SuggestRunData, names: ReadonlyMap<number, string>): { datasetId: number; name: string; indices: number[] }[] {
  const byDataset = new Map<number, number[]>();
  data.images.forEach((image, i) => {
    const list = byDataset.get(image.datasetId);
    if (list) list.push(i);
    else byDataset.set(image.datasetId, [i]);
  });
  return [...byDataset].sort((a, b) => a[0] - b[0]).map(([datasetId, indices]) => ({ datasetId, name: names.get(datasetId) ?? `dataset ${datasetId}`, indices }));
}

function perImageValue(corpus: CaptionCorpus<number>, embeddings: CaptionEmbeddingScores | null) {
  const caption = new Set<string>(METRIC_KEYS);
  return (i: number, text: string, metric: string): number =>
    caption.has(metric) ? corpus.score(i, text).scores[metric as (typeof METRIC_KEYS)[number]] : (embeddings!.value(i, text)[metric] ?? Number.NaN);
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** Per image: the selected candidate's similarity and CIDEr; Spearman over those, over every candidate, and within each image (mean). */
function scatter(images: SuggestRunData['images'], candidates: ScoredCandidate[][], ranked: ScoredCandidate[][], corpus: CaptionCorpus<number>): Table1['reconstructionVsScore'] {
  const points = ranked
    .map((list, i) => ({ imageId: images[i]!.imageId, similarity: list[0]!.similarity, score: corpus.score(i, list[0]!.text).scores.CIDEr }))
    .filter((p) => Number.isFinite(p.similarity));
  const pairs = candidates.flatMap((list, i) => list.filter((c) => Number.isFinite(c.similarity)).map((c) => [c.similarity, corpus.score(i, c.text).scores.CIDEr] as const));
  return {
    metric: 'CIDEr',
    points,
    spearman: finiteOrNull(spearman(points.map((p) => p.similarity), points.map((p) => p.score))),
    allCandidates: { pairs: pairs.length, spearman: finiteOrNull(spearman(pairs.map((p) => p[0]), pairs.map((p) => p[1]))) },
    withinImage: withinImageSpearman(candidates, corpus),
  };
}

/** Mean over images of Spearman's ρ between an image's candidates' similarities and their CIDEr; images where either is constant are left out. */
export function withinImageSpearman(candidates: readonly (readonly ScoredCandidate[])[], corpus: CaptionCorpus<number>): { images: number; meanSpearman: number | null } {
  const rhos = candidates.flatMap((list, i) => {
    const scored = list.filter((c) => Number.isFinite(c.similarity));
    const rho = spearman(scored.map((c) => c.similarity), scored.map((c) => corpus.score(i, c.text).scores.CIDEr));
    return Number.isFinite(rho) ? [rho] : [];
  });
  return { images: rhos.length, meanSpearman: rhos.length ? mean(rhos) : null };
}

/** Per image: CIDEr of the selected caption, mean CIDEr of its first N sampled candidates, CIDEr of its rank-N caption. */
function perImageCider(candidates: readonly ScoredCandidate[][], ranked: readonly ScoredCandidate[][], corpus: CaptionCorpus<number>, n: number): Table1['perImageScores'] {
  const cider = (i: number, c: ScoredCandidate) => corpus.score(i, c.text).scores.CIDEr;
  return {
    metric: 'CIDEr',
    selected: ranked.map((list, i) => cider(i, list[0]!)),
    candidatesMean: candidates.map((list, i) => mean(bySamplingOrder(list).slice(0, n).map((c) => cider(i, c)))),
    lastRank: ranked.map((list, i) => cider(i, list[n - 1]!)),
  };
}

/**
 * Bootstrap over images of the CIDEr selection gain from the per-image scores (the mean of
 * `candidatesMean` over images is the baseline), the whole set's document frequencies held fixed.
 */
function bootstrapGain(perImage: Table1['perImageScores'], point: { selected: number; baseline: number }, options: BootstrapOptions): Table1['bootstrap'] {
  const { selected, candidatesMean: baseline } = perImage;
  const sums = (sample: Uint32Array) => {
    let s = 0;
    let b = 0;
    for (const i of sample) {
      s += selected[i]!;
      b += baseline[i]!;
    }
    return { s, b };
  };
  const absolute = bootstrapInterval(selected.length, (sample) => {
    const { s, b } = sums(sample);
    return (s - b) / sample.length;
  }, options);
  const relative = bootstrapInterval(selected.length, (sample) => {
    const { s, b } = sums(sample);
    return b === 0 ? Number.NaN : ((s - b) / b) * 100;
  }, options);
  const gain = point.selected - point.baseline;
  return {
    metric: 'CIDEr',
    resamples: options.resamples,
    seed: options.seed,
    confidence: options.confidence,
    gain: interval(gain, absolute),
    gainPercent: interval(point.baseline === 0 ? Number.NaN : (gain / point.baseline) * 100, relative),
  };
}

/** "top-p 0.9, N = 10" from a suggest run's recorded decoding settings. */
export function describeSampler(settings: unknown): string {
  const d = (settings as { decoding?: Record<string, unknown> } | null)?.decoding ?? {};
  const n = typeof d.numReturnSequences === 'number' ? d.numReturnSequences : 1;
  let how: string;
  if (d.strategy === 'greedy') how = 'greedy';
  else if (d.strategy === 'beam') how = `beam search (${String(d.numBeams ?? n)} beams)`;
  else if (typeof d.topP === 'number') how = `top-p ${d.topP}`;
  else if (typeof d.topK === 'number') how = `top-k ${d.topK}`;
  else how = 'sampling';
  if (typeof d.temperature === 'number' && d.temperature !== 1) how += `, temperature ${d.temperature}`;
  return `${how}, N = ${n}`;
}
