/**
 * The quality harness's printed table. Figures from evaluate.py (its metrics-*.json, when a
 * training run left them) go in a second column for comparison; they describe whatever weights
 * that run measured, which are the committed ONNX files only if nothing was retrained since.
 */
import type { CaptionerQuality } from './measure-captioner.js';
import type { EmbedderQuality } from './measure-embedders.js';
import type { GeneratorQuality, JudgedShares } from './measure-generator.js';

export interface QualityReport {
  dataset: { seed: number; testImages: number; trainImagesForBaseline: number; trainImagesForJudge: number };
  models: { captioner: string; generator: string; embedder: string };
  judgeNote: string;
  captioner?: CaptionerQuality;
  generator?: Omit<GeneratorQuality, 'images'>;
  embedders?: EmbedderQuality;
  seconds: Record<string, number>;
}

/** evaluate.py's metrics-<model>.json contents, by model. */
export type PythonMetrics = Partial<Record<'captioner' | 'generator' | 'clip', Record<string, unknown>>>;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number) => x.toFixed(3);

type Row = [label: string, ts: string, python?: string];

function py(metrics: PythonMetrics, model: keyof PythonMetrics, key: string, format: (x: number) => string): string | undefined {
  const v = metrics[model]?.[key];
  return typeof v === 'number' ? format(v) : undefined;
}

function judgedRows(label: string, s: JudgedShares, python: { colour?: string; colourAndShape?: string } = {}): Row[] {
  return [
    [`${label}: colour, evaluate.py rule`, pct(s.pythonRule.colour), python.colour],
    [`${label}: colour + shape, evaluate.py rule`, pct(s.pythonRule.colourAndShape), python.colourAndShape],
    [`${label}: colour / colour + shape, judge.ts (some object)`, `${pct(s.tsJudge.anyColour)} / ${pct(s.tsJudge.anyColourAndShape)}`],
    [`${label}: colour / colour + shape, judge.ts (main object)`, `${pct(s.tsJudge.mainColour)} / ${pct(s.tsJudge.mainColourAndShape)}`],
    ...(s.nearestReal ? [[`${label}: colour / colour + shape, nearest real test image`, `${pct(s.nearestReal.colour)} / ${pct(s.nearestReal.colourAndShape)}`] as Row] : []),
  ];
}

export function formatReport(report: QualityReport, python: PythonMetrics = {}): string[] {
  const sections: [string, Row[]][] = [];
  const c = report.captioner;
  if (c) {
    sections.push([
      `Captioner — ${c.testImages} test images, greedy; top-p ${c.topP.p}, ${c.topP.samplesPerImage} samples × ${c.topP.images} images`,
      [
        ['greedy CIDEr-D (evaluate.py words)', num(c.greedy.evaluatePy.CIDEr), py(python, 'captioner', 'greedy_cider_d', num)],
        [`baseline CIDEr-D ("${c.baselineCaption}")`, num(c.baseline.evaluatePy.CIDEr), py(python, 'captioner', 'baseline_cider_d', num)],
        ['greedy ÷ baseline', `${c.ratio.evaluatePy.toFixed(1)}×`, py(python, 'captioner', 'ratio_to_baseline', (x) => `${x.toFixed(1)}×`)],
        ['greedy CIDEr-D / baseline (PTB tokens, app metrics)', `${num(c.greedy.ptb.CIDEr)} / ${num(c.baseline.ptb.CIDEr)} = ${c.ratio.ptb.toFixed(1)}×`],
        ['greedy BLEU-4 / ROUGE-L (PTB tokens)', `${num(c.greedy.ptb.Bleu_4)} / ${num(c.greedy.ptb.ROUGE_L)}`],
        ['top-p: distinct samples per image', pct(c.topP.distinctShare), py(python, 'captioner', 'distinct_share_top_p', pct)],
        ['top-p: mean CIDEr-D (evaluate.py words)', num(c.topP.meanCider.evaluatePy), py(python, 'captioner', 'top_p_mean_cider_d', num)],
        ['top-p: mean CIDEr-D (PTB tokens)', num(c.topP.meanCider.ptb)],
        ['top-p: word for word a training caption', pct(c.topP.identicalToATrainingCaption), py(python, 'captioner', 'top_p_samples_identical_to_some_training_caption', pct)],
      ],
    ]);
  }
  const g = report.generator;
  if (g) {
    sections.push([
      `Generator — ${g.generated.images} held-out captions naming the main object's colour and shape; ${g.sampler}; VAE factor ${g.vaeScaleFactor}`,
      [
        ...judgedRows('generated', g.generated, { colour: py(python, 'generator', 'main_object_colour_match', pct), colourAndShape: py(python, 'generator', 'main_object_colour_and_shape_match', pct) }),
        ...judgedRows(`real test images (${g.realTestImages.images})`, g.realTestImages, { colourAndShape: py(python, 'generator', 'judge_on_real_test_images', pct) }),
        ...judgedRows('VAE reconstructions', g.vaeReconstructions, { colourAndShape: py(python, 'generator', 'judge_on_vae_reconstructions_of_test_images', pct) }),
        ...(['background', 'position', 'count'] as const).map((k): Row => {
          const [gen, real] = [g.facts.generated[k], g.facts.realImages[k]];
          return [`generated: ${k} (of ${gen.judged} prompts stating it; real images ${real.share === null ? '–' : pct(real.share)})`, gen.share === null ? '–' : pct(gen.share)];
        }),
        [`seed pairs (${g.seedPairs.pairs}): mean |difference|, grey levels`, g.seedPairs.meanAbsolutePixelDifference.toFixed(1), py(python, 'generator', 'seed_pair_mean_abs_pixel_difference', (x) => x.toFixed(1))],
        ['seed pairs differing by > 2 grey levels', pct(g.seedPairs.shareDifferingByMoreThan2), py(python, 'generator', 'seed_pairs_differing_by_more_than_2_levels', pct)],
      ],
    ]);
  }
  const e = report.embedders;
  if (e) {
    sections.push([
      `Embedders — recall@1 among ${e.groupSize}, ${e.trials} trials (groups of ${e.groupSize} test images × caption index)`,
      [
        ['image → text', `${pct(e.imageToText)} (${pct(e.minImageToText)}–${pct(e.maxImageToText)})`, py(python, 'clip', 'image_to_text_recall_at_1', pct)],
        ['text → image', pct(e.textToImage), py(python, 'clip', 'text_to_image_recall_at_1', pct)],
        ['image → text, longest caption', pct(e.imageToTextLongestCaption), py(python, 'clip', 'image_to_text_recall_at_1_longest_caption', pct)],
      ],
    ]);
  }
  const hasPython = sections.some(([, rows]) => rows.some((r) => r[2] !== undefined));
  const width = Math.max(...sections.flatMap(([, rows]) => rows.map((r) => r[0].length)));
  const lines: string[] = [];
  for (const [title, rows] of sections) {
    lines.push('', title);
    if (hasPython) lines.push(`  ${''.padEnd(width)}  ${'TypeScript'.padEnd(22)}  evaluate.py (last run)`);
    for (const [label, ts, p] of rows) lines.push(`  ${label.padEnd(width)}  ${ts.padEnd(22)}  ${p ?? ''}`.trimEnd());
  }
  lines.push('', `Judges: ${report.judgeNote}`);
  lines.push(`Seconds: ${Object.entries(report.seconds).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
  return lines;
}
