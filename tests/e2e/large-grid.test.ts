/**
 * The grid with 100,000 images in real Chromium: it renders only what is on screen, reaches
 * the last image from the keyboard, and keeps the DOM small wherever the user scrolls.
 * (Frame times are measured by `npm run bench grid-scroll`, not here.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../../electron/storage/project.js';
import { seedImages } from '../fixtures/seed-images.js';
import { launchChromium } from './support/browser.js';
import { startServe, type RunningServer } from './support/serve.js';

const N = 100_000;
let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'rt-large-')), 'project');
  const project = Project.create(dir, 'Large');
  seedImages(project, N);
  project.dispose();
  server = await startServe([dir]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  // The seeded images have no files behind them; answer thumbnail requests with nothing.
  await page.route('**/media/**', (route) => route.fulfill({ status: 204 }));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const cellCount = (p: Page) => p.getByTestId('grid-cell').count();

describe('grid with 100,000 images', () => {
  it('renders a bounded window of cells and reaches the end by keyboard and by scrolling', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('grid-total').textContent()).toMatch(/100,000|100 000|100000/);
    await expect.poll(() => cellCount(page)).toBeGreaterThan(10);
    expect(await cellCount(page)).toBeLessThan(300);

    await page.getByTestId('image-grid').focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.locator(`[data-testid="grid-cell"][data-index="${N - 1}"]`).count()).toBe(1);
    await expect.poll(() => page.locator('[data-testid="grid-cell"][data-index="99999"]').textContent()).toContain('img_100000.jpg');
    expect(await cellCount(page)).toBeLessThan(300);

    // Jump around with the scrollbar: wherever it lands, the cells there are filled and few.
    const grid = page.getByTestId('image-grid');
    for (const fraction of [0.5, 0.1, 0.77]) {
      await grid.evaluate((el, f) => el.scrollTo({ top: (el.scrollHeight - el.clientHeight) * f }), fraction);
      const firstIndex = async () => Number(await page.getByTestId('grid-cell').first().getAttribute('data-index'));
      await expect.poll(async () => Math.abs((await firstIndex()) / N - fraction)).toBeLessThan(0.02);
      await expect.poll(() => page.getByTestId('grid-cell-placeholder').count(), { timeout: 10_000 }).toBe(0);
      expect(await cellCount(page)).toBeLessThan(300);
    }
  });
});
