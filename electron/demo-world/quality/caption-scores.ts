/**
 * Caption scores for the quality harness, over parallel lists (one hypothesis per entry; the
 * same image may appear several times, e.g. ten samples each, which is how evaluate.py scores
 * top-p samples: document frequencies then count every entry, as its Python cider_d does).
 * Two tokenizations: the app's metrics module (PTB tokenizer, pycocoevalcap), and evaluate.py's
 * lowercase words without punctuation — the one the Python figures in resources/demo use.
 */
import { type MetricScores, scoreTokenized } from '../../metrics/score-captions.js';
import { ptbTokenize } from '../../metrics/ptb-tokenize.js';
import { captionWords } from './caption-words.js';

export type CaptionTokenizer = 'ptb' | 'evaluate.py';

function tokenize(text: string, tokenizer: CaptionTokenizer): string {
  return tokenizer === 'ptb' ? ptbTokenize(text) : captionWords(text).join(' ');
}

/** Corpus BLEU-1..4, ROUGE-L and CIDEr(-D) of `hypotheses[i]` against `references[i]`. */
export function corpusScores(references: readonly (readonly string[])[], hypotheses: readonly string[], tokenizer: CaptionTokenizer): MetricScores {
  if (references.length !== hypotheses.length) throw new RangeError(`${hypotheses.length} hypotheses for ${references.length} reference sets`);
  const ids = hypotheses.map((_, i) => i);
  return scoreTokenized(
    ids,
    references.map((refs) => refs.map((r) => tokenize(r, tokenizer))),
    hypotheses.map((h) => tokenize(h, tokenizer)),
  ).corpus;
}

/** Mean over images of (distinct strings among its samples ÷ samples). */
export function distinctShare(samplesPerImage: readonly (readonly string[])[]): number {
  if (samplesPerImage.length === 0) return 0;
  return samplesPerImage.reduce((sum, samples) => sum + new Set(samples).size / samples.length, 0) / samplesPerImage.length;
}
