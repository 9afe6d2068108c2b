import { describe, expect, it } from 'vitest';
import { columnsFor, scrollToReveal, visibleRange } from './visible-range.js';

const base = { rowHeight: 100, columns: 4, viewportHeight: 350, overscanRows: 2 };

describe('visibleRange', () => {
  it('renders the visible rows plus overscan near the top', () => {
    const r = visibleRange({ ...base, scrollTop: 0, total: 100_000 });
    // Rows 0..3 are visible (350px / 100px), plus 2 overscan rows below.
    expect(r).toMatchObject({ firstRow: 0, endRow: 6, startIndex: 0, endIndex: 24, offsetY: 0 });
    expect(r.totalHeight).toBe(25_000 * 100);
  });

  it('stays small in the middle of 100,000 items', () => {
    const r = visibleRange({ ...base, scrollTop: 1_234_550, total: 100_000 });
    expect(r.firstRow).toBe(12_345 - 2);
    expect(r.endRow).toBe(12_349 + 2); // (1_234_550 + 350) / 100
    expect(r.offsetY).toBe(r.firstRow * 100);
    expect(r.endIndex - r.startIndex).toBeLessThanOrEqual(9 * 4);
  });

  it('clamps at the end, including a partial last row', () => {
    const r = visibleRange({ ...base, scrollTop: 1e9, total: 10 });
    // 10 items in 4 columns = 3 rows; everything fits.
    expect(r).toMatchObject({ firstRow: 0, endRow: 3, startIndex: 0, endIndex: 10 });
    const deep = visibleRange({ ...base, scrollTop: 1e9, total: 1001 });
    expect(deep.endIndex).toBe(1001);
    expect(deep.endRow).toBe(251);
  });

  it('handles empty grids and zero-size viewports', () => {
    expect(visibleRange({ ...base, scrollTop: 0, total: 0 })).toMatchObject({ startIndex: 0, endIndex: 0, totalHeight: 0 });
    const r = visibleRange({ ...base, viewportHeight: 0, scrollTop: 0, total: 50 });
    expect(r.endIndex).toBeGreaterThan(0);
  });
});

describe('columnsFor', () => {
  it('fits as many minimum-width cells as possible, at least one', () => {
    expect(columnsFor(1000, 180, 8)).toBe(5);
    expect(columnsFor(180 * 2 + 8 - 1, 180, 8)).toBe(1);
    expect(columnsFor(180 * 2 + 8, 180, 8)).toBe(2);
    expect(columnsFor(0, 180, 8)).toBe(1);
  });
});

describe('scrollToReveal', () => {
  it('scrolls up or down only when the row is not fully visible', () => {
    expect(scrollToReveal(0, 4, 100, 250, 300)).toBe(0);
    expect(scrollToReveal(12, 4, 100, 0, 300)).toBe(100); // row 3 ends at 400
    expect(scrollToReveal(8, 4, 100, 0, 300)).toBeNull();
  });
});
