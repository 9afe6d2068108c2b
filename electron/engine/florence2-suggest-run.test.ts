/**
 * A suggest run end to end with Florence-2 as the captioner (the onnx-community layout fixture,
 * tools/published-fixtures/florence2.py) and the demo generator and CLIP for the other roles:
 * run settings (with captionTask) → the run kinds' decoding → loadEngineModels → the engine.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSettingsSchema } from '../../shared/contract/run-schemas.js';
import { writeSquareImage } from '../../tests/fixtures/make-images.js';
import { importFolder } from '../backend/import/import-folder.js';
import { decoding } from '../backend/runs/run-kinds.js';
import { Project } from '../storage/project.js';
import { loadEngineModels, type LoadedFor } from './load-engine-models.js';
import { modelProvenance } from './model-provenance.js';
import { createSuggestRun, executeSuggestRun, type SuggestRunSettings } from './suggest-run.js';
import { captionerMaxNewTokens } from './caption-length.js';

const ROOT = join(import.meta.dirname, '../..');
const dirs = {
  captioner: join(ROOT, 'tests/fixtures/published/onnx-community--Florence-2-base-ft'),
  generator: join(ROOT, 'resources/demo/generator'),
  embedder: join(ROOT, 'resources/demo/clip'),
};
let models: LoadedFor<{ captioner: string; generator: string; embedder: string }>;
let scratch: string;
let imagesDir: string;

beforeAll(async () => {
  models = await loadEngineModels(dirs);
  scratch = mkdtempSync(join(tmpdir(), 'rt-florence2-suggest-'));
  imagesDir = join(scratch, 'images');
  mkdirSync(imagesDir);
  for (const [i, colour] of (['red', 'blue'] as const).entries()) await writeSquareImage(join(imagesDir, `${i}.png`), colour, 48);
});

afterAll(async () => {
  await models?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

async function run(requested: Record<string, unknown>) {
  const settings = RunSettingsSchema.parse({ seed: 5, candidates: 3, steps: 2, guidance: 1, scheduler: 'ddim', maxNewTokens: 8, ...requested });
  const suggest: SuggestRunSettings = {
    seed: settings.seed,
    decoding: decoding(settings, captionerMaxNewTokens(dirs.captioner)),
    generation: { steps: settings.steps!, guidanceScale: settings.guidance!, scheduler: settings.scheduler! },
    models: { captioner: await modelProvenance(dirs.captioner), generator: await modelProvenance(dirs.generator), embedder: await modelProvenance(dirs.embedder) },
  };
  const project = Project.create(join(mkdtempSync(join(scratch, 'p-')), 'p'));
  await importFolder(project, imagesDir);
  const record = createSuggestRun(project, suggest);
  await executeSuggestRun(project, record.id, models);
  const candidates = project.images.list({ offset: 0, limit: 10 }).items.map((image) => project.runs.candidates(record.id, image.id));
  const stored = project.runs.get(record.id)!;
  project.dispose();
  return { stored, candidates };
}

describe('suggest with a Florence-2 captioner', () => {
  it('completes with top-p candidates (greedy first), ranked by reconstruction, the task recorded', async () => {
    const { stored, candidates } = await run({ captionTask: '<DETAILED_CAPTION>' });
    expect(stored).toMatchObject({ status: 'completed', done: 2, total: 2 });
    expect((stored.settings as SuggestRunSettings).decoding).toMatchObject({ strategy: 'sample', topP: 0.9, greedyFirst: true, task: '<DETAILED_CAPTION>' });
    for (const perImage of candidates) {
      expect(perImage).toHaveLength(3);
      expect(Math.min(...perImage.map((c) => c.rank!))).toBe(1);
      for (const c of perImage) {
        expect(c.text).not.toMatch(/<\/?s>|<pad>/);
        expect(c.similarity).not.toBeNull();
      }
    }
  });

  it('beam search runs too, and the same seed and settings give the same candidates', async () => {
    const a = await run({ sampler: 'beam', beams: 3, captionTask: '<CAPTION>' });
    const b = await run({ sampler: 'beam', beams: 3, captionTask: '<CAPTION>' });
    expect(a.stored.status).toBe('completed');
    const texts = (r: typeof a) => r.candidates.map((perImage) => perImage.map((c) => [c.text, c.logProb, c.similarity]));
    expect(texts(b)).toEqual(texts(a));
    // Another task is another prompt: the captions' log-probabilities change.
    const detailed = await run({ sampler: 'beam', beams: 3, captionTask: '<MORE_DETAILED_CAPTION>' });
    expect(detailed.candidates.map((p) => p.map((c) => c.logProb))).not.toEqual(a.candidates.map((p) => p.map((c) => c.logProb)));
  });
});
