/**
 * The grid benches' setting: a project of `count` seeded images (rows only, no files) served in
 * browser mode, and headless Chromium; image requests are answered with nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Project } from '../../electron/storage/project.js';
import { launchChromium } from '../../tests/e2e/support/browser.js';
import { type RunningServer, startServe } from '../../tests/e2e/support/serve.js';
import { seedImages } from '../../tests/fixtures/seed-images.js';

export interface SeededGrid {
  server: RunningServer;
  browser: Browser;
  /** A 1280×720 page with media requests stubbed, not yet navigated. */
  newPage(): Promise<Page>;
}

export async function withSeededGrid<T>(count: number, use: (grid: SeededGrid) => Promise<T>): Promise<T> {
  const dir = join(mkdtempSync(join(tmpdir(), 'rt-bench-grid-')), 'project');
  const project = Project.create(dir);
  seedImages(project, count);
  project.dispose();
  const server = await startServe([dir]);
  const browser = await launchChromium();
  try {
    return await use({
      server,
      browser,
      async newPage() {
        const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
        await page.route('**/media/**', (route) => route.fulfill({ status: 204 }));
        return page;
      },
    });
  } finally {
    await browser.close();
    await server.stop();
  }
}
