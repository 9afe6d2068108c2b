/**
 * An annotator who types faster than the next image arrives: keys must never land on the image
 * still in view. Here every `review:item` reply is held back on its way to the page (the real
 * backend answers; the WebSocket route only delays it), and Enter is pressed several times in a
 * row. Each image gets at most one decision, none is skipped unseen, and pressing on after the
 * last image stores nothing more.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../../electron/storage/project.js';
import { launchChromium } from './support/browser.js';
import { invokeApi, roundtrip } from './support/cli-api.js';
import { startServe, type RunningServer } from './support/serve.js';

const IMAGES = 10;
/** Long enough that the keys below are all pressed before the images fetched ahead can arrive. */
const ITEM_DELAY_MS = 1_500;
let projectDir: string;
let server: RunningServer;
let browser: Browser;

/** Passes the page's WebSocket through to the backend, holding back the replies to `review:item`. */
async function delayReviewItems(page: Page): Promise<void> {
  await page.routeWebSocket(/\/api\/ws/, (ws) => {
    const backend = ws.connectToServer();
    const itemRequests = new Set<number>();
    ws.onMessage((message) => {
      const request = JSON.parse(String(message)) as { id: number; method: string };
      if (request.method === 'review:item') itemRequests.add(request.id);
      backend.send(message);
    });
    backend.onMessage((message) => {
      const reply = JSON.parse(String(message)) as { kind: string; id?: number };
      if (reply.kind === 'reply' && reply.id !== undefined && itemRequests.has(reply.id)) setTimeout(() => ws.send(message), ITEM_DELAY_MS);
      else ws.send(message);
    });
  });
}

function decisionsPerImage(): Map<number, number> {
  const project = Project.open(projectDir);
  try {
    const ids = project.images.list({ offset: 0, limit: IMAGES }).items.map((i) => i.id);
    return new Map(ids.map((id) => [id, project.decisions.history(id).length]));
  } finally {
    project.dispose();
  }
}

beforeAll(async () => {
  projectDir = join(mkdtempSync(join(tmpdir(), 'rt-e2e-fast-keys-')), 'demo');
  roundtrip('demo', projectDir, '--count', String(IMAGES), '--seed', '3');
  roundtrip('suggest', projectDir, '--candidates', '2', '--steps', '2');
  server = await startServe([projectDir, '--user', 'fast']);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('review keys faster than the images', () => {
  it('decides each image at most once and skips none while the next image is still loading', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await delayReviewItems(page);
    await page.goto(server.url);
    await page.getByTestId('open-review').click();
    const view = page.getByTestId('review-view');
    await expect.poll(() => view.getAttribute('data-image-id'), { timeout: 20_000 }).toMatch(/^\d+$/);
    const queue = (await invokeApi(server, 'review:queue', { order: 'dataset', status: 'undecided', limit: 100 })).items.map((e) => e.imageId);
    expect(queue).toHaveLength(IMAGES);

    // The images a few places ahead are fetched while the annotator works; pressing on faster than
    // they arrive runs into the first one that has not, and the keys after that are turned away.
    for (let i = 0; i < IMAGES - 1; i++) await page.keyboard.press('Enter');
    await page.waitForTimeout(ITEM_DELAY_MS + 500);
    const index = Number(await view.getAttribute('data-index'));
    expect(index, 'some keys arrived before their image').toBeLessThan(IMAGES - 1);
    expect(Number(await view.getAttribute('data-image-id'))).toBe(queue[index]);
    await expect.poll(() => [...decisionsPerImage().values()].reduce((a, b) => a + b, 0)).toBe(index);
    // Decided: exactly the images shown before this one, once each; nothing after it.
    const counts = decisionsPerImage();
    expect(queue.map((id) => counts.get(id))).toEqual(queue.map((_, i) => (i < index ? 1 : 0)));

    // On through the rest of the queue one image at a time, then past its end.
    for (let i = index; i < IMAGES; i++) {
      const current = await view.getAttribute('data-image-id');
      await page.keyboard.press('Enter');
      if (i < IMAGES - 1) await expect.poll(() => view.getAttribute('data-image-id'), { timeout: 5_000 }).not.toBe(current);
    }
    for (let i = 0; i < 3; i++) await page.keyboard.press('Enter');
    await expect.poll(() => [...decisionsPerImage().values()].reduce((a, b) => a + b, 0)).toBe(IMAGES);
    await page.waitForTimeout(500);
    expect([...decisionsPerImage().values()]).toEqual(Array(IMAGES).fill(1));

    // A second thought on the last image, typed: the edit is stored, not turned away with the keys.
    await page.keyboard.press('e');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('a second thought');
    await page.keyboard.press('Enter');
    const last = queue.at(-1)!;
    await expect.poll(() => decisionsPerImage().get(last)).toBe(2);
    expect((await invokeApi(server, 'images:get', { id: last })).caption).toBe('a second thought');
    await page.close();
  });
});
