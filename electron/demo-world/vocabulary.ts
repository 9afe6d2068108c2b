/**
 * The words annotators use for each fact, in three registers: `plain` (what most people say),
 * `precise` (the expert's word the others lack — the demo's "lemur" to their "monkey") and
 * `vague` (a stand-in that is true but says less). The vocabulary is kept small (~130 words) so
 * tiny models can learn it; captions.ts combines these into sentences.
 */
import type { Background, Cell, Colour, Shape, Size } from './palette.js';
import type { Rng } from './prng.js';

export type Register = 'plain' | 'precise' | 'vague';

type Noun = readonly [singular: string, plural: string];

const SHAPE_NOUNS: Record<Shape, { plain: readonly Noun[]; precise: readonly Noun[]; vague: readonly Noun[] }> = {
  circle: {
    plain: [['circle', 'circles'], ['circle', 'circles'], ['ball', 'balls'], ['disc', 'discs']],
    precise: [['circle', 'circles']],
    vague: [['round thing', 'round things'], ['dot', 'dots']],
  },
  square: {
    plain: [['square', 'squares'], ['square', 'squares'], ['box', 'boxes'], ['block', 'blocks']],
    precise: [['square', 'squares']],
    vague: [['block', 'blocks']],
  },
  triangle: {
    plain: [['triangle', 'triangles']],
    precise: [['triangle pointing up', 'triangles pointing up']],
    vague: [['pointy thing', 'pointy things']],
  },
  diamond: {
    plain: [['diamond', 'diamonds']],
    precise: [['rhombus', 'rhombuses']],
    vague: [['pointy thing', 'pointy things']],
  },
  star: {
    plain: [['star', 'stars']],
    precise: [['five pointed star', 'five pointed stars']],
    vague: [['pointy thing', 'pointy things']],
  },
};

/** Nouns that fit any shape: the vaguest words of all. */
const GENERIC_NOUNS: readonly Noun[] = [
  ['shape', 'shapes'],
  ['thing', 'things'],
  ['object', 'objects'],
];

export function shapeNoun(shape: Shape, register: Register, rng: Rng, plural = false): string {
  const nouns = register === 'vague' ? (rng.chance(0.6) ? GENERIC_NOUNS : SHAPE_NOUNS[shape].vague) : SHAPE_NOUNS[shape][register];
  return rng.pick(nouns)[plural ? 1 : 0];
}

export function genericNoun(rng: Rng, plural = false): string {
  return rng.pick(GENERIC_NOUNS)[plural ? 1 : 0];
}

export function colourWord(colour: Colour, register: Register): string {
  return register === 'precise' && colour === 'purple' ? 'violet' : colour;
}

const SIZE_WORDS: Record<Size, readonly string[]> = { large: ['large', 'big'], small: ['small', 'little', 'tiny'] };

export function sizeWord(size: Size, rng: Rng): string {
  return rng.pick(SIZE_WORDS[size]);
}

/** Phrases per grid cell, indexed [y][x]. */
export type CellPhrases = readonly (readonly (readonly string[])[])[];

export const PLAIN_POSITIONS: CellPhrases = [
  [['at the top left', 'in the top left', 'in the upper left'], ['at the top', 'near the top'], ['at the top right', 'in the top right', 'in the upper right']],
  [['on the left', 'on the left side'], ['in the middle', 'in the centre', 'in the center'], ['on the right', 'on the right side']],
  [['at the bottom left', 'in the bottom left', 'in the lower left'], ['at the bottom', 'near the bottom'], ['at the bottom right', 'in the bottom right', 'in the lower right']],
];

export const PRECISE_POSITIONS: CellPhrases = [
  [['in the top left corner', 'in the upper left corner'], ['at the top centre', 'in the middle of the top edge'], ['in the top right corner', 'in the upper right corner']],
  [['in the middle of the left side', 'on the left edge'], ['in the exact centre', 'right in the centre'], ['in the middle of the right side', 'on the right edge']],
  [['in the bottom left corner', 'in the lower left corner'], ['at the bottom centre', 'in the middle of the bottom edge'], ['in the bottom right corner', 'in the lower right corner']],
];

/** One axis only (undefined where the middle would mislead about the other axis). */
const ROW_ONLY = ['near the top', undefined, 'low down'] as const;
const COLUMN_ONLY = ['on the left', undefined, 'on the right'] as const;

export function positionPhrase(x: Cell, y: Cell, register: Register, rng: Rng): string {
  if (register === 'plain') return rng.pick(PLAIN_POSITIONS[y]![x]!);
  if (register === 'precise') return rng.pick(PRECISE_POSITIONS[y]![x]!);
  // Vague: keep one axis, or fall back to words that are true but tell little.
  const fuzzy = x === 1 && y === 1 ? 'somewhere in the middle' : y === 1 ? 'on the side' : x === 1 ? 'off centre' : 'near a corner';
  const options = [ROW_ONLY[y], COLUMN_ONLY[x], fuzzy].filter((o): o is NonNullable<typeof o> => o !== undefined);
  return rng.pick(options);
}

/** The words for two or more objects in a line (same row or same column), else undefined. */
export function linePhrase(cells: readonly { x: Cell; y: Cell }[], rng: Rng): string | undefined {
  const first = cells[0]!;
  if (cells.every((c) => c.y === first.y)) return rng.pick([['along the top', 'at the top'], ['across the middle'], ['along the bottom', 'at the bottom']][first.y]!);
  if (cells.every((c) => c.x === first.x)) return rng.pick([['on the left'], ['down the middle'], ['on the right']][first.x]!);
  return undefined;
}

export const BACKGROUND_WORDS: Record<Background, Record<Register, readonly string[]>> = {
  black: { plain: ['black'], precise: ['black'], vague: ['dark'] },
  grey: { plain: ['grey', 'gray'], precise: ['grey'], vague: ['dull', 'grey'] },
  sand: { plain: ['beige', 'sandy'], precise: ['sand coloured'], vague: ['light', 'pale'] },
  navy: { plain: ['dark blue'], precise: ['navy', 'navy blue'], vague: ['dark'] },
};

export function backgroundWord(background: Background, register: Register, rng: Rng): string {
  return rng.pick(BACKGROUND_WORDS[background][register]);
}

export function backgroundPhrase(background: Background, register: Register, rng: Rng): string {
  const word = backgroundWord(background, register, rng);
  if (register === 'vague') return `on a ${word} background`;
  return rng.pick([`on a ${word} background`, `on ${word}`, `against a ${word} background`]);
}

export function countWord(n: number, register: Register, rng: Rng): string {
  if (register === 'vague') return rng.pick(['some', 'a few']);
  if (n === 2) return rng.pick(['two', 'two', 'a pair of', 'a couple of']);
  return n === 3 ? 'three' : String(n);
}

export function withArticle(phrase: string): string {
  return `${/^[aeiou]/.test(phrase) ? 'an' : 'a'} ${phrase}`;
}

/** Words that only the precise register uses: where one annotator knows better than the rest. */
export const PRECISE_WORDS = ['violet', 'rhombus', 'rhombuses', 'pointed', 'pointing', 'corner', 'exact', 'edge', 'navy', 'coloured'] as const;
/** Words that stand in for a colour, shape or place without naming it. */
export const VAGUE_WORDS = ['shape', 'shapes', 'thing', 'things', 'object', 'objects', 'something', 'light', 'pale', 'somewhere', 'pointy', 'round'] as const;
