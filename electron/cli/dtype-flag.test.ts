import { describe, expect, it } from 'vitest';
import { dtypesFrom } from './dtype-flag.js';

describe('--dtype slot=dtype', () => {
  it('reads one or several choices, with the CLI’s embedder name for the image embedder', () => {
    expect(dtypesFrom(undefined)).toEqual({});
    expect(dtypesFrom('captioner=q8')).toEqual({ captioner: 'q8' });
    expect(dtypesFrom(['captioner=fp16', 'embedder=q8', 'textEmbedder=fp32', 'generator=fp16'])).toEqual({ captioner: 'fp16', imageEmbedder: 'q8', textEmbedder: 'fp32', generator: 'fp16' });
  });

  it('refuses a malformed choice, an unknown slot or dtype, and a slot named twice, as a usage error', () => {
    const fails = (value: unknown, message: RegExp) => expect(() => dtypesFrom(value)).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(message) }));
    fails('q8', /--dtype takes slot=dtype, e\.g\. --dtype captioner=q8 \(got "q8"\)/);
    fails('captioner=q8=x', /takes slot=dtype/);
    fails('decoder=q8', /unknown model slot "decoder"; one of captioner, generator, imageEmbedder, textEmbedder/);
    fails('captioner=int4', /unknown dtype "int4"; one of fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4/);
    fails(['captioner=q8', 'captioner=fp16'], /--dtype names captioner twice/);
  });
});
