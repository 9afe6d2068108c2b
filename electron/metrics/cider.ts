/**
 * CIDEr as pycocoevalcap reports it (the CIDEr-D formulation in cider_scorer.py):
 *  - document frequency of each n-gram (n = 1..4) = number of evaluated images whose
 *    references contain it; idf weight = log(number of images) - log(max(1, df));
 *  - vectors are term frequency × weight, one per order, with their Euclidean norms;
 *  - similarity per order: Σ min(hyp, ref) × ref over the hypothesis' n-grams (clipping),
 *    divided by both norms when neither is zero, times the Gaussian length penalty
 *    exp(-δ² / (2σ²)), σ = 6, where the "length" is the number of *bigrams* (the toolkit counts
 *    length while looping over n-grams and only adds when the order index is 1);
 *  - per image: mean over the 4 orders of the sum over references, / references, × 10.
 */
import type { NgramCounts } from './ngrams.js';

const N = 4;
const SIGMA = 6;

interface Vec {
  weights: Map<string, number>[];
  norms: number[];
  length: number;
}

/**
 * Document frequencies of an evaluated set, gathered image by image: a set too large to hold
 * (an export's 100,000 images) is counted in one pass, then scored a page at a time.
 */
export class CiderDocumentFrequencies {
  readonly df = new Map<string, number>();
  images = 0;

  /** Counts one evaluated image's references. */
  add(refs: readonly NgramCounts[]): void {
    const seen = new Set<string>();
    for (const ref of refs) for (const g of ref.counts.keys()) seen.add(g);
    for (const g of seen) this.df.set(g, (this.df.get(g) ?? 0) + 1);
    this.images++;
  }
}

export class CiderScorer {
  private readonly df: ReadonlyMap<string, number>;
  private readonly logImages: number;
  /** Reference vectors by image, built on first use: an image scored for many hypotheses builds them once. */
  private readonly refVecs: (Vec[] | undefined)[] = [];

  /**
   * @param refsPerImage the references of the images to score
   * @param frequencies the evaluated set's document frequencies, when it is larger than
   *   `refsPerImage` (default: those of `refsPerImage`)
   */
  constructor(
    private readonly refsPerImage: NgramCounts[][],
    frequencies?: CiderDocumentFrequencies,
  ) {
    if (!frequencies) {
      frequencies = new CiderDocumentFrequencies();
      for (const refs of refsPerImage) frequencies.add(refs);
    }
    this.df = frequencies.df;
    this.logImages = Math.log(frequencies.images);
  }

  private vec(c: NgramCounts): Vec {
    const weights = Array.from({ length: N }, () => new Map<string, number>());
    const sq = new Array<number>(N).fill(0);
    let length = 0;
    for (const [g, tf] of c.counts) {
      const k = c.order.get(g)! - 1;
      const w = tf * (this.logImages - Math.log(Math.max(1, this.df.get(g) ?? 0)));
      weights[k]!.set(g, w);
      sq[k]! += w ** 2;
      if (k === 1) length += tf;
    }
    return { weights, norms: sq.map(Math.sqrt), length };
  }

  /** Per-image CIDEr for the image at `index` (same order as the constructor's references). */
  score(index: number, hyp: NgramCounts): number {
    const refs = this.refsPerImage[index]!;
    const h = this.vec(hyp);
    const total = new Array<number>(N).fill(0);
    const refVecs = (this.refVecs[index] ??= refs.map((r) => this.vec(r)));
    for (const r of refVecs) {
      const delta = h.length - r.length;
      const penalty = Math.E ** (-(delta ** 2) / (2 * SIGMA ** 2));
      for (let k = 0; k < N; k++) {
        let val = 0;
        const rw = r.weights[k]!;
        for (const [g, wh] of h.weights[k]!) {
          const wr = rw.get(g) ?? 0;
          val += Math.min(wh, wr) * wr;
        }
        if (h.norms[k] !== 0 && r.norms[k] !== 0) val /= h.norms[k]! * r.norms[k]!;
        total[k]! += val * penalty;
      }
    }
    let mean = 0;
    for (let k = 0; k < N; k++) mean += total[k]!;
    mean /= N;
    return (mean / refs.length) * 10;
  }
}
