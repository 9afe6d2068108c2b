import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { writeManifest } from '../models/manifest.js';
import { loadEngineModels } from './load-engine-models.js';

const MODELS = join(import.meta.dirname, '../../tests/fixtures/models');

describe('loadEngineModels opens each model in its chosen precision variant', () => {
  it('takes the run’s dtype per model, else the manifest’s, else fp32 on the CPU', async () => {
    const captioner = join(mkdtempSync(join(tmpdir(), 'rt-engine-dtypes-')), 'vit-gpt2');
    cpSync(join(MODELS, 'vit-gpt2'), captioner, { recursive: true });
    cpSync(join(MODELS, 'vit-gpt2-dtypes'), captioner, { recursive: true });
    await writeManifest(captioner, { id: 'x/vit-gpt2', role: 'captioner', family: 'vit-gpt2', name: 'vit-gpt2', version: '1', licence: 'mit', dtype: 'fp16', files: [] });
    const embedder = join(mkdtempSync(join(tmpdir(), 'rt-engine-dtypes-')), 'clip');
    cpSync(join(MODELS, 'clip-vit-b32'), embedder, { recursive: true });
    cpSync(join(MODELS, 'clip-vit-b32-dtypes'), embedder, { recursive: true });
    const dirs = { captioner, generator: join(MODELS, 'sd-fp16'), embedder };
    const dtypesOf = (sessions: { role: string; dtype?: string }[]) => sessions.map((s) => `${s.role}:${s.dtype}`);

    const chosen = await loadEngineModels(dirs, {}, { captioner: 'q8', embedder: 'fp16' });
    expect(dtypesOf(chosen.sessions)).toEqual(['captioner:q8', 'captioner:q8', 'generator:fp16', 'generator:fp16', 'generator:fp16', 'imageEmbedder:fp16']);
    const red = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } }).png().toBuffer();
    const captions = await chosen.captioner.caption([red], { strategy: 'greedy', maxNewTokens: 4 }, 1);
    expect(captions.map((c) => c.length)).toEqual([1]);
    await chosen.dispose();

    const defaults = await loadEngineModels(dirs);
    expect(dtypesOf(defaults.sessions)).toEqual(['captioner:fp16', 'captioner:fp16', 'generator:fp16', 'generator:fp16', 'generator:fp16', 'imageEmbedder:fp32']);
    await defaults.dispose();

    await expect(loadEngineModels(dirs, {}, { embedder: 'q4' })).rejects.toThrow(/vision_model_q4\.onnx: missing file \(dtype q4 was chosen for this model; present: fp32/);
  });
});
