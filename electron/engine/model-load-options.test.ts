import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ModelManifest, writeManifest } from '../models/manifest.js';
import { engineDtypes, modelLoadOptions, recordedDtypes } from './model-load-options.js';

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

describe('a run’s recorded dtypes', () => {
  it('map the API’s slots to the engine’s roles, and read back what a run recorded', () => {
    expect(engineDtypes({ imageEmbedder: 'q8', captioner: 'fp16' }, ['captioner', 'generator', 'imageEmbedder'], 'suggest')).toEqual({ dtypes: { embedder: 'q8', captioner: 'fp16' } });
    expect(engineDtypes(undefined, ['generator'], 'suggest')).toEqual({});
    expect(recordedDtypes({ seed: 1, dtypes: { embedder: 'q8' } })).toEqual({ embedder: 'q8' });
    expect(recordedDtypes({ seed: 1 })).toEqual({});
    expect(recordedDtypes(null)).toEqual({});
  });

  it('refuse what cannot be right: a slot the run does not use, a damaged record', () => {
    expect(() => engineDtypes({ textEmbedder: 'fp16' }, ['captioner', 'generator', 'imageEmbedder'], 'suggest')).toThrow('dtypes.textEmbedder: a suggest run has no textEmbedder model');
    expect(() => recordedDtypes({ dtypes: { embedder: 'fp8' } })).toThrow(/The run's recorded dtypes cannot be read: embedder: /);
    // Runs store the engine's role name; the API's slot name in a record is not what any run wrote.
    expect(() => recordedDtypes({ dtypes: { imageEmbedder: 'q8' } })).toThrow(/The run's recorded dtypes cannot be read/);
  });
});
