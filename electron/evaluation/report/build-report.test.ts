import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EvaluationReportSchema } from '../../../shared/contract/report-schemas.js';
import { selectionGain } from '../../engine/evaluation/selection-gain.js';
import { METRIC_KEYS, scoreCaptions } from '../../metrics/score-captions.js';
import { Project } from '../../storage/project.js';
import { buildEvaluationReport, NO_RUNS_MESSAGE } from './build-report.js';
import { spearman } from './stats.js';
import { addImages, addSuggestRun, addVerifyImagesRun, suggestSettings } from './synthetic-runs.js';

const REFS = [
  ['a red circle on the left', 'a red ball at the left side', 'a circle, red, to the left'],
  ['a blue square at the top', 'a blue box near the top of the picture'],
  ['a green star in the middle', 'a green star at the centre', 'green star'],
  ['two yellow triangles on a grey background', 'some yellow shapes'],
  ['a purple heart at the bottom right', 'a small purple heart in the corner'],
];
// Hand-picked candidates (sampling order) with reconstruction similarities: per image, the best
// reconstruction is not always the first sample, and one image has a tie.
const CANDIDATES = [
  [['a blue circle', 0.2], ['a red circle on the left', 0.9], ['red ball, left side.', 0.5]],
  [['a square', 0.4], ['a blue square at the top', 0.8], ['a blue box at the top', 0.1]],
  [['a green star in the middle of the image', 0.7], ['a star', 0.7], ['two green stars', 0.3]],
  [['yellow triangles', 0.6], ['two yellow triangles', 0.2], ['something yellow on grey', 0.1]],
  [['a heart', 0.3], ['a purple heart', 0.35], ['a small purple heart at the bottom right', 0.95]],
] as const;

let dir: string;
let project: Project;

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'rt-report-')), 'p');
  project = Project.create(dir, 'Report test');
});
afterEach(() => project.dispose());

function items(ids: number[]) {
  return ids.map((imageId, i) => ({ imageId, results: CANDIDATES[i]!.map(([text, similarity]) => ({ text, similarity })) }));
}

const refsOf = (ids: number[]) => new Map(ids.map((id, i) => [id, [...REFS[i]!]]));
/** Corpus figures of one caption per image, straight from scoreCaptions. */
const direct = (ids: number[], pick: (i: number) => string) => scoreCaptions(refsOf(ids), new Map(ids.map((id, i) => [id, pick(i)]))).corpus;
const selectedIndex = (i: number) => {
  const list = CANDIDATES[i]!.map(([, s], k) => [s, k] as const);
  return [...list].sort((a, b) => b[0] - a[0] || a[1] - b[1])[0]![1];
};

describe('evaluation report: Table 1 and Fig. 3', () => {
  it('computes baseline, selected, ranks, gain and the bootstrap interval as scoreCaptions does directly', async () => {
    const ids = addImages(project, 'test', REFS);
    const run = addSuggestRun(project, items(ids));
    const report = await buildEvaluationReport(project);
    expect(EvaluationReportSchema.parse(report)).toEqual(report);
    const [t] = report.table1;
    expect(t).toMatchObject({ runId: run.id, candidatesPerImage: 3, sampler: 'top-p 0.9, N = 3', overall: { images: 5 } });

    const selected = direct(ids, (i) => CANDIDATES[i]![selectedIndex(i)]![0]);
    const bySample = [0, 1, 2].map((k) => direct(ids, (i) => CANDIDATES[i]![k]![0]));
    const rows = Object.fromEntries(t!.overall.rows.map((r) => [r.key, r]));
    for (const m of METRIC_KEYS) {
      expect(rows.selected!.scores[m]).toBeCloseTo(selected[m], 12);
      expect(rows['sampled-mean']!.scores[m]).toBeCloseTo((bySample[0]![m] + bySample[1]![m] + bySample[2]![m]) / 3, 12);
      const base = rows['sampled-mean']!.scores[m]!;
      expect(rows.selected!.gainPercent![m]).toBeCloseTo(((selected[m] - base) / base) * 100, 9);
    }
    // Ties rank by sampling order: image 3's first sample is its rank 1.
    expect(t!.byRank[0]!.corpus.CIDEr).toBeCloseTo(selected.CIDEr, 12);
    // Fig. 3: the corpus CIDEr at a rank is the mean of the per-image CIDEr at that rank.
    for (const r of t!.byRank) expect(r.perImage.CIDEr!.mean).toBeCloseTo(r.corpus.CIDEr!, 12);

    // The selection-gain bench's function on the same stored run gives the same figures.
    const gain = selectionGain(refsOf(ids), new Map(items(ids).map((it) => [it.imageId, it.results.map((c, idx) => ({ idx, ...c }))])));
    expect(t!.overall.rows.find((r) => r.key === 'selected')!.scores).toEqual({ ...gain.selected });
    expect(t!.byRank.map((r) => r.corpus)).toEqual(gain.byRank);

    const b = t!.bootstrap;
    expect(b).toMatchObject({ metric: 'CIDEr', resamples: 1000, seed: 1, confidence: 0.95 });
    expect(b.gain.point).toBeCloseTo(selected.CIDEr - rows['sampled-mean']!.scores.CIDEr!, 12);
    expect(b.gain.low!).toBeLessThanOrEqual(b.gain.point!);
    expect(b.gain.high!).toBeGreaterThanOrEqual(b.gain.point!);
    expect(b.gainPercent.low!).toBeLessThanOrEqual(b.gainPercent.point!);
    expect(b.gainPercent.high!).toBeGreaterThanOrEqual(b.gainPercent.point!);
    // Seeded: the same report again has the same interval; another seed another.
    expect((await buildEvaluationReport(project)).table1[0]!.bootstrap).toEqual(b);
    expect((await buildEvaluationReport(project, { bootstrap: { seed: 2 } })).table1[0]!.bootstrap.gain).not.toEqual(b.gain);

    // Scatter: the selected candidate's similarity and its own per-image CIDEr.
    const perImage = scoreCaptions(refsOf(ids), new Map(ids.map((id, i) => [id, CANDIDATES[i]![selectedIndex(i)]![0]]))).perImage;
    expect(t!.reconstructionVsScore.points).toEqual(ids.map((id, i) => ({ imageId: id, similarity: CANDIDATES[i]![selectedIndex(i)]![1], score: perImage.get(id)!.CIDEr })));
    expect(t!.reconstructionVsScore.allCandidates.pairs).toBe(15);
    // Within each image: its 3 candidates' similarities against their own CIDEr, ρ averaged over images.
    const ciderOf = (k: number) => scoreCaptions(refsOf(ids), new Map(ids.map((id, i) => [id, CANDIDATES[i]![k]![0]]))).perImage;
    const rhos = ids.map((id, i) => spearman([0, 1, 2].map((k) => CANDIDATES[i]![k]![1]), [0, 1, 2].map((k) => ciderOf(k).get(id)!.CIDEr)));
    const defined = rhos.filter(Number.isFinite);
    expect(t!.reconstructionVsScore.withinImage.images).toBe(defined.length);
    expect(t!.reconstructionVsScore.withinImage.meanSpearman).toBeCloseTo(defined.reduce((a, b) => a + b, 0) / defined.length, 12);
    expect(defined.length).toBeGreaterThan(2);
    expect(t!.perImageScores.selected).toEqual(ids.map((id) => perImage.get(id)!.CIDEr));

    expect(report.runs[0]).toMatchObject({ id: run.id, kind: 'suggest', status: 'completed', seed: 7, done: 5, total: 5, datasets: [{ name: 'test', images: 5 }] });
    expect(report.runs[0]!.models.map((m) => [m.slot, m.id, m.version])).toEqual([
      ['captioner', 'test/captioner', '1'],
      ['generator', 'test/generator', '2'],
      ['embedder', 'test/clip', '3'],
    ]);
    expect(report.runs[0]!.models[0]!.files[0]!.sha256).toBe('a'.repeat(64));
    expect(report.runs[0]!.settings).toMatchObject({ decoding: { topP: 0.9 }, generation: { steps: 20 } });
  });

  it('cuts every image to the first N candidates when counts differ: an extra candidate is neither selected nor ranked', async () => {
    const ids = addImages(project, 'test', REFS);
    // Image 0 gets a fourth candidate, its reference verbatim with the best reconstruction of all.
    const extra = items(ids).map((it, i) => ({ imageId: it.imageId, results: [...it.results, ...(i === 0 ? [{ text: REFS[0]![0]!, similarity: 0.99 }] : [])] }));
    addSuggestRun(project, extra);
    const [t] = (await buildEvaluationReport(project)).table1;
    const selected = direct(ids, (i) => CANDIDATES[i]![selectedIndex(i)]![0]);
    expect(t!.candidatesPerImage).toBe(3);
    expect(t!.overall.rows.find((r) => r.key === 'selected')!.scores.CIDEr).toBeCloseTo(selected.CIDEr, 12);
    expect(t!.byRank).toHaveLength(3);
    expect(t!.reconstructionVsScore.allCandidates.pairs).toBe(15);
    // The rank-N caption of image 0 is its worst of the first three (0.2: 'a blue circle').
    expect(t!.perImageScores.lastRank[0]).toBe(scoreCaptions(refsOf(ids), new Map(ids.map((id) => [id, 'a blue circle']))).perImage.get(ids[0]!)!.CIDEr);
  });

  it('scores each split as its own set and compares greedy and beam runs over the same images', async () => {
    const val = addImages(project, 'val', REFS.slice(0, 2));
    const test = addImages(project, 'test', REFS.slice(2));
    const ids = [...val, ...test];
    const run = addSuggestRun(project, items(ids));
    const greedy = addSuggestRun(project, ids.map((imageId, i) => ({ imageId, results: [{ text: CANDIDATES[i]![0]![0], similarity: 0 }] })), {
      settings: suggestSettings({ strategy: 'greedy', maxNewTokens: 20 }),
    });
    const beam = addSuggestRun(project, ids.slice(0, 3).map((imageId, i) => ({ imageId, results: [{ text: CANDIDATES[i]![2]![0], similarity: 0 }] })), {
      settings: suggestSettings({ strategy: 'beam', numBeams: 3, numReturnSequences: 1, maxNewTokens: 20 }),
    });
    const report = await buildEvaluationReport(project, { runId: run.id });
    const [t] = report.table1;
    expect(report.table1).toHaveLength(1);
    const greedyRow = t!.overall.rows.find((r) => r.key === 'greedy')!;
    expect(greedyRow).toMatchObject({ runId: greedy.id, label: `Greedy (run ${greedy.id})` });
    expect(greedyRow.scores.CIDEr).toBeCloseTo(direct(ids, (i) => CANDIDATES[i]![0]![0]).CIDEr, 12);
    // The beam run covers 3 of 5 images: not compared, and said so.
    expect(t!.overall.rows.map((r) => r.key)).toEqual(['sampled-mean', 'greedy', 'selected']);
    expect(report.messages.join('\n')).toContain(`run ${beam.id}, best beam) has no caption for 2 of the 5 image(s)`);
    expect(report.runs.map((r) => r.id)).toEqual([run.id, greedy.id]);

    expect(t!.splits.map((s) => [s.name, s.images])).toEqual([['val', 2], ['test', 3]]);
    const testSelected = scoreCaptions(new Map(test.map((id, j) => [id, [...REFS[j + 2]!]])), new Map(test.map((id, j) => [id, CANDIDATES[j + 2]![selectedIndex(j + 2)]![0]]))).corpus;
    const testBlock = t!.splits[1]!;
    for (const m of METRIC_KEYS) expect(testBlock.rows.find((r) => r.key === 'selected')!.scores[m]).toBeCloseTo(testSelected[m], 12);
    // Its own document frequencies: not the overall per-image CIDEr averaged over the split.
    expect(testBlock.rows.find((r) => r.key === 'selected')!.scores.CIDEr).not.toBeCloseTo(
      (t!.perImageScores.selected[2]! + t!.perImageScores.selected[3]! + t!.perImageScores.selected[4]!) / 3,
      6,
    );
  });
});

describe('evaluation report: what exists', () => {
  it('a project without runs gets a report saying so', async () => {
    addImages(project, 'test', REFS);
    const report = await buildEvaluationReport(project);
    expect(report).toMatchObject({ runs: [], table1: [], table2: [], messages: [NO_RUNS_MESSAGE], project: { name: 'Report test', images: 5 } });
  });

  it('a cancelled run is evaluated over its finished images, with a note; one with none finished gets a note only', async () => {
    const ids = addImages(project, 'test', REFS);
    const run = addSuggestRun(project, items(ids).slice(0, 3), { imageIds: ids, status: 'cancelled' });
    const empty = addSuggestRun(project, [], { imageIds: ids, status: 'cancelled' });
    const report = await buildEvaluationReport(project);
    expect(report.table1.map((t) => [t.runId, t.overall.images])).toEqual([[run.id, 3]]);
    expect(report.table1[0]!.overall.rows.find((r) => r.key === 'selected')!.scores.CIDEr).toBeCloseTo(direct(ids.slice(0, 3), (i) => CANDIDATES[i]![selectedIndex(i)]![0]).CIDEr, 12);
    expect(report.messages).toContain(`Run ${run.id} was cancelled with 3 of 5 image(s) done; its figures cover the 3 finished image(s) only.`);
    expect(report.messages.join('\n')).toContain(`Run ${empty.id} has no finished image (it was cancelled before any image finished)`);
    expect(report.runs.find((r) => r.id === run.id)!.finishedAt).not.toBeNull();
  });

  it('refuses a run that does not exist, and stops when aborted', async () => {
    const ids = addImages(project, 'test', REFS);
    addSuggestRun(project, items(ids));
    await expect(buildEvaluationReport(project, { runId: 99 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const controller = new AbortController();
    controller.abort();
    await expect(buildEvaluationReport(project, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('evaluation report: Table 2', () => {
  it('selected vs. mean vs. first seed by the similarity to the real image the run recorded', async () => {
    const ids = addImages(project, 'test', REFS.slice(0, 3));
    const sims = [
      [0.5, 0.9, 0.4],
      [0.8, 0.6, 0.7],
      [0.2, 0.3, 0.1],
    ];
    const ranks = [
      [2, 1, 3],
      [3, 1, 2],
      [1, 2, 3],
    ];
    const run = addVerifyImagesRun(
      project,
      ids.map((imageId, i) => ({
        imageId,
        results: sims[i]!.map((realSimilarity, idx) => ({ referenceId: null, text: REFS[i]![0]!, idx, seed: idx, path: `generated/${i}-${idx}.png`, recaption: 'x', textSimilarity: 0.5 + idx / 10, cider: idx, realSimilarity, rank: ranks[i]![idx]! })),
      })),
    );
    const report = await buildEvaluationReport(project);
    const [t] = report.table2;
    // Selected: the rank-1 image of each text; mean of its three; random: the first seed's.
    const selected = (0.9 + 0.6 + 0.2) / 3;
    const mean = ((0.5 + 0.9 + 0.4) / 3 + (0.8 + 0.6 + 0.7) / 3 + (0.2 + 0.3 + 0.1) / 3) / 3;
    const random = (0.5 + 0.8 + 0.2) / 3;
    expect(t).toMatchObject({ runId: run.id, texts: 3, imagesPerText: 3, frechet: null });
    expect(t!.similarity.selected).toBeCloseTo(selected, 12);
    expect(t!.similarity.mean).toBeCloseTo(mean, 12);
    expect(t!.similarity.random).toBeCloseTo(random, 12);
    expect(t!.gainOverMeanPercent).toBeCloseTo(((selected - mean) / mean) * 100, 9);
    expect(t!.selectedBeatsMean).toBeCloseTo(2 / 3, 12);
    expect(t!.recaption.cider).toEqual({ selected: (1 + 1 + 0) / 3, mean: 1 });
    expect(t!.note).toMatch(/No image embedder/);
  });
});
