import { describe, expect, it } from 'vitest';
import { inRowChunks, takeRows } from './batching.js';

describe('inRowChunks', () => {
  // Each "run" returns its rows' indices × 10, two values per row.
  const run = (calls: number[][]) => async (indices: number[]) => {
    calls.push(indices);
    return Float32Array.from(indices.flatMap((i) => [i * 10, i * 10 + 1]));
  };

  it('runs everything at once when the graph takes any batch', async () => {
    const calls: number[][] = [];
    expect(Array.from(await inRowChunks(3, null, run(calls)))).toEqual([0, 1, 10, 11, 20, 21]);
    expect(calls).toEqual([[0, 1, 2]]);
  });

  it('splits into the fixed batch, padding the last chunk and dropping the padding', async () => {
    const calls: number[][] = [];
    expect(Array.from(await inRowChunks(3, 2, run(calls)))).toEqual([0, 1, 10, 11, 20, 21]);
    expect(calls).toEqual([[0, 1], [2, 2]]);
  });

  it('takeRows gathers (and repeats) rows', () => {
    expect(Array.from(takeRows(Float32Array.of(1, 2, 3, 4), 2, [1, 0, 1]))).toEqual([3, 4, 1, 2, 3, 4]);
  });
});
