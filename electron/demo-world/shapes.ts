/**
 * Point-in-shape tests in pixel coordinates, for an object centred at (cx, cy) whose bounding
 * box is `size` pixels wide. Pure arithmetic, so rendering is bit-for-bit reproducible.
 */
import type { Shape } from './palette.js';

/** Star: 5 points, inner radius as a share of the outer; fat enough to survive 12 px. */
const STAR_INNER = 0.45;
/** A square looks bigger than a circle of the same box; shrink it a little to even them out. */
const SQUARE_SCALE = 0.86;

const STAR_UNIT: readonly (readonly [number, number])[] = Array.from({ length: 10 }, (_, i) => {
  const angle = -Math.PI / 2 + (i * Math.PI) / 5;
  const r = i % 2 === 0 ? 1 : STAR_INNER;
  return [r * Math.cos(angle), r * Math.sin(angle)] as const;
});
/** The unit star's vertical extent, so that its box can be centred on the object centre. */
const STAR_TOP = Math.min(...STAR_UNIT.map(([, y]) => y));
const STAR_BOTTOM = Math.max(...STAR_UNIT.map(([, y]) => y));

export function insideShape(shape: Shape, px: number, py: number, cx: number, cy: number, size: number): boolean {
  const h = size / 2;
  const dx = px - cx;
  const dy = py - cy;
  switch (shape) {
    case 'circle':
      return dx * dx + dy * dy <= h * h;
    case 'square':
      return Math.abs(dx) <= h * SQUARE_SCALE && Math.abs(dy) <= h * SQUARE_SCALE;
    case 'diamond':
      return Math.abs(dx) + Math.abs(dy) <= h;
    case 'triangle': {
      // Apex at the top centre, base along the bottom edge of the box.
      if (dy > h || dy < -h) return false;
      const halfWidth = ((dy + h) / (2 * h)) * h;
      return Math.abs(dx) <= halfWidth;
    }
    case 'star': {
      // Scale the unit star so that it spans the box vertically, centred on (cx, cy).
      const scale = size / (STAR_BOTTOM - STAR_TOP);
      const uy = dy / scale + (STAR_TOP + STAR_BOTTOM) / 2;
      return insidePolygon(STAR_UNIT, dx / scale, uy);
    }
  }
}

/** Even–odd ray casting. */
function insidePolygon(points: readonly (readonly [number, number])[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i]!;
    const [xj, yj] = points[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
