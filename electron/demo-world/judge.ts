/**
 * The demo world's ground-truth judge: reads a 64×64 RGB picture back into objects (colour,
 * shape, size, cell) with simple rules, so that a generated image can be checked against the
 * caption it was made from ("does the main object have the right colour and shape?") without
 * any learned model. Rules, not learning: the judge must not share the generator's mistakes.
 */
import { type Cell, COLOUR_RGB, COLOURS, type Colour, GRID_CENTRES, IMAGE_SIZE, type Rgb, rgbDistance, type Shape, type Size } from './palette.js';
import { compareMain } from './scene.js';
import { shapeOfMask } from './shape-features.js';

export interface DetectedObject {
  colour: Colour;
  shape: Shape;
  size: Size;
  x: Cell;
  y: Cell;
  /** Pixels counted as inside the object. */
  area: number;
}

/** A pixel this far (RGB distance) from the background belongs to some object. */
const FOREGROUND_DISTANCE = 60;
/** Blobs smaller than this are noise, not objects (a small object covers ~70+ pixels). */
const MIN_AREA = 12;
/** Box sides from here up are "large" (large objects span 17–21 px, small ones 10–13). */
const LARGE_FROM_PX = 16;

/** Objects in a picture, main object first (largest, then leftmost, then topmost). */
export function detectObjects(pixels: Uint8Array, size = IMAGE_SIZE): DetectedObject[] {
  const background = estimateBackground(pixels, size);
  const distance = new Float32Array(size * size);
  for (let p = 0; p < size * size; p++) distance[p] = rgbDistance(rgbAt(pixels, p), background);
  const seen = new Uint8Array(size * size);
  const objects: DetectedObject[] = [];
  for (let start = 0; start < size * size; start++) {
    if (seen[start] || distance[start]! < FOREGROUND_DISTANCE) continue;
    const blob = floodFill(start, distance, seen, size);
    if (blob.length >= MIN_AREA) {
      const object = describeBlob(blob, pixels, distance, size);
      if (object) objects.push(object);
    }
  }
  return objects.sort(compareMain);
}

export interface Judgement {
  /** The main object as read from the pixels, if any object was found. */
  main: DetectedObject | null;
  colourOk: boolean;
  shapeOk: boolean;
  /** The main object has the expected colour and shape. */
  ok: boolean;
  /** Some object (main or not) has the expected colour and shape: a lenient reading. */
  appears: boolean;
  objects: DetectedObject[];
}

export function judgeScene(pixels: Uint8Array, expected: { colour: Colour; shape: Shape }): Judgement {
  const objects = detectObjects(pixels);
  const main = objects[0] ?? null;
  const colourOk = main?.colour === expected.colour;
  const shapeOk = main?.shape === expected.shape;
  const appears = objects.some((o) => o.colour === expected.colour && o.shape === expected.shape);
  return { main, colourOk, shapeOk, ok: colourOk && shapeOk, appears, objects };
}

function rgbAt(pixels: Uint8Array, p: number): Rgb {
  return [pixels[p * 3]!, pixels[p * 3 + 1]!, pixels[p * 3 + 2]!];
}

/** Per-channel median of the border pixels: objects rarely touch the border, the background always does. */
function estimateBackground(pixels: Uint8Array, size: number): Rgb {
  const border: number[] = [];
  for (let i = 0; i < size; i++) border.push(i, (size - 1) * size + i, i * size, i * size + size - 1);
  const median = (c: number) => {
    const values = border.map((p) => pixels[p * 3 + c]!).sort((a, b) => a - b);
    return values[values.length >> 1]!;
  };
  return [median(0), median(1), median(2)];
}

/** 4-connected foreground pixels reachable from `start`. */
function floodFill(start: number, distance: Float32Array, seen: Uint8Array, size: number): number[] {
  const blob: number[] = [];
  const stack = [start];
  seen[start] = 1;
  while (stack.length) {
    const p = stack.pop()!;
    blob.push(p);
    const x = p % size;
    const neighbours = [x > 0 ? p - 1 : -1, x < size - 1 ? p + 1 : -1, p - size, p + size];
    for (const q of neighbours) {
      if (q < 0 || q >= size * size || seen[q] || distance[q]! < FOREGROUND_DISTANCE) continue;
      seen[q] = 1;
      stack.push(q);
    }
  }
  return blob;
}

function describeBlob(blob: number[], pixels: Uint8Array, distance: Float32Array, size: number): DetectedObject | null {
  // The core (pixels nearly as far from the background as the farthest) carries the true colour;
  // edge pixels are blends with the background.
  const far = Math.max(...blob.map((p) => distance[p]!));
  const core = blob.filter((p) => distance[p]! >= 0.8 * far);
  const mean = [0, 1, 2].map((c) => core.reduce((sum, p) => sum + pixels[p * 3 + c]!, 0) / core.length) as unknown as Rgb;
  const colour = nearestColour(mean);
  // Inside = at least half covered, judged by distance from the background.
  const inside = blob.filter((p) => distance[p]! >= 0.5 * far);
  const xs = inside.map((p) => p % size);
  const ys = inside.map((p) => Math.floor(p / size));
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const shape = shapeOfMask(xs, ys);
  if (!shape) return null;
  const side = Math.max(x1 - x0 + 1, y1 - y0 + 1);
  return { colour, shape, size: side >= LARGE_FROM_PX ? 'large' : 'small', x: cellOf((x0 + x1 + 1) / 2), y: cellOf((y0 + y1 + 1) / 2), area: inside.length };
}

function nearestColour(rgb: Rgb): Colour {
  let best: Colour = COLOURS[0];
  for (const c of COLOURS) if (rgbDistance(rgb, COLOUR_RGB[c]) < rgbDistance(rgb, COLOUR_RGB[best])) best = c;
  return best;
}

/** Grid cell of a pixel coordinate: the nearest of the three cell centres. */
function cellOf(v: number): Cell {
  const [a, b] = [(GRID_CENTRES[0] + GRID_CENTRES[1]) / 2, (GRID_CENTRES[1] + GRID_CENTRES[2]) / 2];
  return v < a ? 0 : v < b ? 1 : 2;
}
