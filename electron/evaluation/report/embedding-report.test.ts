import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cosine } from '../../inference/embedders/vectors.js';
import { Project } from '../../storage/project.js';
import { FakeImageEmbedder, FakeTextEmbedder } from '../embedding/test-support.js';
import { buildEvaluationReport } from './build-report.js';
import { addImages, addSuggestRun, addVerifyImagesRun } from './synthetic-runs.js';

const REFS = [['a red circle on the left', 'a red ball'], ['a blue square at the top', 'a blue box'], ['a green star', 'a green star in the middle']];
const CANDIDATES = [
  [['a red circle', 0.9], ['a blue thing', 0.1]],
  [['a square', 0.2], ['a blue square', 0.8]],
  [['green star', 0.5], ['a star in the middle', 0.6]],
] as const;

let project: Project;
beforeEach(() => {
  project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-report-emb-')), 'p'));
});
afterEach(() => project.dispose());

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('evaluation report with embedders', () => {
  it('text cosine to the references for every row and rank, each caption embedded once', async () => {
    const ids = addImages(project, 'test', REFS);
    addSuggestRun(project, ids.map((imageId, i) => ({ imageId, results: CANDIDATES[i]!.map(([text, similarity]) => ({ text, similarity })) })));
    const text = new FakeTextEmbedder(8);
    const report = await buildEvaluationReport(project, { embedders: { text, models: [], clipPrefix: '' } });
    const [t] = report.table1;
    expect(t!.metrics.slice(6)).toEqual(['TextCosine']);
    // Independently: embed every text with a fresh embedder of the same kind.
    const all = [...REFS.flat(), ...CANDIDATES.flat().map((c) => c[0])];
    const embedded = await new FakeTextEmbedder(8).embedTexts(all);
    const vectors = new Map(all.map((t, i) => [t, embedded[i]!]));
    const textCos = (i: number, caption: string) => mean(REFS[i]!.map((r) => cosine(vectors.get(caption)!, vectors.get(r)!)));
    const selected = mean(CANDIDATES.map((list, i) => textCos(i, [...list].sort((a, b) => b[1] - a[1])[0]![0])));
    const sampled = mean(CANDIDATES.map((list, i) => mean(list.map((c) => textCos(i, c[0])))));
    const rows = Object.fromEntries(t!.overall.rows.map((r) => [r.key, r.scores.TextCosine]));
    expect(rows.selected).toBeCloseTo(selected, 6);
    expect(rows['sampled-mean']).toBeCloseTo(sampled, 6);
    expect(t!.byRank[0]!.corpus.TextCosine).toBeCloseTo(selected, 6);
    expect(t!.byRank[0]!.perImage.TextCosine!.mean).toBeCloseTo(selected, 6);
    // Each distinct text once per batch of images.
    expect(new Set(text.seen).size).toBe(text.seen.length);
    expect(report.messages).toEqual([]);
  });

  it('an embedder that cannot read the images leaves the caption metrics and Table 2 standing, with notes', async () => {
    const ids = addImages(project, 'test', REFS);
    const suggest = addSuggestRun(project, ids.map((imageId, i) => ({ imageId, results: CANDIDATES[i]!.map(([text, similarity]) => ({ text, similarity })) })));
    const verify = addVerifyImagesRun(
      project,
      ids.map((imageId, i) => ({ imageId, results: [0, 1].map((idx) => ({ referenceId: null, text: REFS[i]![0]!, idx, seed: idx, path: `missing/${i}-${idx}.png`, realSimilarity: 0.5 + idx / 10, rank: idx + 1 })) })),
    );
    // The fake image embedder takes raw pixels only, so every file path fails like a missing file.
    const report = await buildEvaluationReport(project, { embedders: { image: new FakeImageEmbedder(), text: new FakeTextEmbedder(5), models: [], clipPrefix: '' } });
    expect(report.table1[0]!.metrics).toEqual(['Bleu_1', 'Bleu_2', 'Bleu_3', 'Bleu_4', 'ROUGE_L', 'CIDEr']);
    expect(report.table2[0]).toMatchObject({ runId: verify.id, texts: 3, frechet: null, note: expect.stringContaining('Fréchet distances left out: FakeImageEmbedder takes raw RGB only') });
    expect(report.messages).toEqual([
      `Run ${suggest.id}: embedding metrics left out: FakeImageEmbedder takes raw RGB only`,
      `Run ${verify.id}: Fréchet distances left out: FakeImageEmbedder takes raw RGB only`,
    ]);
  });
});
