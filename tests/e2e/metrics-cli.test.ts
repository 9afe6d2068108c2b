/**
 * `roundtrip metrics` as a user runs it (the built CLI): JSON shape with and without
 * --per-image, the readable table, and one-line errors that name the file and the problem.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './support/serve.js';

let dir: string;
let refs: string;
let results: string;

function roundtrip(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function write(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

const KEYS = ['Bleu_1', 'Bleu_2', 'Bleu_3', 'Bleu_4', 'ROUGE_L', 'CIDEr'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rt-metrics-'));
  refs = write('refs.json', {
    images: [{ id: 1 }, { id: 2 }, { id: 3 }],
    annotations: [
      { image_id: 1, id: 10, caption: 'A cat on a mat.' },
      { image_id: 1, id: 11, caption: 'A cat sits on the mat.' },
      { image_id: 2, id: 12, caption: 'Two dogs run on the beach.' },
      { image_id: 3, id: 13, caption: 'A red bus on a street.' },
    ],
  });
  results = write('results.json', [
    { image_id: 1, caption: 'A cat on the mat.' },
    { image_id: 2, caption: 'Two dogs' },
    { image_id: 3, caption: 'A bus.' },
  ]);
});

describe('roundtrip metrics', () => {
  it('prints corpus scores as JSON', () => {
    const run = roundtrip('metrics', '--refs', refs, '--results', results, '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { corpus: Record<string, number>; per_image?: unknown };
    expect(Object.keys(out.corpus).sort()).toEqual([...KEYS].sort());
    expect(out.per_image).toBeUndefined();
    for (const k of KEYS) expect(Number.isFinite(out.corpus[k])).toBe(true);
  });

  it('adds per-image scores keyed by image id with --per-image', () => {
    const run = roundtrip('metrics', '--refs', refs, '--results', results, '--json', '--per-image');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { corpus: Record<string, number>; per_image: Record<string, Record<string, number>> };
    expect(Object.keys(out.per_image).sort()).toEqual(['1', '2', '3']);
    expect(out.per_image['2']!.Bleu_1).toBeCloseTo(Math.exp(1 - 6 / 2), 6);
    const meanRouge = Object.values(out.per_image).reduce((s, v) => s + v.ROUGE_L!, 0) / 3;
    expect(out.corpus.ROUGE_L).toBeCloseTo(meanRouge, 12);
  });

  it('prints a readable table without --json', () => {
    const run = roundtrip('metrics', '--refs', refs, '--results', results, '--per-image');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^image\s+Bleu_1\s+Bleu_2\s+Bleu_3\s+Bleu_4\s+ROUGE_L\s+CIDEr$/);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatch(/^corpus\s+\d\.\d{4}/);
  });

  it('names the results file and the image when an image has no references', () => {
    const bad = write('unknown.json', [{ image_id: 99, caption: 'a dog' }]);
    const run = roundtrip('metrics', '--refs', refs, '--results', bad, '--json');
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(bad);
    expect(run.stderr).toContain('image 99');
  });

  it('names the file for malformed JSON and for a wrong shape', () => {
    const broken = write('broken.json', '{"annotations": [');
    let run = roundtrip('metrics', '--refs', broken, '--results', results);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(broken);
    expect(run.stderr).toMatch(/not valid JSON/);
    const shape = write('shape.json', { image_id: 1, caption: 'x' });
    run = roundtrip('metrics', '--refs', refs, '--results', shape);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(shape);
    expect(run.stderr).toMatch(/results file/);
  });

  it('asks for both files', () => {
    const run = roundtrip('metrics', '--refs', refs);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/usage: roundtrip metrics/);
  });
});
