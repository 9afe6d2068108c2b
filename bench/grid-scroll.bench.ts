/**
 * Smoothness of the 100,000-image grid in headless Chromium: scrolls continuously (a fixed
 * distance per animation frame, like a fast trackpad fling) and prints frame-interval
 * percentiles, long frames, and the DOM size. The same measurement at 1,000 images is the
 * baseline: the ratio says whether dataset size costs anything per frame.
 */
import { withSeededGrid } from './support/seeded-grid.js';

interface ScrollStats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  over50ms: number;
  cells: number;
}

async function measure(count: number): Promise<ScrollStats> {
  return withSeededGrid(count, async ({ server, newPage }) => {
    const page = await newPage();
    await page.goto(server.url);
    await page.getByTestId('grid-cell').first().waitFor();
    return await page.getByTestId('image-grid').evaluate(
      (grid) =>
        new Promise<ScrollStats>((resolve) => {
          const intervals: number[] = [];
          let last = performance.now();
          const started = last;
          const step = () => {
            const now = performance.now();
            intervals.push(now - last);
            last = now;
            grid.scrollTop += 400;
            if (grid.scrollTop + grid.clientHeight >= grid.scrollHeight) grid.scrollTop = 0;
            if (now - started < 5000) requestAnimationFrame(step);
            else {
              intervals.sort((a, b) => a - b);
              const at = (q: number) => intervals[Math.min(intervals.length - 1, Math.floor(q * intervals.length))]!;
              resolve({
                frames: intervals.length,
                p50: at(0.5),
                p95: at(0.95),
                max: intervals[intervals.length - 1]!,
                over50ms: intervals.filter((i) => i > 50).length,
                cells: grid.querySelectorAll('[data-testid="grid-cell"], [data-testid="grid-cell-placeholder"]').length,
              });
            }
          };
          requestAnimationFrame(step);
        }),
    );
  });
}

const fmt = (s: ScrollStats) =>
  `${s.frames} frames, p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(0)} ms, >50 ms: ${s.over50ms}, cells in DOM (filled or placeholder): ${s.cells}`;

const small = await measure(1_000);
console.log(`1,000 images:   ${fmt(small)}`);
const large = await measure(100_000);
console.log(`100,000 images: ${fmt(large)}`);
console.log(`ratio 100k/1k: p50 ${(large.p50 / small.p50).toFixed(2)}×, p95 ${(large.p95 / small.p95).toFixed(2)}×`);
