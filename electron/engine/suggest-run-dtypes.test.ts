/**
 * A suggest run with a precision variant chosen for its captioner, through the job host's path:
 * run settings → the run kind's recorded settings → the worker's `open` (its method table,
 * in-process) → the engine. On the published ViT-GPT2 layout (MODELS.md appendix §1: fp32, fp16
 * `_fp16`, q8 `_quantized`), the sessions say which files opened and the run completes.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSettingsSchema } from '../../shared/contract/run-schemas.js';
import { writeSquareImage } from '../../tests/fixtures/make-images.js';
import { importFolder } from '../backend/import/import-folder.js';
import { readRunSettings, type EngineClient } from '../backend/runs/run-kind.js';
import { RUN_KINDS } from '../backend/runs/run-kinds.js';
import { executionOf } from '../backend/runs/run-view.js';
import { Project } from '../storage/project.js';
import { engineWorkerMethods, type EngineWorkerMethods } from './engine-worker-methods.js';
import { recordedDtypes } from './model-load-options.js';
import { modelProvenance } from './model-provenance.js';

const ROOT = join(import.meta.dirname, '../..');
const VIT_GPT2 = join(ROOT, 'tests/fixtures/published/Xenova--vit-gpt2-image-captioning');
const dirs = { captioner: VIT_GPT2, generator: join(ROOT, 'resources/demo/generator'), imageEmbedder: join(ROOT, 'resources/demo/clip') };
const suggest = RUN_KINDS.suggest!;
let scratch: string;
let imagesDir: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rt-suggest-dtypes-'));
  imagesDir = join(scratch, 'images');
  mkdirSync(imagesDir);
  for (const [i, colour] of (['red', 'blue'] as const).entries()) await writeSquareImage(join(imagesDir, `${i}.png`), colour, 32);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The worker's method table answering in this process, as the forked worker would. */
function inProcessWorker(): { client: EngineClient; close: () => Promise<unknown> } {
  const methods = engineWorkerMethods();
  const client = { call: (method: keyof EngineWorkerMethods, params: never) => methods[method]!(params) } as unknown as EngineClient;
  return { client, close: () => methods.close({}) };
}

async function runWith(dtypes: Record<string, string>) {
  const settings = RunSettingsSchema.parse({ seed: 2, candidates: 2, steps: 1, guidance: 1, scheduler: 'ddim', maxNewTokens: 4, dtypes });
  const models = { captioner: await modelProvenance(dirs.captioner), generator: await modelProvenance(dirs.generator), imageEmbedder: await modelProvenance(dirs.imageEmbedder) };
  const project = Project.create(join(mkdtempSync(join(scratch, 'p-')), 'p'));
  await importFolder(project, imagesDir);
  const run = suggest.create(project, suggest.engineSettings(settings, models), {});
  const worker = inProcessWorker();
  try {
    const stored = project.runs.get(run.id)!;
    const recorded = readRunSettings(suggest, stored);
    const modelDirs = suggest.modelDirs(recorded);
    const { models: opened, opened: said } = await suggest.open(worker.client, modelDirs, 'cpu', recordedDtypes(recorded));
    const execution = executionOf('cpu', said, modelDirs);
    await suggest.execute(project, run.id, opened, { control: { requested: () => null }, onProgress: () => {} });
    return { run: project.runs.get(run.id)!, execution };
  } finally {
    await worker.close();
    project.dispose();
  }
}

const captionerFiles = (execution: Awaited<ReturnType<typeof runWith>>['execution']) =>
  execution.sessions.filter((s) => s.slot === 'captioner').map((s) => [s.file.slice(VIT_GPT2.length + 1), s.dtype]);

describe('a suggest run with dtypes chosen per model', () => {
  it('fp16: opens the _fp16 encoder and merged decoder, records the choice, and completes', async () => {
    const { run, execution } = await runWith({ captioner: 'fp16' });
    expect(captionerFiles(execution)).toEqual([
      ['onnx/encoder_model_fp16.onnx', 'fp16'],
      ['onnx/decoder_model_merged_fp16.onnx', 'fp16'],
    ]);
    // The slots left out take the best variant present: fp32 on the CPU.
    expect(execution.sessions.filter((s) => s.slot !== 'captioner').map((s) => s.dtype)).toEqual(expect.arrayContaining(['fp32']));
    expect(run).toMatchObject({ status: 'completed', done: 2, total: 2, settings: { dtypes: { captioner: 'fp16' } } });
  }, 120_000);

  it('q8: opens the _quantized files and completes', async () => {
    const { run, execution } = await runWith({ captioner: 'q8' });
    expect(captionerFiles(execution)).toEqual([
      ['onnx/encoder_model_quantized.onnx', 'q8'],
      ['onnx/decoder_model_merged_quantized.onnx', 'q8'],
    ]);
    expect(run).toMatchObject({ status: 'completed', done: 2, total: 2 });
  }, 120_000);

  it('a variant the folder lacks fails at model-open time, naming the file and the variants present', async () => {
    await expect(runWith({ captioner: 'q4' })).rejects.toThrow(
      `${join(VIT_GPT2, 'onnx/encoder_model_q4.onnx')}: missing file (dtype q4 was chosen for this model; present: fp32 (onnx/encoder_model.onnx), fp16 (onnx/encoder_model_fp16.onnx), q8 (onnx/encoder_model_quantized.onnx))`,
    );
  });
});
