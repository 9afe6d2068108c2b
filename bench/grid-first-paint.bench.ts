/**
 * First paint of the grid with 100,000 images in headless Chromium (issue 7, point 3): from the
 * start of navigation to the first frame that shows grid cells (placeholders), and to the first
 * frame whose cells carry their images' names (the first page of `images:list` arrived). The first
 * load is cold (server and browser just started); the median is over the warm loads after it.
 * The same at 1,000 images is the baseline: the ratio says whether dataset size costs anything.
 * Target: under 1 s to filled cells.
 */
import { withSeededGrid } from './support/seeded-grid.js';

const LOADS = 6;

interface Paint {
  cells: number;
  filled: number;
}

declare global {
  interface Window {
    __gridPaint?: Partial<Paint>;
  }
}

async function measure(count: number): Promise<Paint[]> {
  return withSeededGrid(count, async ({ server, newPage }) => {
    const paints: Paint[] = [];
    for (let load = 0; load < LOADS; load++) {
      const page = await newPage();
      // Runs before the app's own scripts (injected by the browser, not subject to the page's CSP):
      // notes the frame after which cells, and then named cells, are in the DOM.
      await page.addInitScript(() => {
        const paint: Partial<Paint> = (window.__gridPaint = {});
        const stamp = (key: keyof Paint) => requestAnimationFrame(() => (paint[key] ??= performance.now()));
        new MutationObserver(() => {
          if (paint.cells === undefined && document.querySelector('[data-testid="grid-cell"], [data-testid="grid-cell-placeholder"]')) stamp('cells');
          if (paint.filled === undefined && document.querySelector('[data-testid="grid-cell"]')) stamp('filled');
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(server.url);
      await page.waitForFunction(() => window.__gridPaint?.filled !== undefined && window.__gridPaint.cells !== undefined);
      paints.push((await page.evaluate(() => window.__gridPaint)) as Paint);
      await page.close();
    }
    return paints;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const report = (label: string, paints: Paint[]) => {
  const [cold, ...warm] = paints;
  const filled = median(warm.map((p) => p.filled));
  console.log(
    `${label.padEnd(15)} cold: cells ${cold!.cells.toFixed(0)} ms, filled ${cold!.filled.toFixed(0)} ms · warm median of ${warm.length}: cells ${median(warm.map((p) => p.cells)).toFixed(0)} ms, filled ${filled.toFixed(0)} ms`,
  );
  return { cold: cold!.filled, warm: filled };
};

const small = report('1,000 images', await measure(1_000));
const large = report('100,000 images', await measure(100_000));
console.log(`ratio 100k/1k (filled, warm): ${(large.warm / small.warm).toFixed(2)}×`);
console.log(`target: first paint of filled cells under 1 s at 100,000 images — ${Math.max(large.cold, large.warm) < 1000 ? 'met' : 'NOT met'} (cold ${large.cold.toFixed(0)} ms, warm ${large.warm.toFixed(0)} ms)`);
