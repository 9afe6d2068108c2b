import { describe, expect, it } from 'vitest';
import { categoryLabels } from './category-labels.js';

describe('categoryLabels', () => {
  it('keeps labels horizontal when each fits its slot', () => {
    expect(categoryLabels(['top-p', 'beam'], 500, 11)).toMatchObject({ labels: ['top-p', 'beam'], slanted: false, overhang: 0 });
  });

  it('slants labels that do not fit, shortening very long ones', () => {
    const long = Array.from({ length: 8 }, (_, i) => `a rather long group label that keeps going ${i}`);
    const result = categoryLabels(long, 500, 11);
    expect(result.slanted).toBe(true);
    expect(result.labels.every((l) => l.endsWith('…'))).toBe(true);
    expect(result.overhang).toBeGreaterThan(0);
    expect(result.height).toBeGreaterThan(50);
  });

  it('labels only every k-th category when even slanted labels would collide', () => {
    const result = categoryLabels(Array.from({ length: 200 }, (_, i) => `group ${i}`), 500, 11);
    const shown = result.labels.filter((l) => l !== '');
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(100);
    expect(result.labels[0]).toBe('group 0');
  });
});
