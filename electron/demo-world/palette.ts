/**
 * The demo world's fixed vocabulary of things: shapes, colours, backgrounds, sizes and the 3×3
 * grid. Colours are far apart in RGB so that they stay tellable at 64×64 after anti-aliasing and
 * after a tiny generator's blur, and each background forbids the object colours close to it.
 */
export const IMAGE_SIZE = 64;

export const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'star'] as const;
export type Shape = (typeof SHAPES)[number];

export const COLOURS = ['red', 'green', 'blue', 'yellow', 'purple', 'orange', 'white'] as const;
export type Colour = (typeof COLOURS)[number];

export type Rgb = readonly [number, number, number];

export const COLOUR_RGB: Record<Colour, Rgb> = {
  red: [220, 30, 30],
  green: [30, 180, 50],
  blue: [40, 80, 240],
  yellow: [245, 225, 30],
  purple: [160, 50, 200],
  orange: [250, 125, 10],
  white: [250, 250, 250],
};

export const BACKGROUNDS = ['black', 'grey', 'sand', 'navy'] as const;
export type Background = (typeof BACKGROUNDS)[number];

export const BACKGROUND_RGB: Record<Background, Rgb> = {
  black: [16, 16, 16],
  grey: [120, 120, 120],
  sand: [196, 172, 128],
  navy: [20, 28, 88],
};

/** Object colours that would be hard to see on a background (RGB distance under ~125). */
export const FORBIDDEN_ON: Record<Background, readonly Colour[]> = {
  black: [],
  grey: ['purple'],
  sand: ['yellow', 'orange', 'white'],
  navy: ['blue', 'purple'],
};

export function allowedColours(background: Background): Colour[] {
  return COLOURS.filter((c) => !FORBIDDEN_ON[background].includes(c));
}

export const SIZES = ['small', 'large'] as const;
export type Size = (typeof SIZES)[number];

/** Side of an object's bounding box in pixels. */
export const SIZE_PX: Record<Size, number> = { small: 12, large: 20 };

/** Pixel centres of the grid's columns/rows: pulled in from the edges so large objects fit. */
export const GRID_CENTRES = [12, 32, 52] as const;
export type Cell = 0 | 1 | 2;

/** Largest jitter (pixels, each axis) around a cell centre. */
export const JITTER_PX: Record<Size, number> = { small: 2, large: 1 };

export function rgbDistance(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
