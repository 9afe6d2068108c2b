import { describe, expect, it } from 'vitest';
import { BeamHypotheses } from './beam-search.js';
import { generate } from './generate.js';
import { ToyNgramModel, type NgramTable } from './toy-model.js';
import { A, B, BOS, C, D, EOS, MYOPIC, PAD, VOCAB } from './toy-tables.js';
import type { GenerateOptions } from './types.js';

/** Stopping now (P = .55, one token incl. EOS) versus A B (P = .45, three tokens). */
const LENGTH: NgramTable = { [BOS]: { [EOS]: 0.55, [A]: 0.45 }, [A]: { [B]: 1 }, [B]: { [EOS]: 1 } };

const beam: GenerateOptions = {
  bosTokenId: BOS,
  eosTokenId: EOS,
  padTokenId: PAD,
  maxNewTokens: 10,
  strategy: 'beam',
  numBeams: 2,
};

const model = (...tables: NgramTable[]) => new ToyNgramModel(VOCAB, tables);

describe('beam search', () => {
  it('finds the more probable sequence greedy misses, and follows beams with reorder', async () => {
    expect((await generate(model(MYOPIC), { ...beam, strategy: 'greedy' })).sequences).toEqual([[A, C]]);

    const m = model(MYOPIC);
    const r = await generate(m, { ...beam, numReturnSequences: 2 });
    expect(r.sequences).toEqual([
      [B, C],
      [A, C],
    ]);
    // Length-penalised scores, length counting the EOS: log P / 3.
    expect(r.scores[0]).toBeCloseTo(Math.log(0.36) / 3, 5);
    expect(r.scores[1]).toBeCloseTo(Math.log(0.24) / 3, 5);
    expect(r.finished).toEqual([true, true]);
    expect(r.tokenLogProbs[0]!.map(Math.exp)).toEqual([expect.closeTo(0.4, 5), expect.closeTo(0.9, 5), expect.closeTo(1, 5)]);
    // Hand trace: step 0 keeps [A, B] from the single prompt row; step 1 keeps [B C, A C], whose
    // parents are rows 1 and 0; step 2 finishes both.
    expect(m.calls).toEqual([
      { kind: 'start', batchSize: 1 },
      { kind: 'step', tokens: [[BOS]] },
      { kind: 'reorder', indices: [0, 0] },
      { kind: 'step', tokens: [[A], [B]] },
      { kind: 'reorder', indices: [1, 0] },
      { kind: 'step', tokens: [[C], [C]] },
    ]);
  });

  it('one beam is greedy', async () => {
    for (const table of [MYOPIC, LENGTH]) {
      const greedy = await generate(model(table), { ...beam, strategy: 'greedy' });
      const one = await generate(model(table), { ...beam, numBeams: 1 });
      expect(one.sequences).toEqual(greedy.sequences);
    }
  });

  it('length penalty trades probability for length', async () => {
    const lp1 = await generate(model(LENGTH), { ...beam, lengthPenalty: 1 });
    expect(lp1.sequences).toEqual([[A, B]]);
    expect(lp1.scores[0]).toBeCloseTo(Math.log(0.45) / 3, 5);
    const lp0 = await generate(model(LENGTH), { ...beam, lengthPenalty: 0 });
    expect(lp0.sequences).toEqual([[]]);
    expect(lp0.scores[0]).toBeCloseTo(Math.log(0.55), 5);
  });

  it('early stopping: true stops at numBeams finished, false waits for a better one', async () => {
    // Step 0: EOS (.5) finishes; A (.3), B (.2) run. Step 1: A C (.27) runs, B EOS (.2, rank 1)
    // finishes, A EOS (.03, rank 2) is only a backup. Two finished → `true` stops with [] first.
    // `false`: worst finished log(.2)/2 = -0.80 < best running log(.27)/2 = -0.65, so it goes on
    // and A C EOS scores log(.27)/3 = -0.44, the best.
    const table: NgramTable = {
      [BOS]: { [EOS]: 0.5, [A]: 0.3, [B]: 0.2 },
      [A]: { [EOS]: 0.1, [C]: 0.9 },
      [B]: { [EOS]: 1 },
      [C]: { [EOS]: 1 },
    };
    const early = model(table);
    const r1 = await generate(early, { ...beam, earlyStopping: true, numReturnSequences: 2 });
    expect(r1.sequences).toEqual([[], [B]]);
    expect(r1.scores[1]).toBeCloseTo(Math.log(0.2) / 2, 5);
    expect(early.calls.filter((c) => c.kind === 'step')).toHaveLength(2);

    for (const earlyStopping of [false, 'never'] as const) {
      const r = await generate(model(table), { ...beam, earlyStopping, numReturnSequences: 2 });
      expect(r.sequences).toEqual([[A, C], []]);
      expect(r.scores[0]).toBeCloseTo(Math.log(0.27) / 3, 5);
    }
  });

  it('min and max new tokens', async () => {
    const table: NgramTable = { [BOS]: { [EOS]: 0.7, [A]: 0.3 }, [A]: { [EOS]: 0.7, [A]: 0.3 } };
    expect((await generate(model(table), beam)).sequences).toEqual([[]]);
    const min = await generate(model(table), { ...beam, minNewTokens: 2, maxNewTokens: 4, numReturnSequences: 2 });
    expect(min.sequences).toEqual([
      [A, A],
      [A, A, A],
    ]);
    expect(min.finished).toEqual([true, true]);

    // At maxNewTokens the running beams are finalised unfinished: here after one token.
    const m = model(MYOPIC);
    const capped = await generate(m, { ...beam, maxNewTokens: 1, numReturnSequences: 2 });
    expect(capped.sequences).toEqual([[A], [B]]);
    expect(capped.finished).toEqual([false, false]);
    expect(capped.scores[0]).toBeCloseTo(Math.log(0.6), 5);
    expect(m.calls.filter((c) => c.kind === 'step')).toHaveLength(1);
  });

  it('repetition penalty applies to each beam history', async () => {
    const table: NgramTable = { [BOS]: { [C]: 1 }, [C]: { [C]: 0.5, [D]: 0.3, [EOS]: 0.2 }, [D]: { [EOS]: 1 } };
    const plain = await generate(model(table), { ...beam, maxNewTokens: 3, numBeams: 1 });
    expect(plain.sequences).toEqual([[C, C, C]]);
    const penalised = await generate(model(table), { ...beam, maxNewTokens: 3, numBeams: 1, repetitionPenalty: 2 });
    expect(penalised.sequences).toEqual([[C, D]]);
  });

  it('batches inputs, drops a finished input, keeps each input’s conditioning', async () => {
    // QUICK is done after step 1 (EOS at step 0 and D EOS at step 1 fill both slots).
    const QUICK: NgramTable = { [BOS]: { [EOS]: 0.5, [D]: 0.5 }, [D]: { [EOS]: 1 } };
    const m = model(MYOPIC, QUICK);
    const r = await generate(m, { ...beam, batchSize: 2, earlyStopping: true, numReturnSequences: 2 });
    expect(r.sequences).toEqual([[B, C], [A, C], [D], []]);
    expect(r.scores[2]).toBeCloseTo(Math.log(0.5) / 2, 5);
    // Step 0 fans out MYOPIC to [A, B] and QUICK to its one running beam [D]; after step 1 only
    // MYOPIC's beams (parents B = row 1, A = row 0) stay in the batch.
    expect(m.calls.slice(2)).toEqual([
      { kind: 'reorder', indices: [0, 0, 1] },
      { kind: 'step', tokens: [[A], [B], [D]] },
      { kind: 'reorder', indices: [1, 0] },
      { kind: 'step', tokens: [[C], [C]] },
    ]);
    // Same answers as decoding each input alone.
    const alone = await generate(model(QUICK), { ...beam, earlyStopping: true, numReturnSequences: 2 });
    expect(alone.sequences).toEqual([[D], []]);
  });

  it('is deterministic and validates numReturnSequences', async () => {
    const a = await generate(model(MYOPIC), { ...beam, numBeams: 3, numReturnSequences: 3 });
    const b = await generate(model(MYOPIC), { ...beam, numBeams: 3, numReturnSequences: 3 });
    expect(a).toEqual(b);
    await expect(generate(model(MYOPIC), { ...beam, numReturnSequences: 3 })).rejects.toThrow(/numReturnSequences/);
  });
});

describe('BeamHypotheses', () => {
  it('keeps the best numBeams and judges doneness like HF', () => {
    const h = new BeamHypotheses(2, 1, false, 20);
    h.add([1], [], -2, 2, true); // -1
    h.add([2], [], -6, 3, true); // -2
    h.add([3], [], -4, 4, true); // -1, replaces -2
    expect(h.best(2).map((x) => x.tokens)).toEqual([[1], [3]]);
    expect(h.worstScore).toBe(-1);
    // Best running sum -3 at length 2 → -1.5 cannot beat the worst kept (-1).
    expect(h.isDone(-3, 2)).toBe(true);
    expect(h.isDone(-1, 2)).toBe(false);
    // 'never' with a positive penalty assumes the longest possible finish: -3 / 20 > -1.
    const never = new BeamHypotheses(2, 1, 'never', 20);
    never.add([1], [], -2, 2, true);
    never.add([3], [], -4, 4, true);
    expect(never.isDone(-3, 2)).toBe(false);
    const early = new BeamHypotheses(2, 1, true, 20);
    early.add([1], [], -2, 2, true);
    expect(early.isDone(0, 2)).toBe(false);
    early.add([1], [], -200, 2, true);
    expect(early.isDone(0, 2)).toBe(true);
  });
});
