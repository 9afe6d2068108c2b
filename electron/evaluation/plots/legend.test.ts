import { describe, expect, it } from 'vitest';
import { drawLegend, layoutLegend, type LegendItem } from './legend.js';
import { seriesStyle } from './palette.js';

const items = (n: number): LegendItem[] => Array.from({ length: n }, (_, i) => ({ name: `series number ${i}`, style: seriesStyle(i), mark: 'line' }));

describe('layoutLegend', () => {
  it('puts a few items on one row', () => {
    expect(layoutLegend(items(3), 0, 620, 3)).toMatchObject({ rows: 1, hidden: 0 });
  });

  it('wraps onto more rows, then collapses the rest into "+N more"', () => {
    const wrapped = layoutLegend(items(8), 0, 620, 5);
    expect(wrapped.rows).toBeGreaterThan(1);
    expect(wrapped.hidden).toBe(0);
    const crowded = layoutLegend(items(40), 0, 620, 2);
    expect(crowded.rows).toBe(2);
    expect(crowded.hidden).toBeGreaterThan(0);
    expect(crowded.placed.length + crowded.hidden).toBe(40);
    expect(drawLegend(crowded, 0)).toContain(`+${crowded.hidden} more`);
  });
});
