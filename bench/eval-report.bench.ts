/**
 * The evaluation report at scale (issue 6: under a minute here): a project of 5,000 images with
 * five demo-world reference captions each, a completed suggest run of 10 candidates per image
 * and a verify-images run of 4 images per text, inserted through the repositories (no models),
 * then `buildEvaluationReport` (caption metrics only: Table 1 overall and for two splits, Fig. 3
 * over 10 ranks, scatter, bootstrap, Table 2) and `writeReport` (report.json, report.html, every
 * figure as SVG and PNG). Environment: IMAGES (5000), CANDIDATES (10).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoImage } from '../electron/demo-world/index.js';
import { mixSeed, Rng } from '../electron/demo-world/prng.js';
import { buildEvaluationReport, writeReport } from '../electron/evaluation/report/index.js';
import { addImages, addSuggestRun, addVerifyImagesRun, suggestSettings } from '../electron/evaluation/report/synthetic-runs.js';
import { Project } from '../electron/storage/project.js';

const IMAGES = Number(process.env.IMAGES ?? 5000);
const N = Number(process.env.CANDIDATES ?? 10);
const TARGET_SECONDS = 60;

const setupStart = performance.now();
const root = mkdtempSync(join(tmpdir(), 'rt-eval-bench-'));
const project = Project.create(join(root, 'project'), 'Eval bench');
const scenes = Array.from({ length: IMAGES }, (_, i) => demoImage('test', 1, i).captions);
const others = Array.from({ length: IMAGES }, (_, i) => demoImage('test', 2, i).captions);
// Two splits, so Table 1 is also computed per split (each with its own document frequencies).
const half = Math.floor(IMAGES / 2);
const ids = [...addImages(project, 'val', scenes.slice(0, half)), ...addImages(project, 'test', scenes.slice(half))];
const rng = new Rng(mixSeed(2024, N));
// Candidates: the image's own captions (as a good captioner's samples) and another scene's (as its mistakes), all distinct.
const candidates = ids.map((imageId, i) => ({
  imageId,
  results: Array.from({ length: N }, (_, k) => {
    const own = k % 2 === 0;
    const text = own ? scenes[i]![(k / 2) % 5]! : others[i]![((k - 1) / 2) % 5]!;
    return { text: k >= 10 ? `${text} ${k}` : text, similarity: (own ? 0.3 : 0) + rng.next() * 0.7 };
  }),
}));
addSuggestRun(project, candidates, { settings: suggestSettings({ strategy: 'sample', topP: 0.9, numReturnSequences: N, maxNewTokens: 20 }) });
addVerifyImagesRun(
  project,
  ids.map((imageId, i) => ({
    imageId,
    results: Array.from({ length: 4 }, (_, idx) => ({
      referenceId: null,
      text: scenes[i]![0]!,
      idx,
      seed: idx,
      path: `generated/${imageId}-${idx}.png`,
      recaption: others[i]![idx]!,
      textSimilarity: rng.next(),
      cider: rng.next() * 2,
      realSimilarity: rng.next(),
      rank: idx + 1,
    })),
  })),
);
console.log(`eval-report: ${IMAGES} images × ${N} candidates (+ ${IMAGES} texts × 4 images) stored in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);

const started = performance.now();
let phases = 0;
const report = await buildEvaluationReport(project, { onProgress: () => phases++ });
const built = (performance.now() - started) / 1000;
const written = await writeReport(report, join(root, 'report'));
const seconds = (performance.now() - started) / 1000;
const [t1] = report.table1;
const selected = t1!.overall.rows.find((r) => r.key === 'selected')!;
const baseline = t1!.overall.rows.find((r) => r.key === 'sampled-mean')!;
console.log(`report built in ${built.toFixed(2)} s (${phases} progress updates), written with ${written.plots.length} figures (SVG + PNG) in ${(seconds - built).toFixed(2)} s`);
console.log(`total: ${seconds.toFixed(2)} s for ${IMAGES} images × ${N} candidates (target < ${TARGET_SECONDS} s)`);
console.log(`  CIDEr-D baseline ${baseline.scores.CIDEr!.toFixed(4)} → selected ${selected.scores.CIDEr!.toFixed(4)}; by rank ${t1!.byRank.map((r) => r.corpus.CIDEr!.toFixed(3)).join(' ')}`);
console.log(`  output: ${join(root, 'report')}`);
project.dispose();
if (seconds > TARGET_SECONDS) {
  console.error('eval-report: slower than the one-minute target');
  process.exitCode = 1;
}
