/**
 * The paper's Table 2 protocol (text → image → text) on the demo world, end to end through the
 * engine: a demo project of held-out test images, a verify-images run over each image's first
 * reference caption (N seeded images per text, beam-search re-captions ranked by CLIP text
 * similarity to the text), then the CLIP image-tower similarity of the selected image to the
 * dataset's real image vs. the mean over the N candidates and vs. a random candidate (the first
 * seed's image), with the relative gain and the share of texts where selected > mean.
 * Environment: IMAGES (100), N (4), BEAMS (3), REFERENCES (1), STEPS and GUIDANCE (the generator's measured defaults, runDefaults; else 20 and 4), SCHEDULER (ddim).
 */
import { join } from 'node:path';
import { groupBySourceText, imageSelectionGain, type GeneratedForText } from '../electron/engine/evaluation/image-selection-gain.js';
import type { Generator } from '../electron/inference/generator/index.js';
import { loadEngineModels } from '../electron/engine/load-engine-models.js';
import { modelProvenance } from '../electron/engine/model-provenance.js';
import { captionerMaxNewTokens } from '../electron/engine/caption-length.js';
import { createVerifyImagesRun, executeVerifyImagesRun, type VerifyImagesRunSettings } from '../electron/engine/verify-images-run.js';
import { onnxRunMeter, resetOnnxRunMeter } from '../electron/inference/onnx/run-meter.js';
import { defaultGeneratorSettings } from '../electron/models/run-defaults.js';
import { demoModelDirsOrSkip, openDemoBenchProject, peakRssSampler } from './support/demo-bench-setup.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const IMAGES = env('IMAGES', 100);
const N = env('N', 4);
const BEAMS = env('BEAMS', 3);
const REFERENCES = env('REFERENCES', 1);
const SCHEDULER = (process.env.SCHEDULER ?? 'ddim') as VerifyImagesRunSettings['generation']['scheduler'];

const demo = demoModelDirsOrSkip('table2');
// The CLIP text tower ranks re-captions (as the paper's CLIP text encoder); the image tower evaluates.
const dirs = { ...demo, textEmbedder: demo.embedder };
const measured = await defaultGeneratorSettings(dirs.generator);
const STEPS = env('STEPS', measured.steps);
const GUIDANCE = env('GUIDANCE', measured.guidance);
const { backend, project, name } = await openDemoBenchProject(IMAGES, 'rt-table2-');
const settings: VerifyImagesRunSettings = {
  seed: 1,
  referencesPerImage: REFERENCES,
  imagesPerText: N,
  generation: { steps: STEPS, guidanceScale: GUIDANCE, scheduler: SCHEDULER },
  recaption: { strategy: 'beam', numBeams: BEAMS, maxNewTokens: captionerMaxNewTokens(dirs.captioner) },
  models: {
    captioner: await modelProvenance(dirs.captioner),
    generator: await modelProvenance(dirs.generator),
    embedder: await modelProvenance(dirs.embedder),
    textEmbedder: await modelProvenance(dirs.textEmbedder),
  },
};
const models = await loadEngineModels(dirs);
const run = createVerifyImagesRun(project, settings);
const memory = peakRssSampler();
resetOnnxRunMeter();
(models.generator as Generator).resetStats();
const started = performance.now();
await executeVerifyImagesRun(project, run.id, models, { onProgress: (p) => process.stderr.write(`\r${p.done}/${p.total}`) });
const seconds = (performance.now() - started) / 1000;
const peakMiB = memory.stop();
process.stderr.write('\n');

const rows = project.runs.itemImageIds(run.id).flatMap((imageId) => project.runs.generatedImages(run.id, imageId));
const groups = groupBySourceText(rows) as (GeneratedForText & { textSimilarity: number; cider: number })[][];
const gain = imageSelectionGain(groups);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const selectedOf = (g: (typeof groups)[number]) => g.find((r) => r.rank === 1)!;
const f = (x: number) => x.toFixed(4);
const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;

console.log(`demo world, ${gain.texts} texts of ${IMAGES} held-out images (${name}; ${REFERENCES} reference(s) per image), N = ${N} images per text, ${STEPS} ${SCHEDULER} steps, guidance ${GUIDANCE}, beam ${BEAMS}`);
console.log(`selection: CLIP text similarity of the beam re-caption to the text; evaluation: CLIP image similarity to the real image`);
const line = (label: string, similarity: number, distance: number, note = '') =>
  console.log(`${label.padEnd(27)}${f(similarity).padEnd(13)}${distance.toFixed(2).padEnd(note ? 10 : 0)}${note}`);
console.log(`${''.padEnd(27)}${'similarity'.padEnd(13)}distance 100·(1−cos)`);
line('selected image', gain.selected, gain.distance.selected);
line("candidates' mean", gain.mean, gain.distance.mean, `selected: ${pct(gain.gainOverMeanPercent)}`);
line('random candidate (seed 0)', gain.random, gain.distance.random, `selected: ${pct(gain.gainOverRandomPercent)}`);
console.log(`selected > candidates' mean for ${(gain.selectedBeatsMean * 100).toFixed(1)}% of texts`);
console.log(
  `re-caption vs. text: text similarity selected ${f(mean(groups.map((g) => selectedOf(g).textSimilarity)))} / mean ${f(mean(groups.flat().map((r) => r.textSimilarity)))}; ` +
    `CIDEr-D selected ${f(mean(groups.map((g) => selectedOf(g).cider)))} / mean ${f(mean(groups.flat().map((r) => r.cider)))}`,
);
const unet = (models.generator as Generator).stats.unetEvaluations;
console.log(`seconds per verified text: ${(seconds / gain.texts).toFixed(3)}; engine overhead (end-to-end ÷ onnxruntime run time): ${((seconds * 1000) / onnxRunMeter.runMs).toFixed(3)}`);
console.log(`UNet evaluations per text: ${(unet / gain.texts).toFixed(1)}; peak RSS: ${peakMiB.toFixed(0)} MiB; run settings and models: ${join(project.dir, 'roundtrip.db')} run ${run.id}`);
await models.dispose();
backend.dispose();
