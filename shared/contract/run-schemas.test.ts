import { describe, expect, it } from 'vitest';
import { ExecutionSchema, RunSettingsSchema } from './run-schemas.js';

describe('run settings: dtypes', () => {
  it('take a transformers.js dtype per model slot', () => {
    expect(RunSettingsSchema.parse({ dtypes: { captioner: 'q4f16', imageEmbedder: 'fp16' } }).dtypes).toEqual({ captioner: 'q4f16', imageEmbedder: 'fp16' });
    expect(RunSettingsSchema.parse({})).not.toHaveProperty('dtypes');
  });

  it('refuse an unknown dtype or slot, naming it', () => {
    const issues = (input: unknown) => RunSettingsSchema.safeParse(input).error?.issues.map((i) => [i.path.join('.'), i.code]);
    expect(issues({ dtypes: { captioner: 'int4' } })).toEqual([['dtypes.captioner', 'invalid_value']]);
    expect(issues({ dtypes: { embedder: 'q8' } })).toEqual([['dtypes', 'unrecognized_keys']]);
  });
});

describe('execution sessions: dtype', () => {
  it('says which variant each session opened; a session stored before variants reads as null', () => {
    const session = { slot: 'captioner', file: '/m/onnx/encoder_model_fp16.onnx', requested: 'cpu', provider: 'cpu', fallbackReason: null };
    const execution = (s: object) => ExecutionSchema.parse({ requested: 'cpu', inUse: 'cpu', fallbackReason: null, sessions: [s] }).sessions[0];
    expect(execution({ ...session, dtype: 'fp16' })).toMatchObject({ dtype: 'fp16' });
    expect(execution(session)).toMatchObject({ dtype: null });
  });
});
