import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSquareImage } from '../../tests/fixtures/make-images.js';
import { importFolder } from '../backend/import/import-folder.js';
import { Project } from '../storage/project.js';
import { loadEngineModels } from './load-engine-models.js';
import { modelProvenance } from './model-provenance.js';
import type { VerifyImagesModels } from './verify-images-pipeline.js';
import { createVerifyImagesRun, executeVerifyImagesRun, type VerifyImagesRunRecordedSettings, type VerifyImagesRunSettings } from './verify-images-run.js';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/models');
const dirs = {
  captioner: join(FIXTURES, 'vit-gpt2'),
  generator: join(FIXTURES, 'sd15-int64-timestep'),
  embedder: join(FIXTURES, 'clip-vit-b32'),
  textEmbedder: join(FIXTURES, 'all-minilm-l6-v2'),
};
const COLOURS = ['red', 'blue', 'green', 'yellow', 'purple'] as const;
let models: VerifyImagesModels & { dispose(): Promise<void> };
let settings: VerifyImagesRunSettings;
let imagesDir: string;

beforeAll(async () => {
  models = await loadEngineModels(dirs);
  settings = {
    seed: 3,
    referencesPerImage: 2,
    imagesPerText: 2,
    generation: { steps: 2, guidanceScale: 2, scheduler: 'euler-ancestral' },
    recaption: { strategy: 'beam', numBeams: 3, maxNewTokens: 4 },
    models: {
      captioner: await modelProvenance(dirs.captioner),
      generator: await modelProvenance(dirs.generator),
      embedder: await modelProvenance(dirs.embedder),
      textEmbedder: await modelProvenance(dirs.textEmbedder),
    },
  };
  imagesDir = join(mkdtempSync(join(tmpdir(), 'rt-verify-run-')), 'images');
  mkdirSync(imagesDir);
  for (const [i, colour] of COLOURS.entries()) {
    await writeSquareImage(join(imagesDir, `${i}.png`), colour, 32);
    // Image 4 has no references; image 1 repeats its first reference (drawn once).
    if (i === 4) continue;
    const refs = i === 1 ? [`a ${colour} square`, `a ${colour} square`, 'a square in the middle'] : [`a ${colour} square`, `a ${colour} block on white`, 'a square'];
    writeFileSync(join(imagesDir, `${i}.txt`), refs.join('\n'));
  }
});

afterAll(async () => {
  await models?.dispose();
});

async function newProject(): Promise<Project> {
  const project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-verify-run-p-')), 'p'));
  await importFolder(project, imagesDir);
  return project;
}

function snapshot(project: Project, runId: number) {
  return project.runs.itemImageIds(runId).map((imageId) =>
    project.runs.generatedImages(runId, imageId).map(({ id: _id, runId: _r, path, ...g }) => ({ ...g, path, png: readFileSync(join(project.dir, path)).toString('base64') })),
  );
}

/** The models, recording which source image each item embedded (once per computed item). */
function counting(computed: string[], failOnItem?: number): VerifyImagesModels {
  return {
    ...models,
    captioner: {
      caption: async (...args) => {
        if (failOnItem !== undefined && computed.length === failOnItem) throw Object.assign(new Error('The inference worker stopped (SIGKILL)'), { code: 'WORKER_EXITED' });
        return models.captioner.caption(...args);
      },
    },
    embedder: {
      embedImages: (images) => {
        computed.push(String(images[0]));
        return models.embedder.embedImages(images);
      },
    },
  };
}

describe('verify-images runs', () => {
  it('store N scored images per source text with their PNGs, skip images without references, and record provenance', async () => {
    const project = await newProject();
    try {
      const run = createVerifyImagesRun(project, settings);
      expect(run).toMatchObject({ kind: 'verify-images', total: 4 });
      await executeVerifyImagesRun(project, run.id, models);
      const recorded = project.runs.get(run.id)!;
      expect(recorded).toMatchObject({ status: 'completed', done: 4, failed: 0 });
      const s = recorded.settings as VerifyImagesRunRecordedSettings;
      expect(s).toMatchObject({ ranking: 'text-similarity', skippedWithoutReferences: 1, cider: { variant: 'CIDEr-D', documentFrequencies: 'run-source-texts', documents: 8 } });
      expect(s.models.textEmbedder.files.map((f) => f.path)).toContain('onnx/model.onnx');
      const rows = snapshot(project, run.id);
      expect(rows.map((r) => r.length)).toEqual([4, 4, 4, 4]);
      const [first] = project.runs.itemImageIds(run.id);
      const refs = project.references.forImage(first!);
      expect(rows[0]!.map((g) => [g.referenceId, g.text, g.idx])).toEqual([
        [refs[0]!.id, refs[0]!.text, 0],
        [refs[0]!.id, refs[0]!.text, 1],
        [refs[1]!.id, refs[1]!.text, 0],
        [refs[1]!.id, refs[1]!.text, 1],
      ]);
      // Image 1's repeated reference is one source text: its second distinct one is the third reference.
      expect(new Set(rows[1]!.map((g) => g.text))).toEqual(new Set(['a blue square', 'a square in the middle']));
      for (const g of rows.flat()) {
        expect(g.path).toMatch(new RegExp(`^assets/generated/${run.id}/\\d+/\\d+-[01]\\.png$`));
        expect([g.recaption, g.textSimilarity, g.cider, g.realSimilarity].every((x) => x !== null)).toBe(true);
      }
      for (const image of rows) for (const referenceId of new Set(image.map((g) => g.referenceId))) {
        expect(image.filter((g) => g.referenceId === referenceId).map((g) => g.rank).sort()).toEqual([1, 2]);
      }
    } finally {
      project.dispose();
    }
  });

  it('gives identical images, re-captions and scores for the same seeds and settings', async () => {
    const [a, b] = [await newProject(), await newProject()];
    try {
      const [runA, runB] = [createVerifyImagesRun(a, settings), createVerifyImagesRun(b, settings)];
      await executeVerifyImagesRun(a, runA.id, models);
      await executeVerifyImagesRun(b, runB.id, models);
      expect(snapshot(b, runB.id)).toEqual(snapshot(a, runA.id));
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('resumes after a pause and after the worker died mid-item, computing nothing finished twice, equal to an uninterrupted run', async () => {
    const [straight, interrupted] = [await newProject(), await newProject()];
    try {
      const reference = createVerifyImagesRun(straight, settings);
      await executeVerifyImagesRun(straight, reference.id, models);

      const run = createVerifyImagesRun(interrupted, settings);
      const computed: string[] = [];
      const paused = await executeVerifyImagesRun(interrupted, run.id, counting(computed), { control: { requested: () => (computed.length >= 1 ? 'pause' : null) } });
      expect(paused).toEqual({ status: 'paused', processed: 1 });
      // The worker dies while the third item is being captioned: its PNGs are on disk, its rows are not.
      await expect(executeVerifyImagesRun(interrupted, run.id, counting(computed, 2))).rejects.toMatchObject({ code: 'WORKER_EXITED' });
      expect(interrupted.runs.get(run.id)).toMatchObject({ status: 'failed', done: 2 });
      const resumed = await executeVerifyImagesRun(interrupted, run.id, counting(computed));
      expect(resumed).toEqual({ status: 'completed', processed: 2 });
      // Each item reached its last stage once: the third item's first attempt died before it.
      const sources = interrupted.runs.itemImageIds(run.id).map((id) => interrupted.images.get(id)!).map((i) => join(i.rootPath, i.fileName));
      expect(computed).toEqual(sources);
      expect(snapshot(interrupted, run.id)).toEqual(snapshot(straight, reference.id));
    } finally {
      straight.dispose();
      interrupted.dispose();
    }
  });

  it('runs named images in the order given, skipping those without references', async () => {
    const project = await newProject();
    try {
      const ids = project.images.list({ offset: 0, limit: 10 }).items.map((i) => i.id);
      const run = createVerifyImagesRun(project, settings, { imageIds: [ids[3]!, ids[4]!, ids[3]!, ids[0]!, ids[1]!], limit: 2 });
      expect(project.runs.itemImageIds(run.id)).toEqual([ids[3], ids[0]]);
      expect(run.settings).toMatchObject({ skippedWithoutReferences: 1, cider: { documents: 4 } });
    } finally {
      project.dispose();
    }
  });

  it('refuses to continue a run whose source texts changed, and a run of another kind', async () => {
    const project = await newProject();
    try {
      const run = createVerifyImagesRun(project, { ...settings, referencesPerImage: null });
      const [imageId] = project.runs.itemImageIds(run.id);
      project.db.prepare(`UPDATE reference_captions SET text = 'edited' WHERE id = ?`).run(project.references.forImage(imageId!)[0]!.id);
      await expect(executeVerifyImagesRun(project, run.id, models)).rejects.toMatchObject({ code: 'RUN_INPUTS_CHANGED' });
      const other = project.runs.create('suggest', {}, []);
      await expect(executeVerifyImagesRun(project, other.id, models)).rejects.toThrow(/suggest run/);
    } finally {
      project.dispose();
    }
  });
});
