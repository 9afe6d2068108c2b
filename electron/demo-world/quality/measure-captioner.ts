/**
 * The captioner's quality on held-out images, evaluate.py's protocol through onnxruntime-node:
 * greedy corpus CIDEr-D against the trivial baseline (every image gets the training split's
 * most frequent caption), and top-p 0.9 sampling (temperature 1, seeded): how many of N samples
 * per image are distinct, their mean CIDEr-D, and how many repeat a training caption.
 */
import type { Captioner } from '../../inference/captioner/captioner.js';
import { Xoshiro128 } from '../../inference/random/index.js';
import type { MetricScores } from '../../metrics/score-captions.js';
import type { DemoImage } from '../dataset.js';
import { corpusScores, distinctShare } from './caption-scores.js';
import { normalisedCaption } from './caption-words.js';
import type { CaptionCounts } from './split-records.js';

export interface CaptionerSettings {
  /** Sampled images (the first ones of the split) and samples per image. */
  sampleImages: number;
  samplesPerImage: number;
  topP: number;
  seed: number;
  /** evaluate.py decodes up to MAX_CAP_TOKENS + 1 = 41 tokens, the end token included. */
  maxNewTokens: number;
  /** Images per captioner call. */
  batch: number;
  onProgress?: (what: string, done: number, total: number) => void;
}

export const DEFAULT_CAPTIONER_SETTINGS: CaptionerSettings = { sampleImages: 100, samplesPerImage: 10, topP: 0.9, seed: 1234, maxNewTokens: 41, batch: 100 };

export interface CaptionerQuality {
  testImages: number;
  greedy: { ptb: MetricScores; evaluatePy: MetricScores };
  baselineCaption: string;
  baseline: { ptb: MetricScores; evaluatePy: MetricScores };
  /** Greedy CIDEr-D ÷ baseline CIDEr-D (PTB tokenizer / evaluate.py words). */
  ratio: { ptb: number; evaluatePy: number };
  topP: {
    p: number;
    images: number;
    samplesPerImage: number;
    distinctShare: number;
    meanCider: { ptb: number; evaluatePy: number };
    identicalToATrainingCaption: number;
  };
  examples: { references: string[]; greedy: string; samples: string[] }[];
  seconds: { greedy: number; topP: number };
}

export async function measureCaptioner(captioner: Captioner, test: readonly DemoImage[], pngs: readonly Buffer[], train: CaptionCounts, settings: CaptionerSettings = DEFAULT_CAPTIONER_SETTINGS): Promise<CaptionerQuality> {
  const refs = test.map((r) => r.captions);
  let started = performance.now();
  const greedy: string[] = [];
  for (let i = 0; i < pngs.length; i += settings.batch) {
    const out = await captioner.caption(pngs.slice(i, i + settings.batch), { strategy: 'greedy', maxNewTokens: settings.maxNewTokens });
    greedy.push(...out.map((c) => c[0]!.text));
    settings.onProgress?.('greedy', greedy.length, pngs.length);
  }
  const greedySeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const n = Math.min(settings.sampleImages, pngs.length);
  const rng = new Xoshiro128(settings.seed);
  const samples: string[][] = [];
  for (let i = 0; i < n; i += settings.batch) {
    const decoding = { strategy: 'sample', topP: settings.topP, temperature: 1, numReturnSequences: settings.samplesPerImage, maxNewTokens: settings.maxNewTokens } as const;
    const out = await captioner.caption(pngs.slice(i, Math.min(n, i + settings.batch)), decoding, rng);
    samples.push(...out.map((cs) => cs.map((c) => c.text)));
    settings.onProgress?.('top-p', samples.length, n);
  }
  const topPSeconds = (performance.now() - started) / 1000;

  const score = (hyps: string[], references: readonly (readonly string[])[]) => ({ ptb: corpusScores(references, hyps, 'ptb'), evaluatePy: corpusScores(references, hyps, 'evaluate.py') });
  const greedyScores = score(greedy, refs);
  const baseline = score(refs.map(() => train.mostFrequent), refs);
  const flat = samples.flat();
  const flatRefs = samples.flatMap((s, i) => s.map(() => refs[i]!));
  const sampled = score(flat, flatRefs);
  return {
    testImages: test.length,
    greedy: greedyScores,
    baselineCaption: train.mostFrequent,
    baseline,
    ratio: { ptb: greedyScores.ptb.CIDEr / baseline.ptb.CIDEr, evaluatePy: greedyScores.evaluatePy.CIDEr / baseline.evaluatePy.CIDEr },
    topP: {
      p: settings.topP,
      images: n,
      samplesPerImage: settings.samplesPerImage,
      distinctShare: distinctShare(samples),
      meanCider: { ptb: sampled.ptb.CIDEr, evaluatePy: sampled.evaluatePy.CIDEr },
      identicalToATrainingCaption: flat.filter((c) => train.all.has(normalisedCaption(c))).length / flat.length,
    },
    examples: samples.slice(0, 3).map((s, i) => ({ references: refs[i]!.slice(0, 2), greedy: greedy[i]!, samples: s.slice(0, 3) })),
    seconds: { greedy: greedySeconds, topP: topPSeconds },
  };
}
