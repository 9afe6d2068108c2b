import { describe, expect, it } from 'vitest';
import { expectLeavesNavPrefix, expectWellFormed } from '../keys/testing/check-key-table.js';
import { GRID_KEYS, gridKey } from './grid-keys.js';

describe('gridKey', () => {
  it('moves by one across and by a row vertically', () => {
    expect(gridKey('ArrowRight', 5, 4, 100, 3)).toEqual({ kind: 'move', index: 6 });
    expect(gridKey('ArrowLeft', 5, 4, 100, 3)).toEqual({ kind: 'move', index: 4 });
    expect(gridKey('ArrowDown', 5, 4, 100, 3)).toEqual({ kind: 'move', index: 9 });
    expect(gridKey('ArrowUp', 5, 4, 100, 3)).toEqual({ kind: 'move', index: 1 });
  });

  it('clamps at the edges', () => {
    expect(gridKey('ArrowLeft', 0, 4, 100, 3)).toEqual({ kind: 'move', index: 0 });
    expect(gridKey('ArrowUp', 2, 4, 100, 3)).toEqual({ kind: 'move', index: 2 });
    expect(gridKey('ArrowRight', 99, 4, 100, 3)).toEqual({ kind: 'move', index: 99 });
    // 10 items in 4 columns: from index 7, down would be 11 which does not exist.
    expect(gridKey('ArrowDown', 7, 4, 10, 3)).toEqual({ kind: 'move', index: 7 });
    expect(gridKey('PageDown', 0, 4, 10, 3)).toEqual({ kind: 'move', index: 9 });
    expect(gridKey('End', 0, 4, 10, 3)).toEqual({ kind: 'move', index: 9 });
  });

  it('opens the current item on Enter and ignores other keys or empty grids', () => {
    expect(gridKey('Enter', 3, 4, 10, 3)).toEqual({ kind: 'open', index: 3 });
    expect(gridKey('x', 3, 4, 10, 3)).toBeNull();
    expect(gridKey('ArrowDown', 0, 4, 0, 3)).toBeNull();
  });

  it('reads every key from one table: no key means two things, every listed press reaches its action', () => {
    expectWellFormed(GRID_KEYS);
    expectLeavesNavPrefix(GRID_KEYS);
  });
});
