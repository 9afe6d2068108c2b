/**
 * The oracle generator's reader: a demo-world caption back into a scene the renderer can draw,
 * so that "the scene renderer standing in as the generator" can be measured — the best any
 * generator could do with the same captions. It reads what the caption says (objects by colour,
 * their shape word, size word, count words, cell phrases, the background word) and draws what
 * the caption leaves open from a seeded Rng, as a generator would from its noise.
 *
 * Deliberately simple: relations ("to the left of") and line phrases ("along the top") are not
 * read, so their objects land in random free cells, as would a generator's that ignores them.
 */
import { BACKGROUNDS, type Background, type Cell, COLOURS, type Colour, GRID_CENTRES, type Shape, SHAPES, type Size } from '../palette.js';
import type { Rng } from '../prng.js';
import type { Scene, SceneObject } from '../scene.js';
import { BACKGROUND_WORDS } from '../vocabulary.js';
import { statedCells } from './caption-facts.js';

/** One- and two-word shape nouns (singular and plural), every register. */
const SHAPE_WORDS: [words: string, shape: Shape | 'any-pointy' | 'any'][] = [
  ['round thing', 'circle'], ['round things', 'circle'], ['pointy thing', 'any-pointy'], ['pointy things', 'any-pointy'],
  ['circle', 'circle'], ['circles', 'circle'], ['ball', 'circle'], ['balls', 'circle'], ['disc', 'circle'], ['discs', 'circle'], ['dot', 'circle'], ['dots', 'circle'],
  ['square', 'square'], ['squares', 'square'], ['box', 'square'], ['boxes', 'square'], ['block', 'square'], ['blocks', 'square'],
  ['triangle', 'triangle'], ['triangles', 'triangle'], ['diamond', 'diamond'], ['diamonds', 'diamond'], ['rhombus', 'diamond'], ['rhombuses', 'diamond'],
  ['star', 'star'], ['stars', 'star'],
  ['shape', 'any'], ['shapes', 'any'], ['thing', 'any'], ['things', 'any'], ['object', 'any'], ['objects', 'any'],
];
const SIZE_WORDS: Record<string, Size> = { large: 'large', big: 'large', small: 'small', little: 'small', tiny: 'small' };
const COUNT_WORDS: Record<string, number> = { two: 2, three: 3, pair: 2, couple: 2 };
const VAGUE_BACKGROUNDS: Record<string, Background[]> = { dark: ['black', 'navy'], light: ['sand'], pale: ['sand'], dull: ['grey'] };

interface Mention {
  colour: Colour | null;
  shape: Shape | null;
  size: Size | null;
  count: number;
  cell: [Cell, Cell] | null;
}

export function sceneFromCaption(caption: string, rng: Rng): Scene {
  const words = caption.toLowerCase().match(/[a-z]+/g) ?? [];
  const background = readBackground(words, rng);
  const mentions = readMentions(words, rng);
  const objects: Omit<SceneObject, 'cx' | 'cy'>[] = [];
  for (const m of mentions) {
    for (let k = 0; k < m.count; k++) {
      objects.push({ colour: m.colour ?? rng.pick(COLOURS), shape: m.shape ?? rng.pick(SHAPES), size: m.size ?? rng.pick<Size>(['small', 'large']), x: m.cell?.[0] ?? 1, y: m.cell?.[1] ?? 1 });
    }
  }
  return { background, objects: place(objects.slice(0, 9), mentions, rng) };
}

function readBackground(words: string[], rng: Rng): Background {
  const text = ` ${words.join(' ')} `;
  // background words are never object colours ("dark blue" is the navy background's)
  for (const bg of BACKGROUNDS) {
    if ([...BACKGROUND_WORDS[bg].plain, ...BACKGROUND_WORDS[bg].precise].some((w) => text.includes(` ${w} `))) return bg;
  }
  for (const [word, options] of Object.entries(VAGUE_BACKGROUNDS)) if (text.includes(` ${word} background`)) return rng.pick(options);
  return rng.pick(BACKGROUNDS);
}

/**
 * Object mentions: a colour word starts one (with the size and count words just before it and
 * the shape word and cell phrase after it, up to the next colour); a leading "three shapes"
 * or "a few things" sets how many objects there are in all, topped up with open ones.
 */
function readMentions(words: string[], rng: Rng): Mention[] {
  const isColour = (i: number) => (COLOURS as readonly string[]).includes(words[i] === 'violet' ? 'purple' : words[i]!) && !(words[i] === 'blue' && words[i - 1] === 'dark');
  const starts = words.map((_, i) => i).filter(isColour);
  const mentions: Mention[] = starts.map((start, j) => {
    const end = starts[j + 1] ?? words.length;
    const before = words.slice(Math.max(0, start - 3), start);
    const after = words.slice(start + 1, end);
    const colour = (words[start] === 'violet' ? 'purple' : words[start]) as Colour;
    const countWord = before.find((w) => w in COUNT_WORDS);
    const vagueCount = before.includes('some') || (before.includes('few') && before.includes('a'));
    return {
      colour,
      shape: shapeAfter(after, rng),
      size: SIZE_WORDS[before[before.length - 1] ?? ''] ?? SIZE_WORDS[before[before.length - 2] ?? ''] ?? null,
      count: countWord ? COUNT_WORDS[countWord]! : vagueCount ? rng.int(2, 3) : 1,
      cell: firstCell(after),
    };
  });
  const lead = /^(?:(?:there are )?(two|three|a pair of|a couple of|some|a few) (?:shapes|things|objects))/.exec(words.join(' '));
  const total = lead ? (COUNT_WORDS[lead[1]!.split(' ').find((w) => w in COUNT_WORDS) ?? ''] ?? rng.int(2, 3)) : 0;
  const named = mentions.reduce((n, m) => n + m.count, 0);
  const extra = words.join(' ').match(/\b(?:with another|and some other|and another)\b/) ? 1 : 0;
  const open = Math.max(total - named, extra, named === 0 ? 1 : 0);
  for (let k = 0; k < open; k++) mentions.push({ colour: null, shape: null, size: null, count: 1, cell: null });
  return mentions;
}

function shapeAfter(after: string[], rng: Rng): Shape | null {
  for (let i = 0; i < Math.min(after.length, 4); i++) {
    for (const [phrase, shape] of SHAPE_WORDS) {
      const n = phrase.split(' ').length;
      if (after.slice(i, i + n).join(' ') !== phrase) continue;
      if (shape === 'any') return null;
      return shape === 'any-pointy' ? rng.pick<Shape>(['triangle', 'diamond', 'star']) : shape;
    }
  }
  return null;
}

function firstCell(after: string[]): [Cell, Cell] | null {
  const cells = [...statedCells(after.join(' '))];
  if (cells.length === 0) return null;
  const [x, y] = cells[0]!.split(',').map(Number) as [Cell, Cell];
  return [x, y];
}

/** Objects with a stated cell keep it when free; the rest take random free cells. Centres sit on the grid (no jitter). */
function place(objects: Omit<SceneObject, 'cx' | 'cy'>[], mentions: Mention[], rng: Rng): SceneObject[] {
  const statedAt = new Set<number>();
  let i = 0;
  for (const m of mentions) {
    for (let k = 0; k < m.count && i < objects.length; k++, i++) if (m.cell && k === 0) statedAt.add(i);
  }
  const free = new Set(Array.from({ length: 9 }, (_, c) => c));
  const cellOf = new Array<number | undefined>(objects.length);
  objects.forEach((o, j) => {
    const c = o.y * 3 + o.x;
    if (statedAt.has(j) && free.has(c)) {
      cellOf[j] = c;
      free.delete(c);
    }
  });
  return objects.map((o, j) => {
    let c = cellOf[j];
    if (c === undefined) {
      c = rng.pick([...free]);
      free.delete(c);
    }
    const [x, y] = [(c % 3) as Cell, Math.floor(c / 3) as Cell];
    return { ...o, x, y, cx: GRID_CENTRES[x], cy: GRID_CENTRES[y] };
  });
}
