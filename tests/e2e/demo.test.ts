/**
 * The demo world through the built CLI: `roundtrip demo-data` writes the training format
 * reproducibly, and `roundtrip demo` makes a project whose images and reference captions came
 * in through the ordinary COCO import (checked by exporting them again).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './support/serve.js';

let root: string;

function roundtrip(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rt-demo-e2e-'));
});

describe('roundtrip demo', () => {
  it('creates a project with demo images and five references each, imported as COCO', () => {
    const project = join(root, 'demo');
    const run = roundtrip('demo', project, '--count', '24', '--seed', '7');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Created demo project "Demo world"/);
    expect(run.stdout).toMatch(/Imported 24 image\(s\) and 120 reference caption\(s\)/);
    expect(readdirSync(join(project, 'demo-images')).filter((f) => f.endsWith('.png'))).toHaveLength(24);

    const out = join(root, 'demo-export.json');
    const exported = roundtrip('export', project, '--format', 'coco-captions', '--out', out, '--captions', 'references');
    expect(exported.code, exported.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    const written = JSON.parse(readFileSync(join(project, 'demo-images', 'captions.json'), 'utf8'));
    expect(json.images.map((i: { id: number }) => i.id)).toEqual(written.images.map((i: { id: number }) => i.id));
    // The default split is the held-out test split: ids from 2000001.
    expect(json.images[0].id).toBe(2_000_001);
    expect(json.annotations.map((a: { caption: string }) => a.caption).sort()).toEqual(written.annotations.map((a: { caption: string }) => a.caption).sort());

    const again = roundtrip('demo', project);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already holds a Roundtrip project/);
  });

  it('writes the training splits with demo-data, byte-identical for the same seed', () => {
    const [a, b] = [join(root, 'data-a'), join(root, 'data-b')];
    for (const dir of [a, b]) {
      const run = roundtrip('demo-data', dir, '--count', '10', '--seed', '3');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Wrote 10 test image\(s\)/);
    }
    for (const split of ['train', 'val', 'test']) {
      expect(readFileSync(join(a, split, 'captions.json')).equals(readFileSync(join(b, split, 'captions.json')))).toBe(true);
      expect(readdirSync(join(a, split, 'images'))).toHaveLength(10);
      expect(readFileSync(join(a, split, 'images', '000010.png')).equals(readFileSync(join(b, split, 'images', '000010.png')))).toBe(true);
    }
    expect(existsSync(join(a, 'test', 'captions.json.partial'))).toBe(false);
    expect(roundtrip('demo-data', join(root, 'bad'), '--split', 'holdout')).toMatchObject({ code: 2 });
  });
});
