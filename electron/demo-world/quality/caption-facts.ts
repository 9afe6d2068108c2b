/**
 * Which facts of its scene a caption states — the background, the main object's grid cell, the
 * number of objects — and whether a generated image shows them. A fact is judged only on the
 * captions that state it: "a red star" says nothing about the background, so a generator that
 * picks one is not wrong. tools/demo-world/scene_facts.py is the Python twin the training tools
 * use; the two follow the same rules.
 *
 * Stated means:
 * - background: a specific word of the plain or precise register (black, grey/gray, beige,
 *   sandy, sand coloured, dark blue, navy, navy blue); the vague words (dark, light, pale, dull)
 *   name no single background;
 * - main object's cell: a plain or precise phrase of exactly that cell ("in the top left",
 *   "in the exact centre"), matched longest first so that "at the top left" is not also "at the top";
 * - count: a counting lead ("three shapes: …", "a single …") or every object named by its colour,
 *   a count word before a colour multiplying it ("two red stars").
 */
import { BACKGROUND_RGB, BACKGROUNDS, type Background, type Cell, COLOURS, type Colour, rgbDistance } from '../palette.js';
import type { Scene } from '../scene.js';
import { BACKGROUND_WORDS, PLAIN_POSITIONS, PRECISE_POSITIONS } from '../vocabulary.js';
import type { RgbImage } from './split-records.js';
import { blobs, type TemplateJudge } from './template-judge.js';

function words(caption: string): string[] {
  return caption.toLowerCase().match(/[a-z]+/g) ?? [];
}

/** " w1 w2 … " so that phrases match on whole words with a plain substring test. */
function spaced(caption: string): string {
  return ` ${words(caption).join(' ')} `;
}

export function statesBackground(caption: string, background: Background): boolean {
  const text = spaced(caption);
  const specific = new Set([...BACKGROUND_WORDS[background].plain, ...BACKGROUND_WORDS[background].precise]);
  return [...specific].some((w) => text.includes(` ${w} `));
}

const CELL_PHRASES: { phrase: string; x: Cell; y: Cell }[] = [PLAIN_POSITIONS, PRECISE_POSITIONS]
  .flatMap((table) => table.flatMap((row, y) => row.flatMap((cell, x) => cell.map((phrase) => ({ phrase, x: x as Cell, y: y as Cell })))))
  .sort((a, b) => b.phrase.length - a.phrase.length);

/** Cells named by full cell phrases, as "x,y". */
export function statedCells(caption: string): Set<string> {
  let text = spaced(caption);
  const cells = new Set<string>();
  for (const { phrase, x, y } of CELL_PHRASES) {
    while (text.includes(` ${phrase} `)) {
      text = text.replace(` ${phrase} `, ' | ');
      cells.add(`${x},${y}`);
    }
  }
  return cells;
}

export function statesMainPosition(caption: string, scene: Scene): boolean {
  const main = scene.objects[0]!;
  return statedCells(caption).has(`${main.x},${main.y}`);
}

const COUNT_WORDS: Record<string, number> = { two: 2, three: 3, pair: 2, couple: 2 };
const SINGLE_LEADS = ['a single', 'just one', 'only one'];
const COUNT_LEAD = /^(two|three|a pair of|a couple of) (shapes|things|objects)\b/;

export function statesCount(caption: string, scene: Scene): boolean {
  const ws = words(caption);
  const n = scene.objects.length;
  if (SINGLE_LEADS.includes(ws.slice(0, 2).join(' '))) return n === 1;
  const lead = COUNT_LEAD.exec(ws.join(' '));
  if (lead) return COUNT_WORDS[lead[1]!.replace(/^a (pair|couple) of$/, '$1')] === n;
  let named = 0;
  const colours = new Set<Colour>();
  ws.forEach((w, i) => {
    const colour = (w === 'violet' ? 'purple' : w) as Colour;
    if (!COLOURS.includes(colour) || (w === 'blue' && ws[i - 1] === 'dark')) return; // "dark blue" is the navy background
    const multiplier = ws.slice(Math.max(0, i - 3), i).find((p) => p in COUNT_WORDS);
    named += multiplier ? COUNT_WORDS[multiplier]! : 1;
    colours.add(colour);
  });
  const sceneColours = new Set(scene.objects.map((o) => o.colour));
  return named === n && colours.size === sceneColours.size && [...colours].every((c) => sceneColours.has(c));
}

/** The background of a picture: the scene background nearest the most common border colour. */
export function backgroundOf(image: RgbImage): Background {
  const counts = new Map<number, number>();
  const { rgb, width: W, height: H } = image;
  for (let i = 0; i < W; i++) {
    for (const p of [i, (H - 1) * W + i, i * W, i * W + W - 1]) {
      const key = (rgb[p * 3]! << 16) | (rgb[p * 3 + 1]! << 8) | rgb[p * 3 + 2]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  let [mode, best] = [0, -1];
  for (const [key, n] of counts) if (n > best || (n === best && key < mode)) [mode, best] = [key, n];
  const colour = [mode >> 16, (mode >> 8) & 255, mode & 255] as const;
  return BACKGROUNDS.reduce((a, b) => (rgbDistance(colour, BACKGROUND_RGB[b]) < rgbDistance(colour, BACKGROUND_RGB[a]) ? b : a));
}

/** Which third of the picture a pixel coordinate falls in. */
export function thirdOf(v: number, side: number): Cell {
  return Math.min(2, Math.floor((v * 3) / side)) as Cell;
}

export interface FactJudgement {
  colourAndShape: boolean;
  /** null: the caption does not state the fact. */
  background: boolean | null;
  position: boolean | null;
  count: boolean | null;
}

/**
 * The stated facts of `caption` checked on `image`: the main object's colour and shape (some blob
 * has both), the background, the main object's cell (a blob of its colour and shape — else of
 * its colour — whose centroid lies in that third across and down), the number of blobs.
 */
export function judgeFacts(image: RgbImage, scene: Scene, caption: string, judge: TemplateJudge): FactJudgement {
  const main = scene.objects[0]!;
  const found = blobs(image);
  const got = found.map((b) => judge.classify(b));
  const both = found.filter((_, i) => got[i]!.colour === main.colour && got[i]!.shape === main.shape);
  const candidates = both.length ? both : found.filter((_, i) => got[i]!.colour === main.colour);
  return {
    colourAndShape: both.length > 0,
    background: statesBackground(caption, scene.background) ? backgroundOf(image) === scene.background : null,
    position: statesMainPosition(caption, scene) ? candidates.some((b) => thirdOf(b.cx, image.width) === main.x && thirdOf(b.cy, image.height) === main.y) : null,
    count: statesCount(caption, scene) ? found.length === scene.objects.length : null,
  };
}

export interface FactShare {
  share: number | null;
  /** Images whose caption states the fact. */
  judged: number;
}

export function factShares(judged: readonly FactJudgement[]): Record<keyof FactJudgement, FactShare> {
  const share = (key: keyof FactJudgement): FactShare => {
    const values = judged.map((j) => j[key]).filter((v): v is boolean => v !== null);
    return { share: values.length ? values.filter(Boolean).length / values.length : null, judged: values.length };
  };
  return { colourAndShape: share('colourAndShape'), background: share('background'), position: share('position'), count: share('count') };
}
