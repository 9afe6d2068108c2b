/**
 * `roundtrip export` as a user runs it (the built CLI): a coco-results export of a suggest run
 * scores with `roundtrip metrics` exactly as the captions it came from (issue 8, acceptance 3);
 * a coco-captions export re-imports with `roundtrip import --coco` to the same images, ids and
 * captions; flags are checked with one-line errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { noiseImage, writeFiles } from '../../electron/backend/import/test-images.js';
import { selectionGain } from '../../electron/engine/evaluation/selection-gain.js';
import { loadSuggestRun } from '../../electron/evaluation/report/run-data.js';
import { Project } from '../../electron/storage/project.js';
import { seedExportProject } from '../fixtures/export-project.js';
import { CLI } from './support/serve.js';

function roundtrip(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rt-export-cli-'));
});

describe('roundtrip export', () => {
  it('writes coco-results that `roundtrip metrics` scores exactly as the run-selected captions', () => {
    const dir = join(root, 'scored');
    const project = Project.create(dir);
    const { runId } = seedExportProject(project, { images: 400, candidates: 10, seed: 3 });
    const data = loadSuggestRun(project, project.runs.get(runId)!);
    const expected = selectionGain(new Map(data.images.map((i) => [i.imageId, i.references])), new Map(data.images.map((i) => [i.imageId, i.candidates])));
    project.dispose();

    const refs = join(root, 'refs.json');
    const results = join(root, 'results.json');
    const captions = roundtrip('export', dir, '--format', 'coco-captions', '--out', refs, '--captions', 'references');
    expect(captions.code, captions.stderr).toBe(0);
    expect(captions.stdout).toMatch(/^Exported 400 image\(s\) and 2000 caption\(s\) as coco-captions to .*refs\.json \(export 1, /);
    const exported = roundtrip('export', dir, '--format', 'coco-results', '--out', results, '--run', String(runId));
    expect(exported.code, exported.stderr).toBe(0);

    const metrics = roundtrip('metrics', '--refs', refs, '--results', results, '--json');
    expect(metrics.code, metrics.stderr).toBe(0);
    expect((JSON.parse(metrics.stdout) as { corpus: unknown }).corpus).toEqual(expected.selected);
    expect(expected.selected.CIDEr).toBeGreaterThan(0);
  });

  it('round-trips coco-captions through `roundtrip import --coco` with the same images, ids and captions', async () => {
    const images = join(root, 'images');
    writeFiles(images, {
      '1.png': await noiseImage('png', 10, 10, 1),
      '1.txt': 'a noisy square\nnoise, square\n',
      'sub/2.jpg': await noiseImage('jpeg', 12, 8, 2),
      'sub/2.txt': 'a wide noisy picture\n',
    });
    const first = join(root, 'first');
    expect(roundtrip('init', first).code).toBe(0);
    const imported = roundtrip('import', first, '--folder', images);
    expect(imported.code, imported.stderr).toBe(0);
    const coco = join(root, 'first.json');
    expect(roundtrip('export', first, '--format', 'coco-captions', '--out', coco).code).toBe(0);
    const original = JSON.parse(readFileSync(coco, 'utf8')) as { images: unknown[]; annotations: unknown[] };
    expect(original.images).toEqual([
      { id: 1, file_name: '1.png', width: 10, height: 10 },
      { id: 2, file_name: 'sub/2.jpg', width: 12, height: 8 },
    ]);
    expect(original.annotations).toEqual([
      { id: 1, image_id: 1, caption: 'a noisy square' },
      { id: 2, image_id: 1, caption: 'noise, square' },
      { id: 3, image_id: 2, caption: 'a wide noisy picture' },
    ]);

    const second = join(root, 'second');
    expect(roundtrip('init', second).code).toBe(0);
    expect(roundtrip('import', second, '--coco', coco, '--images', images).code).toBe(0);
    const again = join(root, 'second.json');
    expect(roundtrip('export', second, '--format', 'coco-captions', '--out', again).code).toBe(0);
    const reexported = JSON.parse(readFileSync(again, 'utf8')) as { images: unknown[]; annotations: unknown[] };
    expect(reexported.images).toEqual(original.images);
    expect(reexported.annotations).toEqual(original.annotations);
  });

  it('explains bad flags in one line with a usage exit code, and refuses to write into the project', () => {
    const dir = join(root, 'flags');
    mkdirSync(dir);
    expect(roundtrip('init', join(dir, 'p')).code).toBe(0);
    const badFormat = roundtrip('export', join(dir, 'p'), '--format', 'tfrecord', '--out', join(dir, 'x'));
    expect(badFormat).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown export format "tfrecord"; available: coco-captions, coco-results, karpathy') });
    const badStatus = roundtrip('export', join(dir, 'p'), '--format', 'coco-captions', '--out', join(dir, 'x.json'), '--status', 'accepted,maybe');
    expect(badStatus).toMatchObject({ code: 2, stderr: expect.stringContaining('"maybe" is none of them') });
    const noOut = roundtrip('export', join(dir, 'p'), '--format', 'sidecar-txt');
    expect(noOut).toMatchObject({ code: 2, stderr: expect.stringContaining('export needs --out FOLDER') });
    const intoDb = roundtrip('export', join(dir, 'p'), '--format', 'coco-captions', '--out', join(dir, 'p', 'roundtrip.db'));
    expect(intoDb).toMatchObject({ code: 1, stderr: expect.stringContaining('is inside the project folder') });
    const noSplit = roundtrip('export', join(dir, 'p'), '--format', 'karpathy', '--out', join(dir, 'k'), '--split', 'val');
    expect(noSplit).toMatchObject({ code: 1, stderr: expect.stringContaining('No dataset is named "val"') });
  });
});
