/**
 * Precision variants through the runs API and the job host (issue 15, item 2): `runs:start` with
 * `settings.dtypes` → the recorded run → the worker's `open` (its method table in-process) → the
 * sessions the run shows. The captioner is the published ViT-GPT2 layout (fp32, fp16, q8), listed
 * as an unmanaged folder; the demo generator and CLIP fill the other slots.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../../shared/contract/run-schemas.js';
import { createDemoProject } from '../../demo-world/demo-project.js';
import { defaultDemoRoot, ModelRegistry } from '../../models/registry.js';
import { backendCall, type BackendCall } from '../backend-call.js';
import type { Backend } from '../backend.js';
import { inProcessWorker } from '../testing/in-process-worker.js';
import { testBackend } from '../testing/test-backend.js';

const PUBLISHED = join(import.meta.dirname, '../../../tests/fixtures/published');
const VIT_GPT2 = 'Xenova--vit-gpt2-image-captioning';
const QUICK = { candidates: 2, steps: 1, maxNewTokens: 4 };
let backend: Backend;
let call: BackendCall;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'rt-run-dtypes-'));
  const registry = new ModelRegistry({ modelsDir: join(root, 'models'), readOnlyRoots: [PUBLISHED, defaultDemoRoot()] });
  const launchWorker = () => inProcessWorker(async (methods) => void (await methods.close({})));
  backend = testBackend(root, { registry, launchWorker });
  call = backendCall(backend);
  await createDemoProject((m, i) => call(m, i), join(root, 'demo'), { count: 2 });
}, 60_000);
afterAll(() => backend?.dispose());

async function finished(id: number): Promise<Run> {
  for (;;) {
    const run = await call('runs:get', { id });
    if (run.status !== 'queued' && run.status !== 'running') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('runs with a precision variant chosen per model', () => {
  it('lists the variants a model folder holds', async () => {
    const { models } = await call('models:list', {});
    expect(models.find((m) => m.id === VIT_GPT2)?.variants).toEqual(['fp32', 'fp16', 'q8']);
  });

  it('opens the chosen variant, records it, shows each session’s dtype and completes', async () => {
    const started = await call('runs:start', { kind: 'suggest', selection: { limit: 1 }, settings: { ...QUICK, dtypes: { captioner: 'q8' } }, models: { captioner: VIT_GPT2 } });
    const run = await finished(started.id);
    expect(run).toMatchObject({ status: 'completed', done: 1, settings: { dtypes: { captioner: 'q8' } }, provenance: { dtypes: { captioner: 'q8' } } });
    const sessions = run.execution.sessions.map((s) => [s.slot, s.file.split(/[\\/]/).slice(-2).join('/'), s.dtype]);
    expect(sessions.filter(([slot]) => slot === 'captioner')).toEqual([
      ['captioner', 'onnx/encoder_model_quantized.onnx', 'q8'],
      ['captioner', 'onnx/decoder_model_merged_quantized.onnx', 'q8'],
    ]);
    expect(new Set(sessions.filter(([slot]) => slot !== 'captioner').map(([, , dtype]) => dtype))).toEqual(new Set(['fp32']));
  }, 60_000);

  it('fails a run whose folder lacks the variant when its models open, naming the file and the variants present; a resume asks for the same one', async () => {
    const started = await call('runs:start', { kind: 'suggest', selection: { limit: 1 }, settings: { ...QUICK, dtypes: { captioner: 'q4' } }, models: { captioner: VIT_GPT2 } });
    const failed = await finished(started.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain(
      `${join(PUBLISHED, VIT_GPT2, 'onnx', 'encoder_model_q4.onnx')}: missing file (dtype q4 was chosen for this model; present: fp32 (onnx/encoder_model.onnx), fp16 (onnx/encoder_model_fp16.onnx), q8 (onnx/encoder_model_quantized.onnx))`,
    );
    await call('runs:resume', { id: started.id });
    const again = await finished(started.id);
    expect(again).toMatchObject({ status: 'failed', error: failed.error });
  }, 60_000);

  it('refuses a variant for a slot the kind does not use', async () => {
    await expect(call('runs:start', { kind: 'reference-audit', selection: {}, settings: { dtypes: { captioner: 'q8' } } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('dtypes.captioner: a reference-audit run has no captioner model'),
    });
  });
});
