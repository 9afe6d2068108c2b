/**
 * Tells the five shapes apart from a binary mask with features a person could check: where the
 * mass and the widest row sit (a triangle pointing up is bottom-heavy), solidity (area over
 * convex-hull area: a star is the only concave shape), how far the pixels reach into the box's
 * corners and how spread out they are (square > circle > diamond).
 */
import type { Shape } from './palette.js';

export interface ShapeFeatures {
  fill: number;
  solidity: number;
  /** Centroid height within the box: 0 top, 1 bottom. */
  massY: number;
  /** Height of the widest row within the box: 0 top, 1 bottom (≈1 for a triangle pointing up). */
  widestY: number;
  /** Farthest reach along a diagonal, |u| + |v| with u, v ∈ [-1, 1] across the box: 2 for a square's corners, 1.41 a circle, 1 a diamond. */
  cornerReach: number;
  /** Mean of u² + v² over the pixels, halved: 0.33 for a square, 0.25 a circle, 0.17 a diamond. */
  spread: number;
}

export function shapeFeatures(xs: readonly number[], ys: readonly number[]): ShapeFeatures | null {
  if (xs.length < 3) return null;
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const area = xs.length;
  const fill = area / ((x1 - x0 + 1) * (y1 - y0 + 1));
  // Hull of pixel corners, so that a filled convex blob scores ≈ its hull.
  const corners: [number, number][] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    corners.push([x, y], [x + 1, y], [x, y + 1], [x + 1, y + 1]);
  }
  const hull = convexHullArea(corners);
  const meanY = ys.reduce((s, y) => s + y, 0) / area + 0.5;
  const widths = new Array<number>(y1 - y0 + 1).fill(0);
  for (const y of ys) widths[y - y0]!++;
  const widest = Math.max(...widths);
  // Several rows can tie (a square): take the middle of the tied ones.
  const tied = widths.flatMap((w, i) => (w >= widest - 0.5 ? [i] : []));
  const widestY = ((tied[0]! + tied[tied.length - 1]!) / 2 + 0.5) / widths.length;
  const [cx, cy, hx, hy] = [(x0 + x1 + 1) / 2, (y0 + y1 + 1) / 2, (x1 - x0 + 1) / 2, (y1 - y0 + 1) / 2];
  let cornerReach = 0;
  let squares = 0;
  for (let i = 0; i < xs.length; i++) {
    const u = (xs[i]! + 0.5 - cx) / hx;
    const v = (ys[i]! + 0.5 - cy) / hy;
    cornerReach = Math.max(cornerReach, Math.abs(u) + Math.abs(v));
    squares += u * u + v * v;
  }
  return { fill, solidity: hull > 0 ? area / hull : 0, massY: (meanY - y0) / (y1 - y0 + 1), widestY, cornerReach, spread: squares / area / 2 };
}

/**
 * Thresholds sit between the shapes' values on clean renders and were checked on blurred, noisy
 * renders (judge.test.ts), since generated images are never as crisp as the originals.
 */
export function classifyShape({ solidity, massY, widestY, cornerReach, spread }: ShapeFeatures): Shape {
  if (massY >= 0.575 && widestY >= 0.7) return 'triangle';
  if (cornerReach >= 1.6 && spread >= 0.255 && solidity >= 0.8) return 'square';
  if (solidity < 0.8 || (spread < 0.215 && cornerReach >= 1.35)) return 'star';
  return spread >= 0.215 ? 'circle' : 'diamond';
}

export function shapeOfMask(xs: readonly number[], ys: readonly number[]): Shape | null {
  const features = shapeFeatures(xs, ys);
  return features ? classifyShape(features) : null;
}

/** Andrew's monotone chain, then the shoelace formula. */
function convexHullArea(points: [number, number][]): number {
  const sorted = [...new Map(points.map((p) => [`${p[0]},${p[1]}`, p])).values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return 0;
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (pts: [number, number][]) => {
    const chain: [number, number][] = [];
    for (const p of pts) {
      while (chain.length >= 2 && cross(chain[chain.length - 2]!, chain[chain.length - 1]!, p) <= 0) chain.pop();
      chain.push(p);
    }
    chain.pop();
    return chain;
  };
  const hull = [...half(sorted), ...half([...sorted].reverse())];
  let twice = 0;
  for (let i = 0; i < hull.length; i++) {
    const [ax, ay] = hull[i]!;
    const [bx, by] = hull[(i + 1) % hull.length]!;
    twice += ax * by - bx * ay;
  }
  return Math.abs(twice) / 2;
}
