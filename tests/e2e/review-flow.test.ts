/**
 * The foundation's user journey in a real headless Chromium against browser mode, as a user
 * would run it: create a project, import COCO captions with their images, see the grid, open
 * an image, edit its caption from the keyboard, export COCO JSON, and find the edit in it.
 * Screenshots of the grid and the image view are saved under artifacts/e2e/.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCocoFixture, writeSquareImage, type CocoFixture } from '../fixtures/make-images.js';
import { invokeApi } from './support/cli-api.js';
import { launchChromium } from './support/browser.js';
import { startServe, type RunningServer } from './support/serve.js';

const ARTIFACTS = join(process.cwd(), 'artifacts', 'e2e');
let root: string;
let fixture: CocoFixture;
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** Media URLs refused with 404 (an image of a project that was just switched away from, still in flight, gets one). */
const refusedMedia: string[] = [];

/** The refused media URLs that are not stale: made for the project open now (by its media key), or with no key. */
async function refusedForOpenProject(): Promise<string[]> {
  const key = (await invokeApi(server, 'app:info', {})).project?.mediaKey;
  return refusedMedia.filter((url) => new URL(url).searchParams.get('p') === key || !new URL(url).searchParams.has('p'));
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  root = mkdtempSync(join(tmpdir(), 'rt-e2e-'));
  fixture = await writeCocoFixture(join(root, 'coco'), 6);
  server = await startServe([], { ROUNDTRIP_HOME: join(root, 'home') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location().url;
    // A 404 for an image is judged by its URL below (stale after a project switch, or a real miss).
    if (m.text().startsWith('Failed to load resource') && new URL(url, 'http://x').pathname.startsWith('/media/')) refusedMedia.push(url);
    else pageErrors.push(m.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('review flow in browser mode', () => {
  it('creates a project, imports COCO, edits a caption by keyboard and exports it', async () => {
    await page.goto(server.url);
    await page.getByTestId('project-view').waitFor();
    // The URL no longer carries the token: it was traded for an HttpOnly cookie.
    expect(page.url()).not.toContain('token=');

    await page.getByTestId('switch-project').click();
    await page.getByTestId('create-project-path').fill(join(root, 'reviewed'));
    await page.getByTestId('create-project-name').fill('E2E review');
    await page.getByTestId('create-project-form').getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('E2E review');

    await page.getByTestId('import-coco-file').fill(fixture.file);
    await page.getByTestId('import-coco-images').fill(fixture.imagesDir);
    await page.getByTestId('import-coco').click();
    await expect.poll(() => page.getByTestId('grid-cell').count(), { timeout: 30_000 }).toBe(6);
    await expect.poll(() => page.getByTestId('import-panel').textContent()).toMatch(/6/);
    // Thumbnails are real images served by id.
    await expect
      .poll(() => page.locator('[data-testid="grid-cell"] img').first().evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'grid.png') });

    // Keyboard: focus the grid, move to the second image, open it.
    await page.getByTestId('image-grid').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const view = page.getByTestId('image-view');
    await view.waitFor();
    const imageId = Number(await view.getAttribute('data-image-id'));
    const expected = fixture.images[1]!;
    await expect.poll(() => view.textContent()).toContain(expected.file_name);
    await expect
      .poll(() => view.locator('img').first().evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBe(96);

    await page.keyboard.press('e');
    const editor = page.getByTestId('caption-editor');
    await expect.poll(() => editor.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('a blue lemur sitting in the middle');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('status-badge').first().textContent()).toMatch(/edited/i);
    await expect.poll(() => page.getByTestId('decision-history').textContent()).toMatch(/edit/i);
    await page.screenshot({ path: join(ARTIFACTS, 'image-view.png') });

    // Back to the grid with Esc (leaving the editor first), then export.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.getByTestId('image-grid').waitFor();
    mkdirSync(join(root, 'export'));
    const out = join(root, 'export', 'captions.json');
    await page.getByTestId('export-path').fill(out);
    await page.getByTestId('export-coco').click();
    await expect.poll(() => page.getByTestId('export-result').textContent(), { timeout: 30_000 }).toContain('captions.json');

    const exported = JSON.parse(readFileSync(out, 'utf8')) as { images: { id: number }[]; annotations: { image_id: number; caption: string }[] };
    expect(exported.images.map((i) => i.id)).toEqual(fixture.images.map((i) => i.id));
    const captions = exported.annotations.filter((a) => a.image_id === expected.id).map((a) => a.caption);
    expect(captions).toEqual(['a blue lemur sitting in the middle']);
    expect(imageId).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
    expect(await refusedForOpenProject()).toEqual([]);
  });

  it('shows each project its own pictures after switching, though image ids repeat across projects', async () => {
    // The centre pixel of the first grid thumbnail, as the page drew it (same-origin, so readable).
    const firstThumbCentre = () =>
      page.locator('[data-testid="grid-cell"] img').first().evaluate((img: HTMLImageElement) => {
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const context = canvas.getContext('2d')!;
        context.drawImage(img, 0, 0);
        const [r, g, b] = context.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data;
        return r! > b! + 80 ? 'red' : b! > r! + 80 ? 'blue' : `rgb(${r}, ${g}, ${b})`;
      });
    await page.getByTestId('image-grid').waitFor();
    await expect.poll(firstThumbCentre).toBe('red'); // the COCO fixture's first image

    mkdirSync(join(root, 'blue'));
    for (const name of ['a.png', 'b.png']) await writeSquareImage(join(root, 'blue', name), 'blue');
    await page.getByTestId('switch-project').click();
    // A relative path would be read from wherever the server was started: refused, saying why.
    await page.getByTestId('create-project-path').fill('other');
    await page.getByTestId('create-project-form').getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByTestId('project-screen').textContent()).toContain('"other" is not a full path');
    await page.getByTestId('create-project-path').fill(join(root, 'other'));
    await page.getByTestId('create-project-form').getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('import-folder-path').fill(join(root, 'blue'));
    await page.getByTestId('import-folder').click();
    await expect.poll(() => page.getByTestId('grid-cell').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(firstThumbCentre).toBe('blue'); // image 1 of this project, not the cached one of the last

    await page.getByTestId('switch-project').click();
    await page.getByTestId('open-project-path').fill(join(root, 'reviewed'));
    await page.getByTestId('open-project-form').getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByTestId('grid-cell').count(), { timeout: 30_000 }).toBe(6);
    await expect.poll(firstThumbCentre).toBe('red');
    expect(pageErrors).toEqual([]);
    expect(await refusedForOpenProject()).toEqual([]);
  });
});
