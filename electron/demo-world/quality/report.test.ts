import { describe, expect, it } from 'vitest';
import type { MetricScores } from '../../metrics/score-captions.js';
import { formatReport, type QualityReport } from './report.js';

const scores = (cider: number): MetricScores => ({ Bleu_1: 0.8, Bleu_2: 0.7, Bleu_3: 0.6, Bleu_4: 0.5, ROUGE_L: 0.7, CIDEr: cider });
const shares = { images: 200, pythonRule: { colour: 0.88, colourAndShape: 0.23 }, tsJudge: { anyColour: 0.9, anyColourAndShape: 0.3, mainColour: 0.8, mainColourAndShape: 0.2 } };
const report: QualityReport = {
  dataset: { seed: 1, testImages: 1000, trainImagesForBaseline: 20000, trainImagesForJudge: 3000 },
  models: { captioner: 'c', generator: 'g', embedder: 'e' },
  judgeNote: 'different rules',
  captioner: {
    testImages: 1000,
    greedy: { ptb: scores(1.348), evaluatePy: scores(1.33) },
    baselineCaption: 'a few shapes on a dark background',
    baseline: { ptb: scores(0.093), evaluatePy: scores(0.092) },
    ratio: { ptb: 14.5, evaluatePy: 14.46 },
    topP: { p: 0.9, images: 100, samplesPerImage: 10, distinctShare: 0.993, meanCider: { ptb: 0.9, evaluatePy: 0.889 }, identicalToATrainingCaption: 0.198 },
    examples: [],
    seconds: { greedy: 1, topP: 1 },
  },
  generator: {
    sampler: 'DDIM 25 steps, guidance 4',
    vaeScaleFactor: 8,
    generated: shares,
    facts: {
      generated: { colourAndShape: { share: 0.7, judged: 200 }, background: { share: 0.925, judged: 80 }, position: { share: 0.5, judged: 60 }, count: { share: null, judged: 0 } },
      realImages: { colourAndShape: { share: 1, judged: 200 }, background: { share: 1, judged: 80 }, position: { share: 1, judged: 60 }, count: { share: null, judged: 0 } },
    },
    realTestImages: shares,
    vaeReconstructions: shares,
    seedPairs: { pairs: 20, meanAbsolutePixelDifference: 46.6, shareDifferingByMoreThan2: 0.9 },
    examples: [],
    seconds: { generation: 10, perImage: 0.05, ceilings: 1, seedPairs: 1 },
  },
  seconds: { captioner: 12.25, total: 30 },
};

describe('formatReport', () => {
  it('prints every figure with its label, and a Python column only when evaluate.py figures are given', () => {
    const plain = formatReport(report).join('\n');
    expect(plain).toMatch(/greedy CIDEr-D \(evaluate\.py words\) +1\.330/);
    expect(plain).toMatch(/greedy ÷ baseline +14\.5×/);
    expect(plain).toMatch(/generated: colour \+ shape, evaluate\.py rule +23\.0%/);
    expect(plain).toMatch(/seed pairs differing by > 2 grey levels +90\.0%/);
    expect(plain).toMatch(/generated: background \(of 80 prompts stating it; real images 100\.0%\) +92\.5%/);
    expect(plain).toMatch(/generated: count \(of 0 prompts stating it; real images –\) +–/);
    expect(plain).toMatch(/Seconds: captioner 12\.3, total 30\.0/);
    expect(plain).not.toMatch(/evaluate\.py \(last run\)/);
    expect(plain).not.toMatch(/Embedders/);
    const withPython = formatReport(report, { captioner: { greedy_cider_d: 1.33 }, generator: { main_object_colour_and_shape_match: 0.23 } }).join('\n');
    expect(withPython).toMatch(/evaluate\.py \(last run\)/);
    expect(withPython).toMatch(/greedy CIDEr-D \(evaluate\.py words\) +1\.330 +1\.330/);
    expect(withPython).toMatch(/generated: colour \+ shape, evaluate\.py rule +23\.0% +23\.0%/);
  });
});
