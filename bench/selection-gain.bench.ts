/**
 * The paper's Table 1 and Fig. 3 protocols on the demo world, end to end through the engine:
 * a demo project of held-out test images, a suggest run (N candidates, top-p), then the
 * selection gain of reconstruction-ranked captions over the sampled baseline, the caption score
 * at each reconstruction rank, seconds per verified suggestion, engine overhead (end-to-end time
 * ÷ time inside onnxruntime run(); 1.0 is the floor), UNet evaluations per suggestion and peak
 * memory. Environment: IMAGES (200), CANDIDATES (10), STEPS and GUIDANCE (the generator's measured defaults, runDefaults; else 20 and 4), SCHEDULER (ddim).
 */
import { selectionGain } from '../electron/engine/evaluation/selection-gain.js';
import { captionerMaxNewTokens } from '../electron/engine/verify-images-run.js';
import { loadSuggestModels } from '../electron/engine/load-suggest-models.js';
import { modelProvenance } from '../electron/engine/model-provenance.js';
import { createSuggestRun, executeSuggestRun, type SuggestRunSettings } from '../electron/engine/suggest-run.js';
import type { Generator } from '../electron/inference/generator/index.js';
import { onnxRunMeter, resetOnnxRunMeter } from '../electron/inference/onnx/run-meter.js';
import { METRIC_KEYS } from '../electron/metrics/score-captions.js';
import { defaultGeneratorSettings } from '../electron/models/run-defaults.js';
import { demoModelDirsOrSkip, openDemoBenchProject, peakRssSampler } from './support/demo-bench-setup.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const IMAGES = env('IMAGES', 200);
const N = env('CANDIDATES', 10);
const SCHEDULER = (process.env.SCHEDULER ?? 'ddim') as SuggestRunSettings['generation']['scheduler'];

const dirs = demoModelDirsOrSkip('selection-gain');
const STEPS = env('STEPS', (await defaultGeneratorSettings(dirs.generator)).steps);
const GUIDANCE = env('GUIDANCE', (await defaultGeneratorSettings(dirs.generator)).guidance);
const { backend, project, name } = await openDemoBenchProject(IMAGES, 'rt-gain-');
const settings: SuggestRunSettings = {
  seed: 1,
  decoding: { strategy: 'sample', topP: 0.9, numReturnSequences: N, maxNewTokens: captionerMaxNewTokens(dirs.captioner) },
  generation: { steps: STEPS, guidanceScale: GUIDANCE, scheduler: SCHEDULER },
  models: { captioner: await modelProvenance(dirs.captioner), generator: await modelProvenance(dirs.generator), embedder: await modelProvenance(dirs.embedder) },
};
const models = await loadSuggestModels(dirs);
const run = createSuggestRun(project, settings);
const memory = peakRssSampler();
resetOnnxRunMeter();
(models.generator as Generator).resetStats();
const started = performance.now();
await executeSuggestRun(project, run.id, models, { onProgress: (p) => process.stderr.write(`\r${p.done}/${p.total}`) });
const seconds = (performance.now() - started) / 1000;
const peakMiB = memory.stop();
process.stderr.write('\n');

const references = new Map<number, string[]>();
const candidates = new Map<number, { idx: number; text: string; similarity: number }[]>();
for (const image of project.images.iterate()) {
  references.set(image.id, project.references.forImage(image.id).map((r) => r.text));
  candidates.set(image.id, project.runs.candidates(run.id, image.id).map((c) => ({ idx: c.idx, text: c.text, similarity: c.similarity! })));
}
const gain = selectionGain(references, candidates);
const fmt = (x: number) => x.toFixed(4);
console.log(`demo world, ${gain.images} held-out images (${name}), N = ${N}, top-p 0.9, ${STEPS} ${SCHEDULER} steps, guidance ${GUIDANCE}`);
console.log(`metric     baseline   selected   gain`);
for (const k of METRIC_KEYS) console.log(`${k.padEnd(9)}  ${fmt(gain.baseline[k])}     ${fmt(gain.selected[k])}     ${gain.gainPercent[k] >= 0 ? '+' : ''}${gain.gainPercent[k].toFixed(1)}%`);
console.log(`CIDEr by reconstruction rank: ${gain.byRank.map((m) => m.CIDEr.toFixed(3)).join(' ')}`);
const unet = (models.generator as Generator).stats.unetEvaluations;
console.log(`seconds per verified suggestion: ${(seconds / gain.images).toFixed(3)}`);
console.log(`engine overhead (end-to-end ÷ onnxruntime run time): ${(seconds * 1000 / onnxRunMeter.runMs).toFixed(3)}`);
console.log(`UNet evaluations per suggestion: ${(unet / gain.images).toFixed(1)}`);
console.log(`peak RSS: ${peakMiB.toFixed(0)} MiB`);
console.log(`project (run ${run.id}): ${project.dir}`);
await models.dispose();
backend.dispose();
