import { describe, expect, it } from 'vitest';
import { RunSettingsSchema } from '../../../shared/contract/run-schemas.js';
import { decoding } from './run-kinds.js';

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
