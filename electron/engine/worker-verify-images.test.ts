/**
 * Text → image → text and the reference audit through a real forked inference worker give
 * exactly what they give in-process, the text embedder included.
 */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkWorker, type WorkerHost } from '../inference/worker/child-process-host.js';
import type { EngineWorkerMethods } from './engine-worker-methods.js';
import { loadEngineModels } from './load-engine-models.js';
import { auditReferencesForImage } from './reference-audit-pipeline.js';
import { verifyImagesForImage, type VerifyImagesIo, type VerifyImagesModels, type VerifyImagesSettings } from './verify-images-pipeline.js';
import { workerReferenceAuditModels, workerVerifyImagesModels } from './worker-models.js';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'tests/fixtures/models');
const dirs = { captioner: join(FIXTURES, 'vit-gpt2'), generator: join(FIXTURES, 'lcm'), embedder: join(FIXTURES, 'dinov2'), textEmbedder: join(FIXTURES, 'all-minilm-l6-v2') };
const settings: VerifyImagesSettings = {
  seed: 13,
  imagesPerText: 2,
  generation: { steps: 2, guidanceScale: 4, scheduler: 'lcm' },
  recaption: { strategy: 'beam', numBeams: 3, maxNewTokens: 4 },
};
const texts = [
  { referenceId: 1, text: 'a green square' },
  { referenceId: 2, text: 'a square on white' },
];
let worker: WorkerHost<EngineWorkerMethods>;
let local: VerifyImagesModels & { dispose(): Promise<void> };
let sourcePath: string;

function io(): VerifyImagesIo {
  const dir = mkdtempSync(join(tmpdir(), 'rt-worker-verify-'));
  return {
    saveImage: async (image, referenceId, idx) => {
      const file = join(dir, `${referenceId}-${idx}.png`);
      await sharp(Buffer.from(image.rgb), { raw: { width: image.width, height: image.height, channels: 3 } }).png().toFile(file);
      return file;
    },
    cider: (referenceId, recaption) => recaption.length + referenceId,
  };
}

beforeAll(async () => {
  const outDir = join(ROOT, 'dist', 'test-workers');
  mkdirSync(outDir, { recursive: true });
  // Its own bundle name: worker-models.test.ts builds engine-worker.mjs, possibly at the same time.
  const entry = join(outDir, 'engine-worker-verify.mjs');
  await build({ entryPoints: [join(ROOT, 'electron/engine/engine-worker-main.ts')], outfile: entry, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
  worker = forkWorker<EngineWorkerMethods>(entry);
  await worker.client.call('open', { dirs });
  local = await loadEngineModels(dirs);
  sourcePath = join(mkdtempSync(join(tmpdir(), 'rt-worker-verify-src-')), 'source.png');
  await sharp({ create: { width: 24, height: 24, channels: 3, background: { r: 30, g: 160, b: 60 } } }).png().toFile(sourcePath);
});

afterAll(async () => {
  await worker?.client.call('close', {}).catch(() => {});
  await worker?.dispose();
  await local?.dispose();
});

describe('text → image → text and the reference audit in the inference worker', () => {
  it('match the in-process results exactly', async () => {
    const strip = (r: Awaited<ReturnType<typeof verifyImagesForImage>>) => r.generated.map(({ path, ...g }) => ({ ...g, png: readFileSync(path).toString('hex') }));
    const remote = await verifyImagesForImage(4, sourcePath, texts, workerVerifyImagesModels(worker.client), settings, io());
    const inProcess = await verifyImagesForImage(4, sourcePath, texts, local, settings, io());
    expect(strip(remote)).toEqual(strip(inProcess));

    const references = texts.map((t) => ({ id: t.referenceId, text: t.text }));
    const auditSettings = { seed: 2, generation: settings.generation };
    const auditRemote = await auditReferencesForImage(4, sourcePath, references, workerReferenceAuditModels(worker.client), auditSettings);
    const auditLocal = await auditReferencesForImage(4, sourcePath, references, local, auditSettings);
    expect(auditRemote.candidates).toEqual(auditLocal.candidates);
  });

  it('opens only the roles a run kind needs, and says which one is missing', async () => {
    await worker.client.call('open', { dirs: { generator: dirs.generator, embedder: dirs.embedder } });
    await expect(worker.client.call('embedTexts', { texts: ['a square'] })).rejects.toMatchObject({ code: 'NO_MODELS', message: expect.stringMatching(/text embedder/) });
    await expect(worker.client.call('caption', { images: [sourcePath], decoding: settings.recaption, seed: 1 })).rejects.toMatchObject({ code: 'NO_MODELS', message: expect.stringMatching(/captioner/) });
    const audit = await auditReferencesForImage(4, sourcePath, [{ id: 1, text: 'a green square' }], workerReferenceAuditModels(worker.client), { seed: 2, generation: settings.generation });
    expect(audit.candidates).toHaveLength(1);
  });
});
