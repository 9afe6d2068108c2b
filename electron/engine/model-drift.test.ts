import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertModelsUnchanged, findModelDrift } from './model-drift.js';
import { modelProvenance } from './model-provenance.js';

function modelDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rt-drift-'));
  mkdirSync(join(dir, 'unet'));
  writeFileSync(join(dir, 'unet', 'model.onnx'), 'weights v1');
  writeFileSync(join(dir, 'config.json'), '{}');
  return dir;
}

describe('model drift', () => {
  it('passes while the recorded files are unchanged, and ignores settings without models', async () => {
    const dir = modelDir();
    const settings = { seed: 1, models: { generator: await modelProvenance(dir) } };
    await expect(assertModelsUnchanged(1, settings)).resolves.toBeUndefined();
    await expect(assertModelsUnchanged(1, { seed: 1 })).resolves.toBeUndefined();
  });

  it('refuses with RUN_INPUTS_CHANGED naming the model and the file that changed', async () => {
    const dir = modelDir();
    const settings = { models: { embedder: await modelProvenance(modelDir()), generator: await modelProvenance(dir) } };
    writeFileSync(join(dir, 'unet', 'model.onnx'), 'weights v2, retrained');
    await expect(assertModelsUnchanged(7, settings)).rejects.toMatchObject({
      code: 'RUN_INPUTS_CHANGED',
      model: 'generator',
      file: join(dir, 'unet', 'model.onnx'),
      message: expect.stringMatching(/^The generator model of run 7 \(.*\) changed since the run was created: unet\/model\.onnx has sha256 [0-9a-f]{12}…/),
    });
  });

  it('refuses a model whose recorded file is missing', async () => {
    const dir = modelDir();
    const settings = { models: { generator: await modelProvenance(dir) } };
    rmSync(join(dir, 'config.json'));
    await expect(assertModelsUnchanged(2, settings)).rejects.toMatchObject({ code: 'RUN_INPUTS_CHANGED', message: expect.stringContaining('config.json is missing') });
  });

  it('does not hash a file again while its size and modification time are unchanged', async () => {
    const dir = modelDir();
    const file = join(dir, 'unet', 'model.onnx');
    const then = 1_700_000_000; // whole seconds, which every file system stores exactly
    utimesSync(file, then, then);
    const models = { generator: await modelProvenance(dir) };
    // Same size, same mtime: the cached hash answers (the file is not read again).
    writeFileSync(file, 'weights v9');
    utimesSync(file, then, then);
    expect(await findModelDrift(models)).toBeUndefined();
    // A new mtime makes it read again.
    utimesSync(file, then, then + 5);
    expect(await findModelDrift(models)).toMatchObject({ role: 'generator', file: 'unet/model.onnx' });
  });
});
