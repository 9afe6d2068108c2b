/**
 * Many candidate captions per image scored against one fixed evaluated set, as the evaluation
 * reports need (N sampled candidates, N reconstruction ranks, greedy and beam baselines, all on
 * the same images). The references are tokenized and CIDEr's document frequencies computed once
 * for the set, and each distinct (image, caption) is scored once; any choice of one caption per
 * image then gives exactly the corpus figures `scoreCaptions` gives for that choice (same
 * per-image values, summed in the same order).
 */
import { bleuFromStats, bleuStats, sumStats, type BleuStats } from './bleu.js';
import { CiderScorer } from './cider.js';
import { countNgrams, pySplit, type NgramCounts } from './ngrams.js';
import { ptbTokenize } from './ptb-tokenize.js';
import { rougeL } from './rouge.js';
import type { MetricScores } from './score-captions.js';

/** A caption PTB-tokenized and counted, ready to score. */
export interface TokenizedCaption {
  tokens: string;
  counts: NgramCounts;
}

/**
 * Tokenization memoised by text. Shared between the corpora of one report (overall and per
 * split) so a caption is tokenized once however many sets it is scored in.
 */
export class TokenCache {
  private readonly known = new Map<string, TokenizedCaption>();

  get(text: string): TokenizedCaption {
    let hit = this.known.get(text);
    if (!hit) {
      const tokens = ptbTokenize(text);
      hit = { tokens, counts: countNgrams(pySplit(tokens)) };
      this.known.set(text, hit);
    }
    return hit;
  }
}

/** One caption of one image, scored: the metrics and the BLEU statistics the corpus sums. */
export interface ImageCaptionScore {
  scores: MetricScores;
  bleu: BleuStats;
}

export class CaptionCorpus<Id> {
  private readonly refs: TokenizedCaption[][];
  private readonly cider: CiderScorer;
  private readonly memo: Map<string, ImageCaptionScore>[];

  /**
   * @param ids the evaluated images, in the order corpus figures are summed
   * @param references every id's reference captions (at least one each)
   */
  constructor(
    readonly ids: readonly Id[],
    references: ReadonlyMap<Id, readonly string[]>,
    private readonly tokens: TokenCache = new TokenCache(),
  ) {
    if (ids.length === 0) throw new Error('no captions to score');
    this.refs = ids.map((id) => {
      const refs = references.get(id);
      if (!refs || refs.length === 0) throw new Error(`image ${String(id)} has no reference captions`);
      return refs.map((r) => this.tokens.get(r));
    });
    this.cider = new CiderScorer(this.refs.map((refs) => refs.map((r) => r.counts)));
    this.memo = ids.map(() => new Map());
  }

  get size(): number {
    return this.ids.length;
  }

  /** The per-image scores of `text` as the caption of the image at `index` (memoised). */
  score(index: number, text: string): ImageCaptionScore {
    const memo = this.memo[index]!;
    let hit = memo.get(text);
    if (!hit) {
      const hyp = this.tokens.get(text);
      const refs = this.refs[index]!;
      const bleu = bleuStats(hyp.counts, refs.map((r) => r.counts));
      const [b1, b2, b3, b4] = bleuFromStats(bleu) as [number, number, number, number];
      const rouge = rougeL(hyp.tokens, refs.map((r) => r.tokens));
      hit = { bleu, scores: { Bleu_1: b1, Bleu_2: b2, Bleu_3: b3, Bleu_4: b4, ROUGE_L: rouge, CIDEr: this.cider.score(index, hyp.counts) } };
      memo.set(text, hit);
    }
    return hit;
  }

  /** Corpus figures of one caption per image, `pick(index)` being the caption of `ids[index]`. */
  corpus(pick: (index: number) => string): MetricScores {
    return corpusOf(this.ids.map((_, i) => this.score(i, pick(i))));
  }
}

/** Corpus figures from per-image scores in evaluation order: BLEU from the summed statistics, ROUGE-L and CIDEr as means. */
export function corpusOf(scored: readonly ImageCaptionScore[]): MetricScores {
  let rouge = 0;
  let cider = 0;
  for (const s of scored) {
    rouge += s.scores.ROUGE_L;
    cider += s.scores.CIDEr;
  }
  const [b1, b2, b3, b4] = bleuFromStats(sumStats(scored.map((s) => s.bleu))) as [number, number, number, number];
  return { Bleu_1: b1, Bleu_2: b2, Bleu_3: b3, Bleu_4: b4, ROUGE_L: rouge / scored.length, CIDEr: cider / scored.length };
}
