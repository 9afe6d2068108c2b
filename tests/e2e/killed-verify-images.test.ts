/**
 * Acceptance of the engine's persistence for text → image → text: a verify-images run killed
 * with SIGKILL halfway resumes and finishes; the finished project equals one from an
 * uninterrupted run (rows, re-captions, scores and PNG bytes), and no item finished before the
 * kill is computed again. Also the reference audit through the CLI. Runs the built CLI on the
 * contract-fixture models.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { killRunAfter } from './support/kill-run.js';
import { Project } from '../../electron/storage/project.js';
import { writeSquareImage } from '../fixtures/make-images.js';
import { CLI } from './support/serve.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'models');
const COUNT = 16;
const MODEL_ARGS = [
  '--captioner', join(FIXTURES, 'vit-gpt2'),
  '--generator', join(FIXTURES, 'sd15-int64-timestep'),
  '--embedder', join(FIXTURES, 'clip-vit-b32'),
  '--text-embedder', join(FIXTURES, 'all-minilm-l6-v2'),
];
const SETTINGS = ['--references', '2', '--images-per-text', '3', '--beams', '3', '--steps', '3', '--scheduler', 'euler-ancestral', '--seed', '9', '--max-tokens', '5'];
let root: string;

function roundtrip(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300_000 });
}

function newProject(name: string): string {
  const dir = join(root, name);
  expect(roundtrip('init', dir).status).toBe(0);
  expect(roundtrip('import', dir, '--folder', join(root, 'images')).status).toBe(0);
  return dir;
}

function snapshot(dir: string) {
  const project = Project.open(dir);
  try {
    const run = project.runs.list()[0]!;
    return project.runs.itemImageIds(run.id).map((imageId) =>
      project.runs.generatedImages(run.id, imageId).map(({ id: _id, runId: _r, ...g }) => ({ ...g, png: readFileSync(join(dir, g.path)).toString('base64') })),
    );
  } finally {
    project.dispose();
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rt-kill-verify-'));
  mkdirSync(join(root, 'images'));
  const colours = ['red', 'blue', 'green', 'yellow', 'purple', 'orange'] as const;
  for (let i = 0; i < COUNT; i++) {
    const name = String(i).padStart(2, '0');
    const colour = colours[i % colours.length]!;
    await writeSquareImage(join(root, 'images', `${name}.png`), colour, 32);
    writeFileSync(join(root, 'images', `${name}.txt`), `a ${colour} square\na square on a light background, number ${i}\n`);
  }
});

describe('a verify-images run killed midway', () => {
  it('resumes, computes only what was left, and ends equal to an uninterrupted run', async () => {
    const reference = newProject('uninterrupted');
    const straight = roundtrip('verify-images', reference, ...SETTINGS, ...MODEL_ARGS);
    expect(straight.status, straight.stderr).toBe(0);
    expect(straight.stdout).toContain(`${COUNT} done, 0 failed of ${COUNT} (${COUNT} computed now)`);
    expect(straight.stdout).toMatch(/Similarity to the real image over 32 text\(s\): selected -?\d\.\d{4}/);

    const killed = newProject('killed');
    const doneAtKill = await killRunAfter(CLI, ['verify-images', killed, ...SETTINGS, ...MODEL_ARGS], killed);
    const project = Project.open(killed);
    const [run] = project.runs.list();
    project.dispose();
    expect(run).toMatchObject({ kind: 'verify-images', status: 'running' });
    const doneBefore = run!.done;
    expect(doneBefore).toBeGreaterThanOrEqual(doneAtKill);
    expect(doneBefore).toBeLessThan(COUNT);

    const resumed = roundtrip('verify-images', killed, '--resume', String(run!.id));
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`${COUNT} done, 0 failed of ${COUNT} (${COUNT - doneBefore} computed now)`);
    const rows = snapshot(killed);
    expect(rows.map((r) => r.length)).toEqual(Array.from({ length: COUNT }, () => 6));
    expect(rows).toEqual(snapshot(reference));
  });

  it('audits references from the CLI, on a dataset chosen by name, and refuses to resume a run of another kind', () => {
    const dir = newProject('audit');
    const audit = roundtrip('audit-references', dir, '--split', 'images', '--limit', '4', '--steps', '2', '--generator', MODEL_ARGS[3]!, '--embedder', MODEL_ARGS[5]!);
    expect(audit.status, audit.stderr).toBe(0);
    expect(audit.stdout).toContain('4 done, 0 failed of 4 (4 computed now)');
    const project = Project.open(dir);
    try {
      const [run] = project.runs.list();
      expect(run).toMatchObject({ kind: 'reference-audit', status: 'completed' });
      const imageId = project.runs.itemImageIds(run!.id)[0]!;
      expect(project.runs.candidates(run!.id, imageId).map((c) => [c.source, c.referenceId])).toEqual(project.references.forImage(imageId).map((r) => ['reference', r.id]));
    } finally {
      project.dispose();
    }
    expect(roundtrip('verify-images', dir, '--resume', '1')).toMatchObject({ status: 1, stderr: expect.stringContaining('continue it with `roundtrip audit-references`') });
    expect(roundtrip('audit-references', dir, '--split', 'nowhere')).toMatchObject({ status: 1, stderr: expect.stringContaining('No dataset named "nowhere"') });
  });
});
