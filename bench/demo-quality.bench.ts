/**
 * The demo models' quality on the held-out test split, measured from TypeScript through
 * onnxruntime-node with the protocols of tools/demo-world/evaluate.py (resources/demo/README.md,
 * "How they are measured"): captioner greedy CIDEr-D vs the most-frequent-training-caption
 * baseline and top-p sampling diversity; generator colour / colour + shape by the pixel judges,
 * with the real images and VAE reconstructions as ceilings and the seed-pair difference; image ↔
 * text recall@1 among 100. The data is `roundtrip demo-data`'s (same writer function, default
 * seed), made in memory: the test split rendered, the training split's captions only (and the
 * first JUDGE_TRAIN training images rendered for evaluate.py's learned judge).
 *
 * `npm run demo:quality`. Environment: TEST_N (1000), SEED (1), PARTS (captioner,generator,
 * embedders), SAMPLE_IMAGES (100), SAMPLES (10), GEN_N (200), CEILING_N (200), STEPS and
 * GUIDANCE (the generator's app defaults, its manifest's runDefaults), GEN_SEED (1234: generator image i uses seed GEN_SEED + i), PAIRS (20),
 * JUDGE_TRAIN (3000), CAPTIONER / GENERATOR / EMBEDDER (model folders; default resources/demo),
 * PYTHON_METRICS (build/demo-train: evaluate.py's metrics-*.json, shown beside ours when present),
 * OUT (build/demo-quality.json; a contact sheet of generated images goes beside it).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { Captioner } from '../electron/inference/captioner/captioner.js';
import { loadImageEmbedder, loadTextEmbedder } from '../electron/inference/embedders/index.js';
import { Generator } from '../electron/inference/generator/index.js';
import { DEFAULT_COUNTS } from '../electron/demo-world/dataset.js';
import { encodePng } from '../electron/demo-world/render.js';
import { DEFAULT_CAPTIONER_SETTINGS, measureCaptioner } from '../electron/demo-world/quality/measure-captioner.js';
import { measureEmbedders } from '../electron/demo-world/quality/measure-embedders.js';
import { NearestRealJudge } from '../electron/demo-world/quality/nearest-real-judge.js';
import { DEFAULT_GENERATOR_SETTINGS, type GeneratorQuality, measureGenerator } from '../electron/demo-world/quality/measure-generator.js';
import { formatReport, type PythonMetrics, type QualityReport } from '../electron/demo-world/quality/report.js';
import { captionCounts, renderRecord, type RgbImage, splitRecords } from '../electron/demo-world/quality/split-records.js';
import { TemplateJudge } from '../electron/demo-world/quality/template-judge.js';
import { defaultGeneratorSettings } from '../electron/models/run-defaults.js';
import { demoModelDirsOrSkip } from './support/demo-bench-setup.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TEST_N = env('TEST_N', DEFAULT_COUNTS.test);
const SEED = env('SEED', 1);
const PARTS = new Set((process.env.PARTS ?? 'captioner,generator,embedders').split(',').map((p) => p.trim()));
const JUDGE_TRAIN = env('JUDGE_TRAIN', 3000);
const OUT = resolve(process.env.OUT ?? join('build', 'demo-quality.json'));
const PYTHON_METRICS = process.env.PYTHON_METRICS ?? join('build', 'demo-train');

const demo = demoModelDirsOrSkip('demo-quality');
const dirs = { captioner: process.env.CAPTIONER ?? demo.captioner, generator: process.env.GENERATOR ?? demo.generator, embedder: process.env.EMBEDDER ?? demo.embedder };

const JUDGE_NOTE =
  "judge.ts (judgeScene, the app's rule) is not evaluate.py's Judge. judge.ts: background = per-channel median of the border, " +
  "a blob's colour = nearest of the fixed palette to the mean of its core pixels, shape = hand-set rules on fill/solidity/mass/corner features, " +
  'and its verdict is about the detected main object (largest, then leftmost, topmost); "some object" reads it the way evaluate.py does. ' +
  'evaluate.py: background = most common border colour, colour = nearest palette colour to the median pixel, shape = nearest 8×8 template, ' +
  `palette and templates learned from training images, verdict = some blob matches. The "evaluate.py rule" rows use a TypeScript port of it (TemplateJudge, learned from the first ${JUDGE_TRAIN} training images).`;

const seconds: Record<string, number> = {};
const progress = (what: string, done: number, total: number) => process.stderr.write(`\r  ${what} ${done}/${total}   `);
async function timed<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  process.stderr.write(`${name}…\n`);
  try {
    return await work();
  } finally {
    seconds[name] = (performance.now() - started) / 1000;
    process.stderr.write(`\r  ${name}: ${seconds[name]!.toFixed(1)} s${' '.repeat(20)}\n`);
  }
}

const started = performance.now();
const { test, testImages, train } = await timed('data', () => {
  const test = splitRecords('test', TEST_N, SEED);
  const trainRecords = splitRecords('train', DEFAULT_COUNTS.train, SEED);
  return { test, testImages: test.map(renderRecord), train: { counts: captionCounts(trainRecords.map((r) => r.captions)), records: trainRecords } };
});

const report: QualityReport = {
  dataset: { seed: SEED, testImages: test.length, trainImagesForBaseline: train.records.length, trainImagesForJudge: PARTS.has('generator') ? Math.min(JUDGE_TRAIN, train.records.length) : 0 },
  models: dirs,
  judgeNote: JUDGE_NOTE,
  seconds,
};

if (PARTS.has('captioner')) {
  report.captioner = await timed('captioner', async () => {
    const pngs = await Promise.all(testImages.map((image) => encodePng(Buffer.from(image.rgb))));
    const captioner = await Captioner.load(dirs.captioner);
    try {
      return await measureCaptioner(captioner, test, pngs, train.counts, {
        ...DEFAULT_CAPTIONER_SETTINGS,
        sampleImages: env('SAMPLE_IMAGES', DEFAULT_CAPTIONER_SETTINGS.sampleImages),
        samplesPerImage: env('SAMPLES', DEFAULT_CAPTIONER_SETTINGS.samplesPerImage),
        onProgress: progress,
      });
    } finally {
      await captioner.dispose();
    }
  });
}

let generatedImages: RgbImage[] = [];
if (PARTS.has('generator')) {
  const judge = await timed('judge training', () => TemplateJudge.learn(train.records.slice(0, JUDGE_TRAIN).map((r) => ({ image: renderRecord(r), scene: r.scene }))));
  // the app's defaults for this generator (its manifest's runDefaults): what a user's run draws with
  const appDefaults = await defaultGeneratorSettings(dirs.generator);
  const quality: GeneratorQuality = await timed('generator', async () => {
    const generator = await Generator.load(dirs.generator);
    const embedder = await loadImageEmbedder(dirs.embedder);
    try {
      const nearest = await NearestRealJudge.build(embedder, testImages, test.map((r) => r.scene.objects[0]!));
      return await measureGenerator(generator, test, testImages, judge, {
        ...DEFAULT_GENERATOR_SETTINGS,
        prompts: env('GEN_N', DEFAULT_GENERATOR_SETTINGS.prompts),
        ceilingImages: env('CEILING_N', DEFAULT_GENERATOR_SETTINGS.ceilingImages),
        steps: env('STEPS', appDefaults.steps),
        guidance: env('GUIDANCE', appDefaults.guidance),
        seedBase: env('GEN_SEED', DEFAULT_GENERATOR_SETTINGS.seedBase),
        pairs: env('PAIRS', DEFAULT_GENERATOR_SETTINGS.pairs),
        onProgress: progress,
      }, nearest);
    } finally {
      await Promise.all([generator.dispose(), embedder.dispose()]);
    }
  });
  const { images, ...rest } = quality;
  generatedImages = images;
  report.generator = rest;
}

if (PARTS.has('embedders')) {
  report.embedders = await timed('embedders', async () => {
    const [images, texts] = await Promise.all([loadImageEmbedder(dirs.embedder), loadTextEmbedder(dirs.embedder)]);
    try {
      return await measureEmbedders(images, texts, test, testImages);
    } finally {
      await Promise.all([images.dispose(), texts.dispose()]);
    }
  });
}
seconds.total = (performance.now() - started) / 1000;

const python: PythonMetrics = {};
for (const model of ['captioner', 'generator', 'clip'] as const) {
  const file = join(PYTHON_METRICS, `metrics-${model}.json`);
  if (existsSync(file)) python[model] = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

console.log(`demo-quality: held-out test split (seed ${SEED}, ${test.length} images), onnxruntime-node on the CPU`);
console.log(`models: ${dirs.captioner}, ${dirs.generator}, ${dirs.embedder}`);
for (const line of formatReport(report, python)) console.log(line);
for (const example of report.captioner?.examples ?? []) {
  console.log(`\n  refs: “${example.references.join('” / “')}”\n  greedy: “${example.greedy}”\n  top-p: “${example.samples.join('”; “')}”`);
}

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwrote ${OUT}`);
if (generatedImages.length >= 10) {
  const sheet = OUT.replace(/\.json$/, '') + '-generated.png';
  await writeContactSheet(generatedImages.slice(0, 40), sheet);
  console.log(`wrote ${sheet} (the first ${Math.min(40, generatedImages.length)} generated images, in prompt order)`);
}

/** Images in rows of 10 as one PNG. */
async function writeContactSheet(images: RgbImage[], file: string): Promise<void> {
  const { width, height } = images[0]!;
  const rows = Math.floor(images.length / 10);
  const sheet = Buffer.alloc(rows * height * 10 * width * 3);
  images.slice(0, rows * 10).forEach((image, i) => {
    const [row, col] = [Math.floor(i / 10), i % 10];
    for (let y = 0; y < height; y++) {
      const target = ((row * height + y) * 10 * width + col * width) * 3;
      sheet.set(image.rgb.subarray(y * width * 3, (y + 1) * width * 3), target);
    }
  });
  await sharp(sheet, { raw: { width: 10 * width, height: rows * height, channels: 3 } }).png().toFile(file);
}
