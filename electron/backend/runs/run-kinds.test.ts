import { describe, expect, it } from 'vitest';
import { RunSettingsSchema } from '../../../shared/contract/run-schemas.js';
import type { EngineClient } from './run-kind.js';
import { decoding, RUN_KINDS } from './run-kinds.js';

describe('decoding (a suggest run\'s candidate set)', () => {
  it('puts the greedy caption first by default, and samples all N when it is turned off', () => {
    expect(decoding(RunSettingsSchema.parse({ candidates: 10 }), 40)).toEqual({ strategy: 'sample', topP: 0.9, numReturnSequences: 10, maxNewTokens: 40, greedyFirst: true });
    expect(decoding(RunSettingsSchema.parse({ candidates: 10, greedyCandidate: false }), 40)).not.toHaveProperty('greedyFirst');
    expect(decoding(RunSettingsSchema.parse({ candidates: 4, sampler: 'top-k' }), 40)).toMatchObject({ topK: 20, greedyFirst: true });
  });

  it('adds no greedy caption to beam search or to a single candidate', () => {
    expect(decoding(RunSettingsSchema.parse({ candidates: 5, sampler: 'beam' }), 40)).not.toHaveProperty('greedyFirst');
    expect(decoding(RunSettingsSchema.parse({ candidates: 1 }), 40)).not.toHaveProperty('greedyFirst');
  });
});

describe('precision variants chosen per model', () => {
  const provenance = (dir: string) => ({ dir, id: null, version: null, files: [] });
  const models = { captioner: provenance('/m/c'), generator: provenance('/m/g'), imageEmbedder: provenance('/m/e'), textEmbedder: provenance('/m/t') };

  it('are recorded with the run under the engine’s role names (imageEmbedder → embedder), and nothing when none is chosen', () => {
    const settings = RunSettingsSchema.parse({ candidates: 2, dtypes: { captioner: 'fp16', imageEmbedder: 'q8' } });
    expect(RUN_KINDS.suggest!.engineSettings(settings, models)).toMatchObject({ dtypes: { captioner: 'fp16', embedder: 'q8' } });
    const verify = RunSettingsSchema.parse({ candidates: 2, beams: 2, dtypes: { textEmbedder: 'fp16' } });
    expect(RUN_KINDS['verify-images']!.engineSettings(verify, models)).toMatchObject({ dtypes: { textEmbedder: 'fp16' } });
    expect(RUN_KINDS.suggest!.engineSettings(RunSettingsSchema.parse({ candidates: 2 }), models)).not.toHaveProperty('dtypes');
  });

  it('refuse a slot the kind does not use', () => {
    const settings = RunSettingsSchema.parse({ dtypes: { captioner: 'q8' } });
    expect(() => RUN_KINDS['reference-audit']!.engineSettings(settings, models)).toThrow('dtypes.captioner: a reference-audit run has no captioner model (its models: generator, imageEmbedder)');
  });

  it('reach the worker’s open, per model', async () => {
    const calls: unknown[] = [];
    const client = { call: async (method: string, params: unknown) => void calls.push([method, params]) } as unknown as EngineClient;
    const dirs = { generator: '/m/g', imageEmbedder: '/m/e' };
    await RUN_KINDS['reference-audit']!.open(client, dirs, 'cuda', { embedder: 'fp16' });
    await RUN_KINDS['reference-audit']!.open(client, dirs, 'cpu', {});
    expect(calls).toEqual([
      ['open', { dirs: { generator: '/m/g', embedder: '/m/e' }, options: { provider: 'cuda' }, dtypes: { embedder: 'fp16' } }],
      ['open', { dirs: { generator: '/m/g', embedder: '/m/e' }, options: { provider: 'cpu' } }],
    ]);
  });
});
