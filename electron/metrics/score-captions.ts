/**
 * Scores captions the way pycocoevalcap's COCOEvalCap does for the images that have a result:
 * every caption PTB-tokenized, then BLEU-1..4, ROUGE-L and CIDEr per image and for the corpus.
 * The evaluated set is the images with a hypothesis; CIDEr's document frequencies come from
 * their references only. This module has no UI or Electron dependency: the CLI and the app
 * both score through it.
 */
import { bleuFromStats, bleuStats, sumStats, type BleuStats } from './bleu.js';
import { CiderScorer } from './cider.js';
import { countNgrams, pySplit } from './ngrams.js';
import { ptbTokenize } from './ptb-tokenize.js';
import { rougeL } from './rouge.js';

export const METRIC_KEYS = ['Bleu_1', 'Bleu_2', 'Bleu_3', 'Bleu_4', 'ROUGE_L', 'CIDEr'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export type MetricScores = Record<MetricKey, number>;

export interface CaptionScores<Id> {
  corpus: MetricScores;
  perImage: Map<Id, MetricScores>;
}

/**
 * @param references image → its reference captions (raw text; at least one per scored image)
 * @param hypotheses image → the one caption to score; every image here must have references
 */
export function scoreCaptions<Id>(references: ReadonlyMap<Id, readonly string[]>, hypotheses: ReadonlyMap<Id, string>): CaptionScores<Id> {
  const ids = [...hypotheses.keys()];
  if (ids.length === 0) throw new Error('no captions to score');
  const refTokens: string[][] = [];
  const hypTokens: string[] = [];
  for (const id of ids) {
    const refs = references.get(id);
    if (!refs || refs.length === 0) throw new Error(`image ${String(id)} has no reference captions`);
    refTokens.push(refs.map(ptbTokenize));
    hypTokens.push(ptbTokenize(hypotheses.get(id)!));
  }
  return scoreTokenized(ids, refTokens, hypTokens);
}

/** The metrics over captions already tokenized by `ptbTokenize` (parallel arrays). */
export function scoreTokenized<Id>(ids: Id[], refTokens: string[][], hypTokens: string[]): CaptionScores<Id> {
  const refCounts = refTokens.map((refs) => refs.map((r) => countNgrams(pySplit(r))));
  const cider = new CiderScorer(refCounts);
  const stats: BleuStats[] = [];
  const perImage = new Map<Id, MetricScores>();
  const sums = { rouge: 0, cider: 0 };
  ids.forEach((id, i) => {
    const hyp = countNgrams(pySplit(hypTokens[i]!));
    const s = bleuStats(hyp, refCounts[i]!);
    stats.push(s);
    const [b1, b2, b3, b4] = bleuFromStats(s) as [number, number, number, number];
    const rouge = rougeL(hypTokens[i]!, refTokens[i]!);
    const ciderScore = cider.score(i, hyp);
    sums.rouge += rouge;
    sums.cider += ciderScore;
    perImage.set(id, { Bleu_1: b1, Bleu_2: b2, Bleu_3: b3, Bleu_4: b4, ROUGE_L: rouge, CIDEr: ciderScore });
  });
  const [b1, b2, b3, b4] = bleuFromStats(sumStats(stats)) as [number, number, number, number];
  return {
    corpus: { Bleu_1: b1, Bleu_2: b2, Bleu_3: b3, Bleu_4: b4, ROUGE_L: sums.rouge / ids.length, CIDEr: sums.cider / ids.length },
    perImage,
  };
}
