/**
 * Scatter plot, optionally with the least-squares line and a note (e.g. a rank correlation with
 * its interval). Built to stay small for tens of thousands of points: at most MAX_DRAWN points
 * (a deterministic subsample, said so in the note), coordinates at 0.1 px, and dots drawn as
 * zero-length round-capped subpaths of a few shared paths instead of one element per point.
 */
import { buildFrame, chartDocument, noDataMessage } from './frame.js';
import { leastSquares, lineInBox } from './least-squares.js';
import { noteBox } from './note-box.js';
import { PALETTE } from './palette.js';
import { deterministicSubsample } from '../../../shared/charts/point-sampling.js';
import { finiteExtent } from '../../../shared/charts/scale.js';
import { element, num } from './svg.js';
import type { ScatterChartSpec } from './types.js';

export const MAX_DRAWN = 20_000;

/**
 * Points are dealt round-robin into this many translucent paths. Within one path overlapping
 * dots paint once, so density shows only through the stacking of different paths: up to 8 levels.
 */
const LAYERS = 8;
const FEW = 200;

const thousands = new Intl.NumberFormat('en-US');

export function scatterChart(spec: ScatterChartSpec): string {
  const finite = spec.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const frame = buildFrame(spec, { kind: 'linear', extent: finiteExtent(finite.map((p) => p.x)) }, { extent: finiteExtent(finite.map((p) => p.y)) });

  const drawn = deterministicSubsample(finite, MAX_DRAWN);
  const pixels = drawn.map((p) => ({ x: frame.x(p.x), y: frame.y(p.y) }));
  const data: string[] = finite.length === 0 ? [noDataMessage(frame)] : dots(pixels);

  const fit = spec.fitLine ? leastSquares(finite) : undefined;
  const segment = fit && lineInBox(fit, frame.xDomain, frame.yDomain);
  if (segment) {
    const [[x0, y0], [x1, y1]] = segment;
    data.push(element('path', { d: `M${num(frame.x(x0))} ${num(frame.y(y0))}L${num(frame.x(x1))} ${num(frame.y(y1))}`, stroke: PALETTE[3], 'stroke-width': 2 }));
  }

  const notes = (spec.note ?? '').split('\n');
  if (drawn.length < finite.length) notes.push(`showing ${thousands.format(drawn.length)} of ${thousands.format(finite.length)} points (deterministic subsample)`);
  const skipped = spec.points.length - finite.length;
  if (skipped > 0) notes.push(`${thousands.format(skipped)} non-finite point${skipped === 1 ? '' : 's'} skipped`);
  data.push(noteBox(notes, frame.plot, pixels));

  return chartDocument(frame, data);
}

function dots(pixels: readonly { x: number; y: number }[]): string[] {
  const layers = pixels.length <= FEW ? 1 : LAYERS;
  const width = pixels.length <= 1000 ? 5 : pixels.length <= 5000 ? 4 : 3;
  const subpaths = Array.from({ length: layers }, () => new Set<string>());
  // A Set per layer: dots that round to the same spot would paint the same pixels anyway.
  pixels.forEach((p, i) => subpaths[i % layers]!.add(`M${num(p.x)} ${num(p.y)}h0`));
  return subpaths
    .filter((layer) => layer.size > 0)
    .map((layer) =>
      element('path', { d: [...layer].join(''), stroke: PALETTE[0], 'stroke-opacity': layers === 1 ? 0.75 : 0.35, 'stroke-width': width, 'stroke-linecap': 'round' }),
    );
}
