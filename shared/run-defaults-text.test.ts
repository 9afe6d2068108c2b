import { describe, expect, it } from 'vitest';
import { describeRunDefaults } from './run-defaults-text.js';

describe('describeRunDefaults', () => {
  it('lists what is set, in steps · guidance · sampler order, then the note', () => {
    expect(describeRunDefaults({ steps: 1, guidance: 0, scheduler: 'euler', note: 'SD-turbo as published' })).toBe('1 step · guidance 0 · euler (SD-turbo as published)');
    expect(describeRunDefaults({ steps: 50, guidance: 7.5 })).toBe('50 steps · guidance 7.5');
    expect(describeRunDefaults({ scheduler: 'dpm-solver++' })).toBe('dpm-solver++');
  });
});
