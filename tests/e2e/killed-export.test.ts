/**
 * An export killed midway (SIGKILL: no cleanup of its own runs) leaves the previous export exactly
 * as it was and no partial or temporary file behind (issue 8, acceptance 2): the temp janitor
 * removes the temporary once the exporting process is gone. For a file format (coco-captions)
 * and a folder format (sidecar-txt) over a large project.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noiseImage } from '../../electron/backend/import/test-images.js';
import { Project } from '../../electron/storage/project.js';
import { seedExportProject } from '../fixtures/export-project.js';
import { CLI } from './support/serve.js';

function roundtrip(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

/** Starts `roundtrip export ARGS` and SIGKILLs it once `ready` says its temporary in `folder` is well under way; returns the temporary's name. */
async function killMidway(args: string[], folder: string, ready: (temp: string) => boolean): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'export', ...args], { stdio: 'ignore' });
  const temp = await new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const found = readdirSync(folder).find((name) => name.endsWith('.tmp'));
      if (found && ready(join(folder, found))) {
        clearInterval(poll);
        child.kill('SIGKILL');
        resolve(found);
      }
    }, 10);
    child.on('exit', () => {
      clearInterval(poll);
      reject(new Error('the export finished before it could be killed; make the project larger'));
    });
  });
  if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  return temp;
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('an export killed midway', () => {
  it('leaves the previous coco-captions file intact and no partial file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rt-kill-export-'));
    const dir = join(root, 'project');
    const project = Project.create(dir);
    seedExportProject(project, { images: 40_000, candidates: 1 });
    project.dispose();
    const outDir = join(root, 'exports');
    mkdirSync(outDir);
    const out = join(outDir, 'captions.json');

    // The previous export: the edited images only.
    roundtrip('export', dir, '--format', 'coco-captions', '--out', out, '--status', 'edited');
    const previous = sha(out);
    const temp = await killMidway([dir, '--format', 'coco-captions', '--out', out, '--include-references'], outDir, (t) => {
      try {
        return statSync(t).size > 1_000_000;
      } catch {
        return false;
      }
    });
    expect(temp).toMatch(/^\.captions\.json\.\d+\.[0-9a-f]{12}\.tmp$/);

    await expect.poll(() => readdirSync(outDir), { timeout: 15_000 }).toEqual(['captions.json']);
    expect(sha(out)).toBe(previous);
    const again = Project.open(dir);
    expect(again.exports.list().map((e) => e.filters.statuses)).toEqual([['edited']]);
    again.dispose();
  });

  it('leaves the previous sidecar-txt folder intact and no temporary folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rt-kill-export-'));
    const images = join(root, 'images');
    mkdirSync(images);
    const count = 15_000;
    // One real image, hard-linked under every file name the project refers to.
    const first = join(images, 'img_000001.png');
    writeFileSync(first, await noiseImage('png', 8, 8, 1));
    for (let i = 2; i <= count; i++) linkSync(first, join(images, `img_${String(i).padStart(6, '0')}.png`));
    const dir = join(root, 'project');
    const project = Project.create(dir);
    seedExportProject(project, { images: count, candidates: 1, rootPath: images });
    project.dispose();
    const outDir = join(root, 'exports');
    mkdirSync(outDir);
    const out = join(outDir, 'kohya');

    roundtrip('export', dir, '--format', 'sidecar-txt', '--out', out, '--status', 'edited', '--link', 'symlink');
    const before = listTree(out);
    const marker = readFileSync(join(out, 'roundtrip-export.json'), 'utf8');
    expect(before.filter((f) => f.endsWith('.txt'))).toHaveLength(count / 10);

    await killMidway([dir, '--format', 'sidecar-txt', '--out', out, '--link', 'symlink'], outDir, (t) => {
      try {
        return readdirSync(t).length > 2_000;
      } catch {
        return false;
      }
    });

    await expect.poll(() => readdirSync(outDir), { timeout: 30_000 }).toEqual(['kohya']);
    expect(listTree(out)).toEqual(before);
    expect(readFileSync(join(out, 'roundtrip-export.json'), 'utf8')).toBe(marker);
  });
});
