/**
 * Acceptance of `roundtrip eval` (issue 6) on the demo world, through the built CLI: a demo
 * project with a small image → text → image run and a small text → image → text run on the demo
 * models; the report's numbers are checked against an independent computation from the stored
 * runs (scoreCaptions on the captions read back through RunsRepo, CLIPScore from the demo CLIP's
 * embeddings, Table 2 from the generated images' rows), every PNG is opened and checked for its
 * stated size and drawn content, and report.html for its tables. Also a project without runs, and
 * a run killed halfway and then cancelled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { EvaluationReportSchema, type EvaluationReport } from '../../shared/contract/report-schemas.js';
import { clipScore } from '../../electron/evaluation/embedding/index.js';
import { loadImageEmbedder, loadTextEmbedder } from '../../electron/inference/embedders/load.js';
import { METRIC_KEYS, scoreCaptions } from '../../electron/metrics/score-captions.js';
import { defaultDemoRoot } from '../../electron/models/registry.js';
import { Project } from '../../electron/storage/project.js';
import { killRunAfter } from './support/kill-run.js';
import { CLI } from './support/serve.js';

let root: string;
let demo: string;

function roundtrip(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function ok(...args: string[]) {
  const run = roundtrip(...args);
  expect(run.code, `${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run;
}

function readReport(dir: string): EvaluationReport {
  return EvaluationReportSchema.parse(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rt-eval-'));
  demo = join(root, 'demo');
  ok('demo', demo, '--count', '5');
  ok('suggest', demo, '--candidates', '3', '--steps', '4', '--seed', '3');
  ok('verify-images', demo, '--images-per-text', '3', '--steps', '4', '--seed', '3');
});

describe('roundtrip eval on a demo project', () => {
  it('writes report.json, report.html and the figures, with the figures of the stored runs', async () => {
    const out = join(root, 'report');
    const run = ok('eval', demo, '--out', out);
    expect(run.stdout).toContain(`Report written to ${out}`);
    const report = readReport(out);
    expect(report.runs.map((r) => [r.kind, r.status, r.done])).toEqual([
      ['suggest', 'completed', 5],
      ['verify-images', 'completed', 5],
    ]);
    expect(report.runs[0]!.models.map((m) => m.id)).toEqual(['demo/captioner', 'demo/generator', 'demo/clip']);
    expect(report.runs[0]!.models[0]!.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(report.runs[0]!.settings).toMatchObject({ seed: 3, decoding: { strategy: 'sample', topP: 0.9, numReturnSequences: 3 }, generation: { steps: 4 } });

    // Table 1 and Fig. 3 from the stored candidates, scored directly.
    const project = Project.open(demo);
    const [suggest, verify] = project.runs.list();
    const ids = project.runs.itemImageIds(suggest!.id);
    const references = new Map(ids.map((id) => [id, project.references.forImage(id).map((r) => r.text)]));
    const candidates = new Map(ids.map((id) => [id, project.runs.candidates(suggest!.id, id)]));
    const ranked = (id: number) => [...candidates.get(id)!].sort((a, b) => b.similarity! - a.similarity! || a.idx - b.idx);
    const corpus = (pick: (id: number) => string) => scoreCaptions(references, new Map(ids.map((id) => [id, pick(id)]))).corpus;
    const byRank = [0, 1, 2].map((r) => corpus((id) => ranked(id)[r]!.text));
    const bySample = [0, 1, 2].map((k) => corpus((id) => candidates.get(id)![k]!.text));
    const [t1] = report.table1;
    const row = (key: string) => t1!.overall.rows.find((r) => r.key === key)!;
    for (const m of METRIC_KEYS) {
      expect(row('selected').scores[m]).toBeCloseTo(byRank[0]![m], 10);
      expect(row('sampled-mean').scores[m]).toBeCloseTo(mean(bySample.map((s) => s[m])), 10);
      t1!.byRank.forEach((r, k) => expect(r.corpus[m]).toBeCloseTo(byRank[k]![m], 10));
    }
    const b = t1!.bootstrap;
    expect(b.gain.low!).toBeLessThanOrEqual(b.gain.point!);
    expect(b.gain.high!).toBeGreaterThanOrEqual(b.gain.point!);

    // CLIPScore of the selected captions with the demo CLIP (whose vocabulary has no "photo": no prefix).
    expect(t1!.metrics).toEqual([...METRIC_KEYS, 'CLIPScore', 'RefCLIPScore', 'TextCosine']);
    expect(t1!.embedding.prefix).toBe('');
    const clipDir = join(defaultDemoRoot(), 'clip');
    const [images, texts] = await Promise.all([loadImageEmbedder(clipDir), loadTextEmbedder(clipDir)]);
    try {
      const files = ids.map((id) => { const image = project.images.get(id)!; return join(image.rootPath, image.fileName); });
      const imageVectors = await images.embedImages(files);
      const textVectors = await texts.embedTexts(ids.map((id) => ranked(id)[0]!.text));
      const expected = mean(ids.map((_, i) => clipScore(imageVectors[i]!, textVectors[i]!)));
      expect(row('selected').scores.CLIPScore).toBeCloseTo(expected, 5);
    } finally {
      await images.dispose();
      await texts.dispose();
    }

    // Table 2 from the generated images' rows.
    const groups = project.runs.itemImageIds(verify!.id).map((id) => project.runs.generatedImages(verify!.id, id));
    project.dispose();
    const [t2] = report.table2;
    expect(t2).toMatchObject({ runId: verify!.id, texts: 5, imagesPerText: 3 });
    expect(t2!.similarity.selected).toBeCloseTo(mean(groups.map((g) => g.find((r) => r.rank === 1)!.realSimilarity!)), 10);
    expect(t2!.similarity.mean).toBeCloseTo(mean(groups.map((g) => mean(g.map((r) => r.realSimilarity!)))), 10);
    expect(t2!.similarity.random).toBeCloseTo(mean(groups.map((g) => g.find((r) => r.idx === 0)!.realSimilarity!)), 10);
    expect(t2!.frechet).toMatchObject({ realImages: 5, selected: { images: 5 }, random: { images: 5 } });
    expect(t2!.frechet!.selected.distance).toBeGreaterThan(0);

    // Every figure as SVG and as a PNG of the stated size with something drawn on it.
    expect(report.plots.map((p) => p.name).sort()).toEqual(
      [`fig3-run${suggest!.id}-cider`, `fig3-run${suggest!.id}-metrics`, `hist-run${suggest!.id}-cider`, `scatter-run${suggest!.id}`, `table1-run${suggest!.id}`, `table2-run${verify!.id}`, `table2-run${verify!.id}-frechet`].sort(),
    );
    for (const plot of report.plots) {
      expect(readFileSync(join(out, plot.svg), 'utf8')).toMatch(/^<svg [^>]*width="640" height="400"/);
      const { data, info } = await sharp(join(out, plot.png)).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height], plot.name).toEqual([plot.width, plot.height]);
      expect([plot.width, plot.height]).toEqual([1280, 800]);
      let inked = 0;
      for (let p = 0; p < data.length; p += info.channels) if (data[p]! < 200 || data[p + 1]! < 200 || data[p + 2]! < 200) inked++;
      const share = inked / (info.width * info.height);
      expect(share, plot.name).toBeGreaterThan(0.01);
      expect(share, plot.name).toBeLessThan(0.9);
    }

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const heading of ['Table 1: baseline vs. reconstruction-selected', 'Fig. 3: caption score by reconstruction rank', 'Table 2: selected image vs. candidates', 'Provenance']) expect(html).toContain(heading);
    expect(html.match(/<table/g)!.length).toBeGreaterThanOrEqual(4);
    expect(html.match(/<svg /g)).toHaveLength(report.plots.length);
    expect(html).toContain(row('selected').scores.CIDEr!.toFixed(4));
    // Self-contained: no scripts, no stylesheets or images fetched from anywhere.
    expect(html).not.toMatch(/<script|<link|<img|url\(|src="http|href="http/);
  });

  it('--run ID reports one run; an unknown run is refused', () => {
    const out = join(root, 'report-run2');
    ok('eval', demo, '--out', out, '--run', '2', '--no-embedder');
    const report = readReport(out);
    expect(report).toMatchObject({ runId: 2, table1: [], runs: [{ id: 2 }] });
    expect(report.table2[0]!.frechet).toBeNull();
    expect(roundtrip('eval', demo, '--out', join(root, 'nope'), '--run', '9')).toMatchObject({ code: 1, stderr: expect.stringContaining('Run 9 does not exist') });
  });

  it('refuses an --embedder that cannot be opened, and a bad --out before any work, leaving other folders alone', () => {
    const missing = join(root, 'no-such-model');
    const bad = roundtrip('eval', demo, '--out', join(root, 'report-bad-embedder'), '--run', '1', '--embedder', missing);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining(`image embedder ${missing} could not be opened`) });
    expect(existsSync(join(root, 'report-bad-embedder'))).toBe(false);

    const file = join(root, 'afile');
    writeFileSync(file, 'x');
    expect(roundtrip('eval', demo, '--out', join(file, 'x'))).toMatchObject({ code: 1, stderr: expect.stringContaining(`${file} is a file, not a folder`) });
    const mine = join(root, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'keep');
    expect(roundtrip('eval', demo, '--out', mine, '--no-embedder')).toMatchObject({ code: 1, stderr: expect.stringContaining('not a Roundtrip report') });
    expect(readdirSync(mine)).toEqual(['notes.txt']);
  });
});

describe('roundtrip eval on what exists', () => {
  it('a project without runs gets a report saying so', () => {
    const dir = join(root, 'empty');
    ok('demo', dir, '--count', '2');
    const out = join(root, 'empty-report');
    const run = ok('eval', dir, '--out', out);
    expect(run.stdout).toContain('note: This project has no runs yet.');
    const report = readReport(out);
    expect(report).toMatchObject({ runs: [], table1: [], table2: [], plots: [], project: { images: 2 } });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('This project has no runs yet.');
  });

  it('a run killed halfway, then cancelled, is reported over its finished images', async () => {
    const dir = join(root, 'killed');
    ok('demo', dir, '--count', '10');
    await killRunAfter(CLI, ['suggest', dir, '--candidates', '3', '--steps', '20'], dir, 2);
    const project = Project.open(dir);
    const [run] = project.runs.list();
    // What runs:cancel does to a run nobody executes any more.
    project.runs.setStatus(run!.id, 'cancelled');
    const done = project.runs.get(run!.id)!.done;
    project.dispose();
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done).toBeLessThan(10);

    const out = join(root, 'killed-report');
    const result = ok('eval', dir, '--out', out);
    expect(result.stdout).toContain(`Run ${run!.id} was cancelled with ${done} of 10 image(s) done`);
    const report = readReport(out);
    expect(report.table1.map((t) => [t.runId, t.overall.images])).toEqual([[run!.id, done]]);
    expect(existsSync(join(out, `fig3-run${run!.id}-cider.png`))).toBe(true);
  });
});
