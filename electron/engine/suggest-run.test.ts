import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSquareImage } from '../../tests/fixtures/make-images.js';
import { importFolder } from '../backend/import/import-folder.js';
import { Project } from '../storage/project.js';
import { loadEngineModels, type LoadedFor } from './load-engine-models.js';
import { modelProvenance } from './model-provenance.js';
import { createSuggestRun, executeSuggestRun, type SuggestRunSettings } from './suggest-run.js';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/models');
const dirs = { captioner: join(FIXTURES, 'vit-gpt2'), generator: join(FIXTURES, 'sd15-int64-timestep'), embedder: join(FIXTURES, 'clip-vit-b32') };
let models: LoadedFor<{ captioner: string; generator: string; embedder: string }>;
let settings: SuggestRunSettings;
let imagesDir: string;

beforeAll(async () => {
  models = await loadEngineModels(dirs);
  settings = {
    seed: 3,
    decoding: { strategy: 'sample', topP: 0.9, numReturnSequences: 4, maxNewTokens: 4 },
    generation: { steps: 2, guidanceScale: 2, scheduler: 'euler-ancestral' },
    models: { captioner: await modelProvenance(dirs.captioner), generator: await modelProvenance(dirs.generator), embedder: await modelProvenance(dirs.embedder) },
  };
  imagesDir = join(mkdtempSync(join(tmpdir(), 'rt-suggest-')), 'images');
  mkdirSync(imagesDir);
  for (const [i, colour] of (['red', 'blue', 'green'] as const).entries()) await writeSquareImage(join(imagesDir, `${i}.png`), colour, 32);
});

afterAll(async () => {
  await models?.dispose();
});

async function suggestedProject(): Promise<{ project: Project; runId: number }> {
  const project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-suggest-p-')), 'p'));
  await importFolder(project, imagesDir);
  const run = createSuggestRun(project, settings);
  await executeSuggestRun(project, run.id, models);
  return { project, runId: run.id };
}

function snapshot(project: Project, runId: number) {
  return project.images.list({ offset: 0, limit: 10 }).items.map((image) =>
    project.runs.candidates(runId, image.id).map(({ id: _id, runId: _r, reconstruction, ...c }) => ({
      ...c,
      png: reconstruction ? readFileSync(join(project.dir, reconstruction)).toString('base64') : null,
    })),
  );
}

describe('suggest runs', () => {
  it('store every candidate with its reconstruction, similarity and rank, with the models’ hashes in the run', async () => {
    const { project, runId } = await suggestedProject();
    try {
      const run = project.runs.get(runId)!;
      expect(run).toMatchObject({ status: 'completed', done: 3, total: 3 });
      const recorded = run.settings as SuggestRunSettings;
      expect(recorded.models.generator.files.map((f) => f.path)).toContain('unet/model.onnx');
      expect(recorded.models.generator.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
      for (const candidates of snapshot(project, runId)) {
        expect(candidates).toHaveLength(4);
        expect(candidates.every((c) => c.png !== null && c.similarity !== null && c.rank! >= 1)).toBe(true);
        expect(Math.min(...candidates.map((c) => c.rank!))).toBe(1);
      }
    } finally {
      project.dispose();
    }
  });

  it('gives identical candidates, images and scores for the same seeds and settings', async () => {
    const a = await suggestedProject();
    const b = await suggestedProject();
    try {
      expect(snapshot(b.project, b.runId)).toEqual(snapshot(a.project, a.runId));
    } finally {
      a.project.dispose();
      b.project.dispose();
    }
  });
});
