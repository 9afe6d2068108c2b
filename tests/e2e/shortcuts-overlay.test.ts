/**
 * The shortcuts overlay of each view lists exactly that view's key table (the table its keydown
 * handler reads), and while it is open it holds the keyboard: Esc closes it, and a view's key
 * pressed behind it does nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRID_KEYS } from '../../renderer/src/lib/grid/grid-keys.js';
import { IMAGE_KEYS } from '../../renderer/src/lib/image/image-keys.js';
import { overlayRows, type KeyTable } from '../../renderer/src/lib/keys/key-table.js';
import { writeCocoFixture } from '../fixtures/make-images.js';
import { launchChromium } from './support/browser.js';
import { startServe, type RunningServer } from './support/serve.js';

let root: string;
let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rt-e2e-keys-'));
  const fixture = await writeCocoFixture(join(root, 'coco'), 3);
  server = await startServe([], { ROUNDTRIP_HOME: join(root, 'home') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.getByTestId('switch-project').click();
  await page.getByTestId('create-project-path').fill(join(root, 'project'));
  await page.getByTestId('create-project-name').fill('Keys');
  await page.getByTestId('create-project-form').getByRole('button', { name: 'Create' }).click();
  await page.getByTestId('import-coco-file').fill(fixture.file);
  await page.getByTestId('import-coco-images').fill(fixture.imagesDir);
  await page.getByTestId('import-coco').click();
  await page.getByTestId('grid-cell').nth(2).waitFor({ timeout: 30_000 });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function shownRows(): Promise<{ keys: string; description: string }[]> {
  const overlay = page.getByTestId('shortcuts-overlay');
  const keys = await overlay.locator('dt').allTextContents();
  const descriptions = await overlay.locator('dd').allTextContents();
  return keys.map((k, i) => ({ keys: k.trim(), description: (descriptions[i] ?? '').trim() }));
}

async function expectOverlayLists(table: KeyTable<unknown>): Promise<void> {
  await page.keyboard.press('?');
  await page.getByTestId('shortcuts-overlay').waitFor();
  expect(await shownRows()).toEqual(overlayRows(table));
}

describe('shortcuts overlay', () => {
  it('lists exactly the key table of the grid and of the image view, and holds the keys while open', async () => {
    await page.getByTestId('image-grid').focus();
    await expectOverlayLists(GRID_KEYS);
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-overlay').waitFor({ state: 'detached' });
    // The keys are the grid's again: Enter opens the focused image.
    await page.keyboard.press('Enter');
    const view = page.getByTestId('image-view');
    await view.waitFor();

    await expectOverlayLists(IMAGE_KEYS);
    // r (reject) behind the overlay is not the view's.
    await page.keyboard.press('r');
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts-overlay').waitFor({ state: 'detached' });
    await page.keyboard.press('r');
    // One rejection, from the press after the overlay closed: the one behind it never reached the view.
    const rejections = page.locator('[data-testid="decision-history"] li[data-action="reject"]');
    await expect.poll(() => rejections.count()).toBe(1);
    await page.waitForTimeout(300);
    expect(await rejections.count()).toBe(1);
  });
});
