/**
 * Acceptance of the engine's persistence: a suggest run killed with SIGKILL halfway resumes and
 * finishes; the finished project equals one from an uninterrupted run, and no item finished
 * before the kill is computed again. Runs the built CLI on the contract-fixture models.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { killRunAfter } from './support/kill-run.js';
import { Project } from '../../electron/storage/project.js';
import { writeSquareImage } from '../fixtures/make-images.js';
import { CLI } from './support/serve.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'models');
const COUNT = 16;
const MODEL_ARGS = ['--captioner', join(FIXTURES, 'vit-gpt2'), '--generator', join(FIXTURES, 'sd15-int64-timestep'), '--embedder', join(FIXTURES, 'clip-vit-b32')];
const SETTINGS = ['--candidates', '6', '--steps', '3', '--scheduler', 'euler-ancestral', '--seed', '9', '--max-tokens', '5'];
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
    return project.images.list({ offset: 0, limit: 100 }).items.map((image) =>
      project.runs.candidates(run.id, image.id).map(({ id: _id, runId: _r, reconstruction, ...c }) => ({
        ...c,
        png: readFileSync(join(dir, reconstruction!)).toString('base64'),
      })),
    );
  } finally {
    project.dispose();
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rt-kill-suggest-'));
  mkdirSync(join(root, 'images'));
  const colours = ['red', 'blue', 'green', 'yellow', 'purple', 'orange'] as const;
  for (let i = 0; i < COUNT; i++) await writeSquareImage(join(root, 'images', `${String(i).padStart(2, '0')}.png`), colours[i % colours.length]!, 32);
});

describe('a suggest run killed midway', () => {
  it('resumes, computes only what was left, and ends equal to an uninterrupted run', async () => {
    const reference = newProject('uninterrupted');
    const straight = roundtrip('suggest', reference, ...SETTINGS, ...MODEL_ARGS);
    expect(straight.status, straight.stderr).toBe(0);
    expect(straight.stdout).toContain(`${COUNT} done, 0 failed of ${COUNT} (${COUNT} computed now)`);

    const killed = newProject('killed');
    const doneAtKill = await killRunAfter(CLI, ['suggest', killed, ...SETTINGS, ...MODEL_ARGS], killed);
    const project = Project.open(killed);
    const [run] = project.runs.list();
    project.dispose();
    expect(run).toMatchObject({ status: 'running' });
    const doneBefore = run!.done;
    expect(doneBefore).toBeGreaterThanOrEqual(doneAtKill);
    expect(doneBefore).toBeLessThan(COUNT);

    const resumed = roundtrip('suggest', killed, '--resume', String(run!.id));
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`${COUNT} done, 0 failed of ${COUNT} (${COUNT - doneBefore} computed now)`);
    expect(snapshot(killed)).toEqual(snapshot(reference));
  });
});
