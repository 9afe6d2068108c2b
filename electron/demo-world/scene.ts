/**
 * Random scenes of the demo world: 1–3 coloured shapes on a 3×3 grid over a flat background.
 * A scene is pure data; rendering and captioning read it. Objects sit in distinct cells with a
 * clear gap between their boxes, so every object is a separate blob of pixels for the judge.
 */
import { allowedColours, BACKGROUNDS, type Background, type Cell, type Colour, GRID_CENTRES, JITTER_PX, type Shape, SHAPES, type Size, SIZE_PX } from './palette.js';
import type { Rng } from './prng.js';

export interface SceneObject {
  shape: Shape;
  colour: Colour;
  size: Size;
  /** Grid column: 0 left, 1 centre, 2 right. */
  x: Cell;
  /** Grid row: 0 top, 1 middle, 2 bottom. */
  y: Cell;
  /** Pixel centre after jitter, a whole number (render.ts relies on it); not in captions.json: the cell is the fact. */
  cx: number;
  cy: number;
}

export interface Scene {
  background: Background;
  /** The main object first (see mainObjectIndex), then the rest in reading order. */
  objects: SceneObject[];
}

/** Minimum empty pixels between two objects' boxes, so blobs never touch. */
const MIN_GAP = 2;
/** Chance that an object repeats the previous one exactly, so captions can count ("two red stars"). */
const REPEAT_CHANCE = 0.25;

export function generateScene(rng: Rng): Scene {
  const background = rng.pick(BACKGROUNDS);
  const colours = allowedColours(background);
  const count = rng.weighted<number>([
    [1, 0.3],
    [2, 0.4],
    [3, 0.3],
  ]);
  const cells = rng.shuffle(Array.from({ length: 9 }, (_, i) => [(i % 3) as Cell, Math.floor(i / 3) as Cell] as const));
  const placed: SceneObject[] = [];
  for (let i = 0; i < count; i++) {
    const previous = placed[placed.length - 1];
    const looks =
      previous && rng.chance(REPEAT_CHANCE)
        ? { shape: previous.shape, colour: previous.colour, size: previous.size }
        : { shape: rng.pick(SHAPES), colour: rng.pick(colours), size: rng.pick<Size>(['small', 'large']) };
    const object = place(rng, looks, cells, placed) ?? (looks.size === 'large' ? place(rng, { ...looks, size: 'small' }, cells, placed) : undefined);
    if (object) placed.push(object);
  }
  return { background, objects: orderObjects(placed) };
}

/** Puts the object in the first free cell (in the shuffled order) where it keeps clear of the others. */
function place(rng: Rng, looks: Pick<SceneObject, 'shape' | 'colour' | 'size'>, cells: (readonly [Cell, Cell])[], placed: SceneObject[]): SceneObject | undefined {
  const jitter = JITTER_PX[looks.size];
  for (let i = 0; i < cells.length; i++) {
    const [x, y] = cells[i]!;
    const candidate: SceneObject = { ...looks, x, y, cx: GRID_CENTRES[x] + rng.int(-jitter, jitter), cy: GRID_CENTRES[y] + rng.int(-jitter, jitter) };
    if (placed.every((other) => clear(candidate, other))) {
      cells.splice(i, 1);
      return candidate;
    }
  }
  return undefined;
}

function clear(a: SceneObject, b: SceneObject): boolean {
  const reach = (SIZE_PX[a.size] + SIZE_PX[b.size]) / 2 + MIN_GAP;
  return Math.abs(a.cx - b.cx) >= reach || Math.abs(a.cy - b.cy) >= reach;
}

/**
 * The main object is the one a person mentions first: the largest, then the leftmost, then the
 * topmost. Captions always start from it and the generator's quality check judges it.
 */
export function compareMain(a: Pick<SceneObject, 'size' | 'x' | 'y'>, b: Pick<SceneObject, 'size' | 'x' | 'y'>): number {
  const bySize = (b.size === 'large' ? 1 : 0) - (a.size === 'large' ? 1 : 0);
  return bySize || a.x - b.x || a.y - b.y;
}

function orderObjects(objects: SceneObject[]): SceneObject[] {
  const main = [...objects].sort(compareMain)[0];
  const rest = objects.filter((o) => o !== main).sort((a, b) => a.y - b.y || a.x - b.x);
  return main ? [main, ...rest] : rest;
}

export function mainObject(scene: Scene): SceneObject {
  const main = scene.objects[0];
  if (!main) throw new Error('a scene has at least one object');
  return main;
}

/** Identity of a scene's content, ignoring jitter: equal keys mean the same picture to a person. */
export function sceneKey(scene: Scene): string {
  const objects = [...scene.objects].sort((a, b) => a.y - b.y || a.x - b.x).map((o) => `${o.size} ${o.colour} ${o.shape} ${o.x}${o.y}`);
  return `${scene.background}|${objects.join(';')}`;
}

/** The scene as written to captions.json (grid cells, not pixel centres). */
export function sceneJson(scene: Scene) {
  return {
    background: scene.background,
    objects: scene.objects.map(({ shape, colour, size, x, y }) => ({ shape, colour, size, x, y })),
  };
}
