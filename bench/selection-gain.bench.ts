/**
 * The paper's Table 1 and Fig. 3 protocols on the demo world, end to end through the engine:
 * a demo project of held-out test images, suggest runs (N candidates), then the
 * selection gain of reconstruction-ranked captions over the sampled baseline, the caption score
 * at each reconstruction rank, seconds per verified suggestion, engine overhead (end-to-end time
 * ÷ time inside onnxruntime run(); 1.0 is the floor), UNet evaluations per suggestion and peak
 * memory. The figures come from the evaluation report (`roundtrip eval` on the same project
 * prints the same): the bootstrap interval of the CIDEr-D gain, Spearman's ρ between the
 * candidates' similarities and their CIDEr-D within each image, and a greedy run over the same
 * images (GREEDY=0 leaves it out) as the captioner's own best guess to beat. DIAGNOSE=1 (default)
 * ranks the same candidates three more ways (selection-diagnosis.ts): the reconstructions by a
 * plain pixel similarity, and the scene renderer standing in for the generator, judged by the
 * embedder and by pixels.
 * Two candidate sets are measured: the app's default (the greedy caption as candidate 1, N − 1
 * top-p samples) and the paper's (N top-p samples; PAPER=0 leaves it out). The diagnosis ranks
 * the first.
 * Environment: IMAGES (500), CANDIDATES (10), STEPS and GUIDANCE (the generator's measured
 * defaults, runDefaults; else 20 and 4), SCHEDULER (ddim), GREEDY (1), DIAGNOSE (1), PAPER (1),
 * TOPP (0.9).
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { type DiagnosisImage, diagnoseSelection, PIXEL_GRID, RANKERS } from '../electron/demo-world/quality/selection-diagnosis.js';
import { buildEvaluationReport } from '../electron/evaluation/report/build-report.js';
import { loadImageEmbedder } from '../electron/inference/embedders/index.js';
import { captionerMaxNewTokens } from '../electron/engine/caption-length.js';
import { loadEngineModels } from '../electron/engine/load-engine-models.js';
import { modelProvenance } from '../electron/engine/model-provenance.js';
import { createSuggestRun, executeSuggestRun, type SuggestRunSettings } from '../electron/engine/suggest-run.js';
import type { Generator } from '../electron/inference/generator/index.js';
import { onnxRunMeter, resetOnnxRunMeter } from '../electron/inference/onnx/run-meter.js';
import { defaultGeneratorSettings } from '../electron/models/run-defaults.js';
import { demoModelDirsOrSkip, openDemoBenchProject, peakRssSampler } from './support/demo-bench-setup.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const IMAGES = env('IMAGES', 500);
const N = env('CANDIDATES', 10);
const GREEDY = env('GREEDY', 1) === 1;
const DIAGNOSE = env('DIAGNOSE', 1) === 1;
const PAPER = env('PAPER', 1) === 1;
const TOP_P = env('TOPP', 0.9);
const SCHEDULER = (process.env.SCHEDULER ?? 'ddim') as SuggestRunSettings['generation']['scheduler'];

const dirs = demoModelDirsOrSkip('selection-gain');
const measured = await defaultGeneratorSettings(dirs.generator);
const STEPS = env('STEPS', measured.steps);
const GUIDANCE = env('GUIDANCE', measured.guidance);
const { backend, project, name, images } = await openDemoBenchProject(IMAGES, 'rt-gain-');
const maxNewTokens = captionerMaxNewTokens(dirs.captioner);
const base = {
  seed: 1,
  generation: { steps: STEPS, guidanceScale: GUIDANCE, scheduler: SCHEDULER },
  models: { captioner: await modelProvenance(dirs.captioner), generator: await modelProvenance(dirs.generator), embedder: await modelProvenance(dirs.embedder) },
};
const models = await loadEngineModels(dirs);
const fmt = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(4));
const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`);

/** One suggest run with `decoding`, timed, then its Table 1 / Fig. 3 figures from the evaluation report. */
async function measure(label: string, decoding: SuggestRunSettings['decoding']) {
  const run = createSuggestRun(project, { ...base, decoding });
  const memory = peakRssSampler();
  resetOnnxRunMeter();
  (models.generator as Generator).resetStats();
  const started = performance.now();
  await executeSuggestRun(project, run.id, models, { onProgress: (p) => process.stderr.write(`\r${label}: ${p.done}/${p.total}`) });
  const seconds = (performance.now() - started) / 1000;
  const onnxMs = onnxRunMeter.runMs;
  const unet = (models.generator as Generator).stats.unetEvaluations;
  const peakMiB = memory.stop();
  process.stderr.write('\n');
  return { label, run, seconds, onnxMs, unet, peakMiB };
}

function print(m: Awaited<ReturnType<typeof measure>>, t: Awaited<ReturnType<typeof buildEvaluationReport>>['table1'][number]) {
  const row = (key: string) => t.overall.rows.find((r) => r.key === key);
  const baseline = row('sampled-mean')!;
  const selected = row('selected')!;
  const greedyRow = row('greedy');
  console.log(`\n${m.label} (run ${m.run.id}): ${t.overall.images} held-out images (${name}), N = ${t.candidatesPerImage}, ${STEPS} ${SCHEDULER} steps, guidance ${GUIDANCE}`);
  console.log(`metric     baseline   selected   gain${greedyRow ? '      greedy     selected vs greedy' : ''}   (baseline: the mean of the N candidates)`);
  for (const k of t.metrics.filter((metric) => baseline.scores[metric] !== undefined)) {
    const [b, s, g] = [baseline.scores[k], selected.scores[k], greedyRow?.scores[k]];
    const gain = b ? ((s! - b) / b) * 100 : null;
    const vsGreedy = g ? ((s! - g) / g) * 100 : null;
    console.log(`${k.padEnd(9)}  ${fmt(b)}     ${fmt(s)}     ${pct(gain).padEnd(8)}${greedyRow ? `  ${fmt(g)}     ${pct(vsGreedy)}` : ''}`);
  }
  const b = t.bootstrap;
  console.log(`CIDEr-D gain, bootstrap ${Math.round(b.confidence * 100)}% interval (${b.resamples} resamples of the images): ${pct(b.gainPercent.point)} [${pct(b.gainPercent.low)}, ${pct(b.gainPercent.high)}]`);
  console.log(`CIDEr-D by reconstruction rank: ${t.byRank.map((r) => (r.corpus.CIDEr ?? Number.NaN).toFixed(3)).join(' ')}`);
  const v = t.reconstructionVsScore;
  console.log(`Spearman ρ, similarity vs CIDEr-D: within an image (mean over ${v.withinImage.images}) ${fmt(v.withinImage.meanSpearman)}; selected caption across images ${fmt(v.spearman)}; all ${v.allCandidates.pairs} candidates ${fmt(v.allCandidates.spearman)}`);
  console.log(`seconds per verified suggestion: ${(m.seconds / t.overall.images).toFixed(3)}`);
  console.log(`engine overhead (end-to-end ÷ onnxruntime run time): ${((m.seconds * 1000) / m.onnxMs).toFixed(3)}`);
  console.log(`UNet evaluations per suggestion: ${(m.unet / t.overall.images).toFixed(1)}`);
  console.log(`peak RSS: ${m.peakMiB.toFixed(0)} MiB`);
}

const sampling = { strategy: 'sample', topP: TOP_P, numReturnSequences: N, maxNewTokens } as const;
// The app's default candidate set (RUN_DEFAULTS.greedyCandidate), then the paper's all-sampled one.
const candidateSets = [await measure(`app default: the greedy caption + N − 1 top-p ${TOP_P} samples`, { ...sampling, greedyFirst: true })];
if (PAPER) candidateSets.push(await measure(`the paper's set: N top-p ${TOP_P} samples`, sampling));
if (GREEDY) {
  const greedy = createSuggestRun(project, { ...base, decoding: { strategy: 'greedy', numReturnSequences: 1, maxNewTokens } });
  await executeSuggestRun(project, greedy.id, models, { onProgress: (p) => process.stderr.write(`\rgreedy run ${p.done}/${p.total}`) });
  process.stderr.write('\n');
}
for (const m of candidateSets) print(m, (await buildEvaluationReport(project, { runId: m.run.id })).table1[0]!);
console.log(`project: ${project.dir}`);
const run = candidateSets[0]!.run;

if (DIAGNOSE) {
  const rgb = async (file: string) => {
    const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  };
  const diagnosisImages: DiagnosisImage[] = [];
  for (const image of images) {
    const candidates = project.runs.candidates(run.id, image.id).filter((c) => c.reconstruction && c.similarity !== null);
    if (candidates.length === 0) continue;
    diagnosisImages.push({
      imageId: image.id,
      references: image.references,
      source: await rgb(image.file),
      candidates: await Promise.all(candidates.map(async (c) => ({ idx: c.idx, text: c.text, similarity: c.similarity!, reconstruction: await rgb(join(project.dir, c.reconstruction!)) }))),
    });
  }
  const embedder = await loadImageEmbedder(dirs.embedder);
  const gains = await diagnoseSelection(diagnosisImages, embedder);
  await embedder.dispose();
  console.log(`\ndiagnosis: the same candidates ranked four ways (CIDEr-D; pixels = -RMS of ${PIXEL_GRID}×${PIXEL_GRID} block means; oracle = the scene renderer drawing what each caption says)`);
  console.log(`ranking                           selected   gain over the sampling mean   rank 1 … ${N}`);
  for (const ranker of RANKERS) {
    const g = gains[ranker];
    console.log(`${ranker.padEnd(32)}  ${fmt(g.selected.CIDEr)}     ${pct(g.gainPercent.CIDEr).padEnd(28)}  ${g.byRank.map((m) => m.CIDEr.toFixed(3)).join(' ')}`);
  }
}
await models.dispose();
backend.dispose();
