import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSquareImage } from '../../tests/fixtures/make-images.js';
import { importFolder } from '../backend/import/import-folder.js';
import { Project } from '../storage/project.js';
import { loadEngineModels } from './load-engine-models.js';
import { modelProvenance } from './model-provenance.js';
import type { ReferenceAuditModels } from './reference-audit-pipeline.js';
import { createReferenceAuditRun, executeReferenceAuditRun, type ReferenceAuditRunSettings } from './reference-audit-run.js';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/models');
const dirs = { generator: join(FIXTURES, 'sd15-int64-timestep'), embedder: join(FIXTURES, 'dinov2') };
const COLOURS = ['red', 'blue', 'green', 'yellow'] as const;
let models: ReferenceAuditModels & { dispose(): Promise<void> };
let settings: ReferenceAuditRunSettings;
let imagesDir: string;

beforeAll(async () => {
  models = await loadEngineModels(dirs);
  settings = {
    seed: 8,
    generation: { steps: 2, guidanceScale: 2, scheduler: 'ddim' },
    models: { generator: await modelProvenance(dirs.generator), embedder: await modelProvenance(dirs.embedder) },
  };
  imagesDir = join(mkdtempSync(join(tmpdir(), 'rt-audit-')), 'images');
  mkdirSync(imagesDir);
  for (const [i, colour] of COLOURS.entries()) {
    await writeSquareImage(join(imagesDir, `${i}.png`), colour, 32);
    if (i === 3) continue; // no references: not audited
    writeFileSync(join(imagesDir, `${i}.txt`), [`a ${colour} square`, 'a lemur', 'shapes'].join('\n'));
  }
});

afterAll(async () => {
  await models?.dispose();
});

/** A project of the images, each with a fourth reference repeating its first (as COCO files can, under another annotation id). */
async function newProject(): Promise<Project> {
  const project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-audit-p-')), 'p'));
  await importFolder(project, imagesDir);
  for (const image of project.images.list({ offset: 0, limit: 10 }).items) {
    const [first] = project.references.forImage(image.id);
    if (first) project.references.add(image.id, first.text, 900 + image.id);
  }
  return project;
}

async function audited(m: ReferenceAuditModels = models): Promise<{ project: Project; runId: number }> {
  const project = await newProject();
  const run = createReferenceAuditRun(project, settings);
  await executeReferenceAuditRun(project, run.id, m);
  return { project, runId: run.id };
}

function snapshot(project: Project, runId: number) {
  return project.runs.itemImageIds(runId).map((imageId) =>
    project.runs.candidates(runId, imageId).map(({ id: _id, runId: _r, reconstruction, ...c }) => ({ ...c, reconstruction, png: readFileSync(join(project.dir, reconstruction!)).toString('base64') })),
  );
}

describe('reference-audit runs', () => {
  it('score every reference by its reconstruction, draw identical references once, and rank them within the image', async () => {
    const { project, runId } = await audited();
    try {
      expect(project.runs.get(runId)).toMatchObject({ kind: 'reference-audit', status: 'completed', done: 3, total: 3, settings: { skippedWithoutReferences: 1 } });
      for (const [n, candidates] of snapshot(project, runId).entries()) {
        const imageId = project.runs.itemImageIds(runId)[n]!;
        expect(candidates.map((c) => [c.idx, c.source, c.referenceId, c.text])).toEqual(project.references.forImage(imageId).map((r, idx) => [idx, 'reference', r.id, r.text]));
        expect(candidates[3]).toMatchObject({ reconstruction: candidates[0]!.reconstruction, similarity: candidates[0]!.similarity, rank: candidates[0]!.rank, seed: candidates[0]!.seed });
        expect(new Set(candidates.map((c) => c.reconstruction)).size).toBe(3);
        expect(new Set(candidates.map((c) => c.rank))).toEqual(new Set([1, 2, 3]));
        const byRank = [...candidates].sort((a, b) => a.rank! - b.rank!);
        for (let i = 1; i < byRank.length; i++) expect(byRank[i - 1]!.similarity!).toBeGreaterThanOrEqual(byRank[i]!.similarity!);
      }
      const weakest = project.runs.weakestReferences(runId, 100);
      expect(weakest).toHaveLength(12);
      for (let i = 1; i < weakest.length; i++) expect(weakest[i - 1]!.gap).toBeGreaterThanOrEqual(weakest[i]!.gap);
      expect(weakest.filter((w) => w.rank === 1).every((w) => w.gap === 0)).toBe(true);
    } finally {
      project.dispose();
    }
  });

  it('gives identical reconstructions and scores for the same seeds, and resumes without recomputing', async () => {
    const a = await audited();
    const project = await newProject();
    try {
      const run = createReferenceAuditRun(project, settings);
      const computed: string[] = [];
      const counting: ReferenceAuditModels = {
        ...models,
        embedder: { embedImages: (images) => (computed.push(String(images[0])), models.embedder.embedImages(images)) },
      };
      expect(await executeReferenceAuditRun(project, run.id, counting, { control: { requested: () => (computed.length === 2 ? 'pause' : null) } })).toEqual({ status: 'paused', processed: 2 });
      expect(await executeReferenceAuditRun(project, run.id, counting)).toEqual({ status: 'completed', processed: 1 });
      expect(new Set(computed).size).toBe(computed.length);
      expect(snapshot(project, run.id)).toEqual(snapshot(a.project, a.runId));
    } finally {
      a.project.dispose();
      project.dispose();
    }
  });
});
