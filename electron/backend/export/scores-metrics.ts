/**
 * Caption metrics for the `scores` export, streamed: a first pass over a run's images counts
 * CIDEr's document frequencies (the only figure that needs the whole evaluated set), then pages of
 * images are scored with them. Per-image values equal what CaptionCorpus (and so the evaluation
 * report) gives for the same evaluated set — the run's images that have sampled candidates and
 * references — because the same tokenization, n-gram counts, BLEU, ROUGE-L and CIDEr code runs
 * on the same document frequencies.
 */
import { bleuFromStats, bleuStats } from '../../metrics/bleu.js';
import { CiderDocumentFrequencies, CiderScorer } from '../../metrics/cider.js';
import { countNgrams, pySplit, type NgramCounts } from '../../metrics/ngrams.js';
import { ptbTokenize } from '../../metrics/ptb-tokenize.js';
import { rougeL } from '../../metrics/rouge.js';
import type { MetricScores } from '../../metrics/score-captions.js';

interface Tokenized {
  tokens: string;
  counts: NgramCounts;
}

/** Tokenizations by text, forgotten past `limit` entries so memory stays flat over 100,000 images. */
class BoundedTokenCache {
  private known = new Map<string, Tokenized>();

  constructor(private readonly limit = 4096) {}

  get(text: string): Tokenized {
    let hit = this.known.get(text);
    if (!hit) {
      if (this.known.size >= this.limit) this.known = new Map();
      const tokens = ptbTokenize(text);
      hit = { tokens, counts: countNgrams(pySplit(tokens)) };
      this.known.set(text, hit);
    }
    return hit;
  }
}

export class StreamingCaptionScorer {
  private readonly frequencies = new CiderDocumentFrequencies();
  private readonly tokens = new BoundedTokenCache();

  /** Pass 1: one evaluated image's references. */
  addImage(references: readonly string[]): void {
    this.frequencies.add(references.map((r) => this.tokens.get(r).counts));
  }

  get images(): number {
    return this.frequencies.images;
  }

  /** Pass 2: a scorer for one page of evaluated images (image id → references). */
  page(references: ReadonlyMap<number, readonly string[]>): PageScorer {
    return new PageScorer(this.tokens, references, this.frequencies);
  }
}

export class PageScorer {
  private readonly index = new Map<number, number>();
  private readonly refs: Tokenized[][] = [];
  private readonly cider: CiderScorer;
  private readonly memo = new Map<string, MetricScores>();

  constructor(
    private readonly tokens: BoundedTokenCache,
    references: ReadonlyMap<number, readonly string[]>,
    frequencies: CiderDocumentFrequencies,
  ) {
    for (const [imageId, texts] of references) {
      this.index.set(imageId, this.refs.length);
      this.refs.push(texts.map((t) => tokens.get(t)));
    }
    this.cider = new CiderScorer(this.refs.map((refs) => refs.map((r) => r.counts)), frequencies);
  }

  /** The metrics of `text` as the caption of `imageId` against its references; null for an image outside the evaluated set. */
  score(imageId: number, text: string): MetricScores | null {
    const i = this.index.get(imageId);
    if (i === undefined) return null;
    const key = `${i}\u0000${text}`;
    let hit = this.memo.get(key);
    if (!hit) {
      const hyp = this.tokens.get(text);
      const refs = this.refs[i]!;
      const [b1, b2, b3, b4] = bleuFromStats(bleuStats(hyp.counts, refs.map((r) => r.counts))) as [number, number, number, number];
      const rouge = rougeL(hyp.tokens, refs.map((r) => r.tokens));
      hit = { Bleu_1: b1, Bleu_2: b2, Bleu_3: b3, Bleu_4: b4, ROUGE_L: rouge, CIDEr: this.cider.score(i, hyp.counts) };
      this.memo.set(key, hit);
    }
    return hit;
  }
}
