import { describe, expect, it } from 'vitest';
import { generate } from './generate.js';
import { ToyNgramModel, type NgramTable } from './toy-model.js';
import { A, B, BOS, C, D, E, EOS, MYOPIC, PAD, VOCAB } from './toy-tables.js';
import type { GenerateOptions, RandomSource } from './types.js';

/** mulberry32: a tiny seeded PRNG, local to the tests. */
function rng(seed: number): RandomSource {
  let a = seed >>> 0;
  return {
    nextFloat() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

const base: GenerateOptions = { bosTokenId: BOS, eosTokenId: EOS, padTokenId: PAD, maxNewTokens: 10, strategy: 'greedy' };

function model(...tables: NgramTable[]): ToyNgramModel {
  return new ToyNgramModel(VOCAB, tables);
}

/** Empirical frequency of each sequence (joined by ","). */
function frequencies(sequences: number[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of sequences) counts.set(s.join(','), (counts.get(s.join(',')) ?? 0) + 1);
  return new Map([...counts].map(([k, v]) => [k, v / sequences.length]));
}

function expectFrequencies(sequences: number[][], expected: Record<string, number>, tolerance = 0.035): void {
  const f = frequencies(sequences);
  expect([...f.keys()].sort()).toEqual(Object.keys(expected).sort());
  for (const [key, p] of Object.entries(expected)) expect(Math.abs((f.get(key) ?? 0) - p), key).toBeLessThan(tolerance);
}

const key = (...tokens: number[]) => tokens.join(',');

describe('greedy', () => {
  it('follows the argmax path and scores it with the model log-probabilities', async () => {
    const m = model(MYOPIC);
    const r = await generate(m, base);
    expect(r.sequences).toEqual([[A, C]]);
    expect(r.finished).toEqual([true]);
    expect(r.scores[0]).toBeCloseTo(Math.log(0.24), 5);
    expect(r.tokenLogProbs[0]!.map(Math.exp)).toEqual([expect.closeTo(0.6, 5), expect.closeTo(0.4, 5), expect.closeTo(1, 5)]);
    // One row: no reorder; prompt first, then one token per step.
    expect(m.calls).toEqual([
      { kind: 'start', batchSize: 1 },
      { kind: 'step', tokens: [[BOS]] },
      { kind: 'step', tokens: [[A]] },
      { kind: 'step', tokens: [[C]] },
    ]);
  });

  it('feeds a custom prompt once and leaves it out of the sequence', async () => {
    const m = model({ [`${BOS},${E}`]: { [D]: 1 }, [D]: { [EOS]: 1 } });
    const r = await generate(m, { ...base, prompt: [BOS, E] });
    expect(r.sequences).toEqual([[D]]);
    expect(m.calls[1]).toEqual({ kind: 'step', tokens: [[BOS, E]] });
  });

  it('respects min and max new tokens', async () => {
    const table: NgramTable = { [BOS]: { [EOS]: 0.7, [A]: 0.3 }, [A]: { [EOS]: 0.7, [A]: 0.3 } };
    expect((await generate(model(table), base)).sequences).toEqual([[]]);

    const min = await generate(model(table), { ...base, minNewTokens: 2 });
    expect(min.sequences).toEqual([[A, A]]);
    expect(min.finished).toEqual([true]);
    expect(min.scores[0]).toBeCloseTo(Math.log(0.3 * 0.3 * 0.7), 5);

    const m = model(table);
    const capped = await generate(m, { ...base, minNewTokens: 5, maxNewTokens: 3 });
    expect(capped.sequences).toEqual([[A, A, A]]);
    expect(capped.finished).toEqual([false]);
    expect(capped.tokenLogProbs[0]).toHaveLength(3);
    expect(m.calls.filter((c) => c.kind === 'step')).toHaveLength(3);
  });

  it('repetition penalty changes the choice', async () => {
    // After C: C .5 > D .3 > EOS .2. Penalty 2 on C: log .5 · 2 = log .25 < log .3, so D wins.
    const table: NgramTable = { [BOS]: { [C]: 1 }, [C]: { [C]: 0.5, [D]: 0.3, [EOS]: 0.2 }, [D]: { [EOS]: 1 } };
    expect((await generate(model(table), { ...base, maxNewTokens: 3 })).sequences).toEqual([[C, C, C]]);
    const penalised = await generate(model(table), { ...base, maxNewTokens: 3, repetitionPenalty: 2 });
    expect(penalised.sequences).toEqual([[C, D]]);
    // Scores stay the model's own log-probabilities, not the penalised ones.
    expect(penalised.scores[0]).toBeCloseTo(Math.log(0.3), 5);
  });

  it('no-repeat-ngram stops a loop', async () => {
    const table: NgramTable = { [BOS]: { [A]: 1 }, [A]: { [B]: 0.6, [EOS]: 0.4 }, [B]: { [A]: 0.6, [EOS]: 0.4 } };
    expect((await generate(model(table), { ...base, maxNewTokens: 6 })).sequences).toEqual([[A, B, A, B, A, B]]);
    expect((await generate(model(table), { ...base, maxNewTokens: 6, noRepeatNgramSize: 2 })).sequences).toEqual([[A, B, A]]);
  });

  it('pads finished rows, or drops them, with identical results', async () => {
    const short: NgramTable = { [BOS]: { [A]: 1 }, [A]: { [EOS]: 1 } };
    const long: NgramTable = { [BOS]: { [B]: 1 }, [B]: { [C]: 1 }, [C]: { [D]: 1 }, [D]: { [EOS]: 1 } };
    const padded = model(short, long);
    const r1 = await generate(padded, { ...base, batchSize: 2 });
    expect(r1.sequences).toEqual([[A], [B, C, D]]);
    expect(r1.finished).toEqual([true, true]);
    expect(padded.calls).toEqual([
      { kind: 'start', batchSize: 2 },
      { kind: 'step', tokens: [[BOS], [BOS]] },
      { kind: 'step', tokens: [[A], [B]] },
      { kind: 'step', tokens: [[PAD], [C]] },
      { kind: 'step', tokens: [[PAD], [D]] },
    ]);

    const dropped = model(short, long);
    const r2 = await generate(dropped, { ...base, batchSize: 2, dropFinishedRows: true });
    expect(r2).toEqual(r1);
    expect(dropped.calls).toEqual([
      { kind: 'start', batchSize: 2 },
      { kind: 'step', tokens: [[BOS], [BOS]] },
      { kind: 'step', tokens: [[A], [B]] },
      { kind: 'reorder', indices: [1] },
      { kind: 'step', tokens: [[C]] },
      { kind: 'step', tokens: [[D]] },
    ]);
  });

  it('rejects bad options before calling the model', async () => {
    const m = model(MYOPIC);
    await expect(generate(m, { ...base, numReturnSequences: 2 })).rejects.toThrow(/greedy/);
    await expect(generate(m, { ...base, strategy: 'sample' })).rejects.toThrow(/rng/);
    await expect(generate(m, { ...base, topP: 0 })).rejects.toThrow(/topP/);
    await expect(generate(m, { ...base, eosTokenId: VOCAB })).rejects.toThrow(/eosTokenId/);
    await expect(generate(m, { ...base, maxNewTokens: 0 })).rejects.toThrow(/maxNewTokens/);
    expect(m.calls).toEqual([]);
  });
});

describe('sampling', () => {
  const sample = (options: Partial<GenerateOptions>, seed = 1): GenerateOptions => ({
    ...base,
    strategy: 'sample',
    rng: rng(seed),
    ...options,
  });

  it('top-k = 1, tiny top-p and near-zero temperature all equal greedy', async () => {
    for (const seed of [1, 2, 3]) {
      for (const options of [{ topK: 1 }, { topP: 1e-6 }, { temperature: 1e-3 }, { temperature: 0 }]) {
        const r = await generate(model(MYOPIC), sample({ ...options, numReturnSequences: 5 }, seed));
        expect(r.sequences, JSON.stringify(options)).toEqual(Array.from({ length: 5 }, () => [A, C]));
      }
    }
    const rep: NgramTable = { [BOS]: { [C]: 1 }, [C]: { [C]: 0.5, [D]: 0.3, [EOS]: 0.2 }, [D]: { [EOS]: 1 } };
    const r = await generate(model(rep), sample({ topK: 1, repetitionPenalty: 2, maxNewTokens: 3 }));
    expect(r.sequences).toEqual([[C, D]]);
  });

  it('with top-p = 1 samples the full model distribution', async () => {
    const r = await generate(model(MYOPIC), sample({ numReturnSequences: 4000 }, 11));
    expectFrequencies(r.sequences, { [key(A, C)]: 0.24, [key(A, D)]: 0.21, [key(A, E)]: 0.15, [key(B, C)]: 0.36, [key(B)]: 0.04 });
  });

  it('top-p and top-k truncate and renormalise', async () => {
    // p = 0.7: A and B stay (0.6 < 0.7); after A, C + D reach 0.75; after B, C alone reaches 0.9.
    const p = await generate(model(MYOPIC), sample({ topP: 0.7, numReturnSequences: 4000 }, 12));
    expectFrequencies(p.sequences, { [key(A, C)]: 0.6 * (0.4 / 0.75), [key(A, D)]: 0.6 * (0.35 / 0.75), [key(B, C)]: 0.4 });
    // k = 2: after A only C and D; after B both C and EOS.
    const k = await generate(model(MYOPIC), sample({ topK: 2, numReturnSequences: 4000 }, 13));
    expectFrequencies(k.sequences, { [key(A, C)]: 0.6 * (0.4 / 0.75), [key(A, D)]: 0.6 * (0.35 / 0.75), [key(B, C)]: 0.36, [key(B)]: 0.04 });
  });

  it('temperature reshapes the distribution', async () => {
    const r = await generate(model(MYOPIC), sample({ temperature: 2, numReturnSequences: 4000, maxNewTokens: 1 }, 14));
    const pA = Math.sqrt(0.6) / (Math.sqrt(0.6) + Math.sqrt(0.4));
    expect(Math.abs(r.sequences.filter((s) => s[0] === A).length / 4000 - pA)).toBeLessThan(0.035);
    // Scores are still the untempered model log-probabilities.
    for (let i = 0; i < 20; i++) expect(Math.exp(r.scores[i]!)).toBeCloseTo(r.sequences[i]![0] === A ? 0.6 : 0.4, 5);
  });

  it('N sequences per input: rows differ, same seed ⇒ same sequences, fan-out by reorder', async () => {
    const other: NgramTable = { [BOS]: { [D]: 0.5, [E]: 0.5 }, [D]: { [EOS]: 1 }, [E]: { [D]: 0.5, [EOS]: 0.5 } };
    const run = async (seed: number, dropFinishedRows = false) => {
      const m = model(MYOPIC, other);
      const r = await generate(m, sample({ batchSize: 2, numReturnSequences: 6, dropFinishedRows }, seed));
      return { r, m };
    };
    const { r, m } = await run(5);
    expect(r.sequences).toHaveLength(12);
    // Rows 0-5 belong to input 0 (MYOPIC), rows 6-11 to input 1: the reorder kept the conditioning.
    for (const s of r.sequences.slice(0, 6)) expect([A, B]).toContain(s[0]);
    for (const s of r.sequences.slice(6)) expect([D, E]).toContain(s[0]);
    expect(new Set(r.sequences.slice(0, 6).map((s) => s.join(','))).size).toBeGreaterThan(1);
    expect(m.calls[0]).toEqual({ kind: 'start', batchSize: 2 });
    expect(m.calls[1]).toEqual({ kind: 'step', tokens: [[BOS], [BOS]] });
    expect(m.calls[2]).toEqual({ kind: 'reorder', indices: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1] });
    expect(m.calls.filter((c) => c.kind === 'reorder')).toHaveLength(1);
    for (let i = 0; i < 12; i++) {
      expect(r.scores[i]).toBeCloseTo(r.tokenLogProbs[i]!.reduce((a, b) => a + b, 0), 10);
    }

    expect((await run(5)).r).toEqual(r);
    expect((await run(5, true)).r).toEqual(r);
    expect((await run(6)).r.sequences).not.toEqual(r.sequences);
  });
});

describe('forced first and last tokens (HF forced_bos/forced_eos_token_id, Florence-2 configures both)', () => {
  // A table where E is never likely: only forcing can put it first.
  const LOOPY: NgramTable = { [BOS]: { [A]: 0.7, [B]: 0.3 }, [A]: { [B]: 0.9, [EOS]: 0.1 }, [B]: { [A]: 0.9, [EOS]: 0.1 }, [E]: { [A]: 0.6, [B]: 0.4 } };

  it('greedy starts with the forced token and ends with EOS at the length limit', async () => {
    const plain = await generate(model(LOOPY), { ...base, maxNewTokens: 5 });
    expect(plain.sequences).toEqual([[A, B, A, B, A]]);
    expect(plain.finished).toEqual([false]);
    const forced = await generate(model(LOOPY), { ...base, maxNewTokens: 5, forcedBosTokenId: E, forcedEosTokenId: EOS });
    // E first, then the model's own choice; the 5th token (maxNewTokens − 1 generated) is EOS.
    expect(forced.sequences).toEqual([[E, A, B, A]]);
    expect(forced.finished).toEqual([true]);
  });

  it('beam search and sampling honour them too, and sampling stays reproducible', async () => {
    const beam = await generate(model(LOOPY), { ...base, strategy: 'beam', numBeams: 3, numReturnSequences: 3, maxNewTokens: 4, forcedBosTokenId: E, forcedEosTokenId: EOS });
    for (let i = 0; i < 3; i++) {
      expect(beam.sequences[i]![0]).toBe(E);
      expect(beam.finished[i]).toBe(true);
    }
    const options: GenerateOptions = { ...base, strategy: 'sample', numReturnSequences: 20, maxNewTokens: 4, forcedBosTokenId: E, forcedEosTokenId: EOS };
    const a = await generate(model(LOOPY), { ...options, rng: rng(7) });
    const b = await generate(model(LOOPY), { ...options, rng: rng(7) });
    expect(a.sequences).toEqual(b.sequences);
    expect(a.sequences.every((s) => s[0] === E && s.length <= 3)).toBe(true);
    expect(a.finished.every(Boolean)).toBe(true);
  });

  it('refuses a forced token outside the vocabulary', async () => {
    await expect(generate(model(LOOPY), { ...base, forcedBosTokenId: VOCAB })).rejects.toThrow(/forcedBosTokenId must be a token id/);
  });
});
