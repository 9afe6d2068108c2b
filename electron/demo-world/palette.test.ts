import { describe, expect, it } from 'vitest';
import { allowedColours, BACKGROUND_RGB, BACKGROUNDS, COLOUR_RGB, COLOURS, GRID_CENTRES, IMAGE_SIZE, JITTER_PX, rgbDistance, SIZE_PX } from './palette.js';

describe('palette', () => {
  it('keeps object colours far apart from each other', () => {
    for (const a of COLOURS) for (const b of COLOURS) if (a !== b) expect(rgbDistance(COLOUR_RGB[a], COLOUR_RGB[b]), `${a}/${b}`).toBeGreaterThan(90);
  });

  it('allows on each background only colours that contrast with it, at least four of them', () => {
    for (const bg of BACKGROUNDS) {
      const allowed = allowedColours(bg);
      expect(allowed.length).toBeGreaterThanOrEqual(4);
      for (const c of allowed) expect(rgbDistance(COLOUR_RGB[c], BACKGROUND_RGB[bg]), `${c} on ${bg}`).toBeGreaterThan(125);
    }
  });

  it('fits a large object in every cell even at full jitter', () => {
    const half = SIZE_PX.large / 2 + JITTER_PX.large;
    expect(GRID_CENTRES[0] - half).toBeGreaterThanOrEqual(0);
    expect(GRID_CENTRES[2] + half).toBeLessThanOrEqual(IMAGE_SIZE);
  });
});
