/**
 * The `roundtrip` command as a user runs it (the built bundle in a child process): exit codes,
 * one-line failures, and an import of a folder full of broken files that reports each one by
 * name, imports the rest and leaves the project usable.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeCocoFixture, writeSquareImage } from '../fixtures/make-images.js';
import { CLI } from './support/serve.js';

let root: string;

function roundtrip(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rt-cli-'));
});

describe('roundtrip CLI', () => {
  it('imports the valid images of a folder and reports each broken file by name', async () => {
    const folder = join(root, 'messy');
    mkdirSync(join(folder, 'nested'), { recursive: true });
    await writeSquareImage(join(folder, 'good.jpg'), 'red');
    await writeSquareImage(join(folder, 'nested', 'good.png'), 'blue');
    await writeSquareImage(join(folder, 'nested', 'good.webp'), 'green');
    const jpeg = readFileSync(join(folder, 'good.jpg'));
    writeFileSync(join(folder, 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    writeFileSync(join(folder, 'notes.jpg'), 'this is a text file, not a JPEG\n');
    writeFileSync(join(folder, 'empty.png'), Buffer.alloc(0));
    // A real 20000×20000 PNG (1.2 MB of a flat colour, 400 megapixels when decoded).
    await sharp({ create: { width: 20000, height: 20000, channels: 3, background: { r: 9, g: 9, b: 9 } }, limitInputPixels: false })
      .png({ compressionLevel: 9 })
      .toFile(join(folder, 'huge.png'));

    const project = join(root, 'project');
    expect(roundtrip('init', project, '--name', 'Messy')).toMatchObject({ code: 0 });
    const run = roundtrip('import', project, '--folder', folder);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Imported 3 image\(s\)/);
    expect(run.stdout).toMatch(/truncated\.jpg: truncated:/);
    expect(run.stdout).toMatch(/notes\.jpg: not-an-image:/);
    expect(run.stdout).toMatch(/empty\.png: empty-file:/);
    expect(run.stdout).toMatch(/huge\.png: too-large: .*20000×20000/);

    // The project is still usable: it exports the three good images.
    const out = join(root, 'messy.json');
    const exported = roundtrip('export', project, '--format', 'coco-captions', '--out', out);
    expect(exported.code, exported.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.images.map((i: { file_name: string }) => i.file_name).sort()).toEqual(['good.jpg', 'nested/good.png', 'nested/good.webp']);
  });

  it('round-trips COCO captions through import and export', async () => {
    const fixture = await writeCocoFixture(join(root, 'coco'), 3);
    const project = join(root, 'coco-project');
    expect(roundtrip('init', project).code).toBe(0);
    const imported = roundtrip('import', project, '--coco', fixture.file, '--images', fixture.imagesDir);
    expect(imported.code, imported.stderr).toBe(0);
    const out = join(root, 'coco-out.json');
    expect(roundtrip('export', project, '--format', 'coco-captions', '--out', out, '--captions', 'references').code).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.images.map((i: { id: number; file_name: string }) => [i.id, i.file_name])).toEqual(fixture.images.map((i) => [i.id, i.file_name]));
    expect(json.annotations).toEqual(fixture.annotations);
  });

  it('fails with a one-line reason and a non-zero exit code', () => {
    const cases = [
      { args: ['import', join(root, 'nowhere'), '--folder', root], message: /nowhere.*not a Roundtrip project/ },
      { args: ['init', join(root, 'project')], message: /already holds a Roundtrip project/ },
      { args: ['import', join(root, 'project')], message: /exactly one of --folder/ },
      { args: ['export', join(root, 'project'), '--format', 'pdf', '--out', 'x'], message: /Unknown export format "pdf"/ },
      { args: ['import', join(root, 'project'), '--bogus'], message: /bogus/ },
      { args: ['frobnicate'], message: /unknown command "frobnicate"/ },
    ];
    for (const { args, message } of cases) {
      const run = roundtrip(...args);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
  });

  it('prints usage and version', () => {
    expect(roundtrip('help')).toMatchObject({ code: 0, stdout: expect.stringContaining('roundtrip serve') });
    expect(roundtrip('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
