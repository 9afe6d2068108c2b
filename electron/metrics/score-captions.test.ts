/**
 * The metrics on a small corpus worked out by hand, and edge cases. Values follow
 * pycocoevalcap's formulas (see bleu.ts, rouge.ts, cider.ts).
 */
import { describe, expect, it } from 'vitest';
import { scoreCaptions } from './score-captions.js';

// 1e-7: the toolkit's 1e-9/1e-15 smoothing moves BLEU by ~1e-9 from the textbook value.
const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 7);

describe('scoreCaptions on a hand-checked corpus', () => {
  // img1: hypothesis "a cat on the mat" (5 words) against "a cat on a mat" (5) and
  //   "a cat sits on the mat" (6): every unigram and bigram matches; closest ref length 5.
  // img2: "two dogs" against "two dogs run": p1 = p2 = 1, brevity penalty exp(1 - 3/2).
  const refs = new Map([
    ['img1', ['A cat on a mat.', 'A cat sits on the mat.']],
    ['img2', ['Two dogs run.']],
  ]);
  const hyps = new Map([
    ['img1', 'A cat on the mat.'],
    ['img2', 'Two dogs'],
  ]);
  const { corpus, perImage } = scoreCaptions(refs, hyps);

  it('BLEU per image and for the corpus', () => {
    close(perImage.get('img2')!.Bleu_1, Math.exp(-0.5));
    close(perImage.get('img2')!.Bleu_2, Math.exp(-0.5));
    // Trigram of a 2-word hypothesis: guess 0, so the toolkit's smoothing gives 1e-15/1e-9.
    close(perImage.get('img2')!.Bleu_3, Math.cbrt(1e-6) * Math.exp(-0.5));
    close(perImage.get('img1')!.Bleu_1, 1);
    // Corpus: 7 of 7 unigrams and 5 of 5 bigrams correct, lengths 7 vs 5 + 3 = 8.
    close(corpus.Bleu_1, Math.exp(1 - 8 / 7));
    close(corpus.Bleu_2, Math.exp(1 - 8 / 7));
    // Trigrams: img1 "a cat on" ✓ "cat on the" ✗ "on the mat" ✓ → 2 of 3 (img2 has none).
    close(corpus.Bleu_3, Math.cbrt((2 / 3)) * Math.exp(1 - 8 / 7));
  });

  it('ROUGE-L', () => {
    // img2: LCS 2, precision 1, recall 2/3, β = 1.2.
    const f = (2.44 * 1 * (2 / 3)) / (2 / 3 + 1.44 * 1);
    close(perImage.get('img2')!.ROUGE_L, f);
    // img1: LCS with ref 2 is 5 ("a cat on the mat"), so precision 1 and recall 5/6;
    // against ref 1 LCS is 4 (recall 4/5): max precision 1, max recall 5/6.
    const f1 = (2.44 * 1 * (5 / 6)) / (5 / 6 + 1.44);
    close(perImage.get('img1')!.ROUGE_L, f1);
    close(corpus.ROUGE_L, (f + f1) / 2);
  });

  it('CIDEr', () => {
    // img2: every n-gram of its reference has df 1 of 2 images, weight log 2 each.
    // Unigrams: 2 / (√2 · √3); bigrams: 1 / (1 · √2); no trigrams in the hypothesis.
    // Length (bigram count) 1 vs 2 → penalty exp(-1 / 72).
    const img2 = (10 * (2 / Math.sqrt(6) + 1 / Math.SQRT2)) / 4 * Math.exp(-1 / 72);
    close(perImage.get('img2')!.CIDEr, img2);
    close(corpus.CIDEr, (perImage.get('img1')!.CIDEr + img2) / 2);
  });
});

describe('edge cases', () => {
  it('an empty hypothesis scores zero', () => {
    const s = scoreCaptions(new Map([[1, ['a dog']], [2, ['a cat']]]), new Map([[1, ''], [2, 'a cat']]));
    const p = s.perImage.get(1)!;
    expect(p.Bleu_1).toBeLessThan(1e-12);
    expect(p.ROUGE_L).toBe(0);
    expect(p.CIDEr).toBe(0);
  });

  it('a hypothesis equal to its only reference: BLEU 1; CIDEr 0 in a one-image corpus (idf is log 1)', () => {
    const s = scoreCaptions(new Map([[1, ['a dog runs on the beach']]]), new Map([[1, 'A dog runs on the beach.']]));
    close(s.corpus.Bleu_4, 1);
    close(s.corpus.ROUGE_L, 1);
    expect(s.corpus.CIDEr).toBe(0);
  });

  it('duplicate references count twice in CIDEr (mean over references) but once in BLEU clipping', () => {
    const refs = new Map([[1, ['a dog', 'a dog']], [2, ['a cat']]]);
    const s = scoreCaptions(refs, new Map([[1, 'a dog'], [2, 'a bird']]));
    close(s.perImage.get(1)!.Bleu_2, 1);
    // 'a' appears in both images (idf 0); 'dog' and 'a dog' have weight log 2: cosine 1 for
    // unigrams and bigrams, none for orders 3 and 4 → 10 × 2 / 4 = 5.
    close(s.perImage.get(1)!.CIDEr, 5);
  });

  it('refuses an image without references', () => {
    expect(() => scoreCaptions(new Map([[1, ['a']]]), new Map([[2, 'a']]))).toThrow(/image 2/);
  });
});
