/** Ordinary least-squares line through points, and the piece of it that lies inside the plot. */

export interface LinearFit {
  intercept: number;
  slope: number;
}

/** y = intercept + slope·x over the finite points; undefined with fewer than two distinct x. */
export function leastSquares(points: readonly { x: number; y: number }[]): LinearFit | undefined {
  const finite = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (finite.length < 2) return undefined;
  const meanX = finite.reduce((s, p) => s + p.x, 0) / finite.length;
  const meanY = finite.reduce((s, p) => s + p.y, 0) / finite.length;
  // Centred sums: the raw Σx² − n·x̄² form cancels catastrophically when x̄ is large.
  let sxx = 0;
  let sxy = 0;
  for (const p of finite) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
  }
  if (!(sxx > 0)) return undefined;
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  return Number.isFinite(slope) && Number.isFinite(intercept) ? { intercept, slope } : undefined;
}

/** The segment of the line with x in xDomain and y in yDomain, or undefined when it misses the box. */
export function lineInBox(fit: LinearFit, xDomain: readonly [number, number], yDomain: readonly [number, number]): [[number, number], [number, number]] | undefined {
  const at = (x: number) => fit.intercept + fit.slope * x;
  let [x0, x1] = xDomain;
  if (fit.slope !== 0) {
    const xa = (yDomain[0] - fit.intercept) / fit.slope;
    const xb = (yDomain[1] - fit.intercept) / fit.slope;
    x0 = Math.max(x0, Math.min(xa, xb));
    x1 = Math.min(x1, Math.max(xa, xb));
  } else if (fit.intercept < yDomain[0] || fit.intercept > yDomain[1]) {
    return undefined;
  }
  if (!(x0 < x1)) return undefined;
  return [
    [x0, at(x0)],
    [x1, at(x1)],
  ];
}
