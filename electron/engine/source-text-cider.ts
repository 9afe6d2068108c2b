/**
 * CIDEr-D of a re-caption against the one source text it was generated from. Document
 * frequencies come from the run's source texts (every text the run verifies is one document),
 * the way the COCO toolkit takes them from the evaluated set's references: an n-gram shared by
 * many source texts ("a", "on a") weighs little, a distinctive one ("lemur") much. Captions are
 * PTB-tokenized as the toolkit does. With a single source text every idf is 0, as in the toolkit.
 */
import { CiderScorer } from '../metrics/cider.js';
import { countNgrams, pySplit } from '../metrics/ngrams.js';
import { ptbTokenize } from '../metrics/ptb-tokenize.js';

export class SourceTextCider {
  private readonly index = new Map<string, number>();
  private readonly scorer: CiderScorer;

  /** `sources`: key (e.g. image and reference) → source text; every key is one document. */
  constructor(sources: ReadonlyMap<string, string>) {
    const refs = [...sources].map(([key, text], i) => {
      this.index.set(key, i);
      return [countNgrams(pySplit(ptbTokenize(text)))];
    });
    this.scorer = new CiderScorer(refs);
  }

  get documents(): number {
    return this.index.size;
  }

  score(key: string, hypothesis: string): number {
    const i = this.index.get(key);
    if (i === undefined) throw new Error(`No source text "${key}" in this run's CIDEr corpus`);
    return this.scorer.score(i, countNgrams(pySplit(ptbTokenize(hypothesis))));
  }
}
