/**
 * How cheap can verification be? The paper's Table 1 protocol (selection gain of the
 * reconstruction-best caption over the mean of the sampled candidates, corpus CIDEr-D) swept over
 * generator steps and candidate count on the demo world. Candidates are sampled once per image
 * (same seed for every setting, so only the reconstructions change); N = 4 uses the first 4 of
 * the 10 samples. Prints, per setting, the gain, whether the rank curve falls (CIDEr at rank 1 vs.
 * rank N) and the generation seconds per suggestion, then the cheapest setting that keeps at
 * least 90% of the best gain — the engine's default should be at least that.
 * Environment: IMAGES (100), SWEEP_STEPS (1,2,4,10,25,50), SWEEP_N (4,10), GUIDANCE (4), SCHEDULER (ddim).
 */
import { selectionGain, type ScoredCandidate } from '../electron/engine/evaluation/selection-gain.js';
import { captionerMaxNewTokens } from '../electron/engine/caption-length.js';
import { loadEngineModels } from '../electron/engine/load-engine-models.js';
import { suggestForImage } from '../electron/engine/suggest-pipeline.js';
import type { SuggestRunSettings } from '../electron/engine/suggest-run.js';
import { demoModelDirsOrSkip, openDemoBenchProject } from './support/demo-bench-setup.js';

const list = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').map(Number);
const IMAGES = Number(process.env.IMAGES ?? 100);
const STEP_COUNTS = list('SWEEP_STEPS', '1,2,4,10,25,50');
const COUNTS = list('SWEEP_N', '4,10');
const GUIDANCE = Number(process.env.GUIDANCE ?? 4);
const SCHEDULER = (process.env.SCHEDULER ?? 'ddim') as SuggestRunSettings['generation']['scheduler'];
const maxN = Math.max(...COUNTS);

const dirs = demoModelDirsOrSkip('gain-sweep');
const { backend, images, name } = await openDemoBenchProject(IMAGES, 'rt-sweep-');
const models = await loadEngineModels(dirs);
const references = new Map(images.map((i) => [i.id, i.references]));

interface Row {
  steps: number;
  n: number;
  baseline: number;
  selected: number;
  gain: number;
  rank1: number;
  rankN: number;
  secondsPerSuggestion: number;
}
const rows: Row[] = [];
console.log(`demo world, ${images.length} held-out images (${name}), top-p 0.9, ${SCHEDULER}, guidance ${GUIDANCE}`);
console.log('steps  N   CIDEr baseline  selected  gain     rank 1 → rank N   s/suggestion');
for (const steps of STEP_COUNTS) {
  const scored = new Map<number, ScoredCandidate[]>();
  let generateMs = 0;
  for (const [k, image] of images.entries()) {
    const result = await suggestForImage(image.id, image.file, models, {
      seed: 1,
      decoding: { strategy: 'sample', topP: 0.9, numReturnSequences: maxN, maxNewTokens: captionerMaxNewTokens(dirs.captioner) },
      generation: { steps, guidanceScale: GUIDANCE, scheduler: SCHEDULER },
    });
    generateMs += result.timings.generate! + result.timings.embed!;
    scored.set(image.id, result.candidates.map((c) => ({ idx: c.idx, text: c.text, similarity: c.similarity! })));
    process.stderr.write(`\r${steps} steps: ${k + 1}/${images.length}`);
  }
  process.stderr.write('\n');
  for (const n of COUNTS) {
    const subset = new Map([...scored].map(([id, cs]) => [id, cs.filter((c) => c.idx < n)]));
    const gain = selectionGain(references, subset);
    // Generation cost scales with the number of distinct captions drawn; for N < maxN, prorate.
    const row: Row = {
      steps,
      n,
      baseline: gain.baseline.CIDEr,
      selected: gain.selected.CIDEr,
      gain: gain.gainPercent.CIDEr,
      rank1: gain.byRank[0]!.CIDEr,
      rankN: gain.byRank.at(-1)!.CIDEr,
      secondsPerSuggestion: (generateMs / 1000 / images.length) * (n / maxN),
    };
    rows.push(row);
    console.log(
      `${String(steps).padStart(5)}  ${String(n).padEnd(3)} ${row.baseline.toFixed(3).padStart(14)}  ${row.selected.toFixed(3).padStart(8)}  ${(row.gain >= 0 ? '+' : '') + row.gain.toFixed(1)}%`.padEnd(54) +
        `${row.rank1.toFixed(3)} → ${row.rankN.toFixed(3)}   ${row.secondsPerSuggestion.toFixed(3)}`,
    );
  }
}
for (const n of COUNTS) {
  const forN = rows.filter((r) => r.n === n);
  const best = Math.max(...forN.map((r) => r.gain));
  const cheapest = forN.filter((r) => r.gain >= 0.9 * best && r.rank1 > r.rankN).sort((a, b) => a.secondsPerSuggestion - b.secondsPerSuggestion)[0];
  console.log(
    cheapest
      ? `N = ${n}: best gain +${best.toFixed(1)}%; cheapest setting keeping ≥ 90% of it with a falling rank curve: ${cheapest.steps} steps (+${cheapest.gain.toFixed(1)}%, ${cheapest.secondsPerSuggestion.toFixed(3)} s/suggestion)`
      : `N = ${n}: no setting keeps 90% of the best gain (+${best.toFixed(1)}%) with a falling rank curve`,
  );
}
await models.dispose();
backend.dispose();
