import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ModelManifest, writeManifest } from '../models/manifest.js';
import { modelLoadOptions } from './model-load-options.js';

const manifest: ModelManifest = { id: 'x/clip', role: 'image-embedder', family: 'clip', name: 'clip', version: '1', licence: 'mit', files: [] };

describe('modelLoadOptions', () => {
  it('adds the run’s choice and the manifest’s dtype to the session options', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-load-options-'));
    expect(await modelLoadOptions(dir, { provider: 'cpu' }, undefined)).toEqual({ provider: 'cpu' });
    await writeManifest(dir, { ...manifest, dtype: 'fp16' });
    expect(await modelLoadOptions(dir, { provider: 'cuda' }, 'q8')).toEqual({ provider: 'cuda', dtype: 'q8', manifestDtype: 'fp16' });
  });

  it('names the folder of a manifest it cannot read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-load-options-'));
    writeFileSync(join(dir, 'roundtrip-model.json'), JSON.stringify({ ...manifest, dtype: 'fp8' }));
    await expect(modelLoadOptions(dir, {}, undefined)).rejects.toThrow(`${dir}: roundtrip-model.json: dtype: `);
  });
});
