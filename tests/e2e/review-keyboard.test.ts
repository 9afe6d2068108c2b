/**
 * Issue 7, acceptance 1: an annotator reviews 20 images of a demo project with a suggest run,
 * keyboard only, in real headless Chromium against browser mode — accepting suggestions, picking
 * a lower-ranked candidate, editing one, rejecting one, skipping one, undoing one. The stored
 * decisions (who, candidate, run, final text) must match exactly; after the backend restarts they
 * and the undo history are intact and undo still works; an export holds the accepted and edited
 * captions. Screenshots of the review view in both themes (and at 200% zoom) go to artifacts/e2e/.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract/api.js';
import type { ReviewItem } from '../../shared/contract/review-schemas.js';
import { Project } from '../../electron/storage/project.js';
import { launchChromium } from './support/browser.js';
import { invokeApi, roundtrip } from './support/cli-api.js';
import { startServe, type RunningServer } from './support/serve.js';

const ARTIFACTS = join(process.cwd(), 'artifacts', 'e2e');
const USER = 'annotator';
const EDITED = 'a blue diamond alone in the lower right corner';
let root: string;
let projectDir: string;
let server: RunningServer;
let browser: Browser;
const pageErrors: string[] = [];

/** The API as scripts reach it: POST /api/invoke/<method> with the run's token. */
const api = <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => invokeApi(server, method, input);

async function openPage(colorScheme: 'light' | 'dark' = 'light', viewport = { width: 1280, height: 720 }, deviceScaleFactor = 1): Promise<Page> {
  const page = await browser.newPage({ viewport, deviceScaleFactor, colorScheme });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.goto(server.url);
  await page.getByTestId('project-view').waitFor();
  return page;
}

/** Opens the review view from the keyboard and waits for its first image. */
async function startReview(page: Page): Promise<void> {
  await page.getByTestId('open-review').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('review-view').getAttribute('data-image-id')).toMatch(/^\d+$/);
}

const shownImage = async (page: Page) => Number(await page.getByTestId('review-view').getAttribute('data-image-id'));

/** Every decision row of the project, as stored (read straight from SQLite). */
function storedDecisions(imageIds: readonly number[]) {
  const project = Project.open(projectDir);
  try {
    return imageIds.flatMap((id) => project.decisions.history(id));
  } finally {
    project.dispose();
  }
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  root = mkdtempSync(join(tmpdir(), 'rt-e2e-review-'));
  projectDir = join(root, 'demo');
  roundtrip('demo', projectDir, '--count', '24', '--seed', '5');
  roundtrip('suggest', projectDir, '--candidates', '3', '--steps', '3', '--limit', '24');
  server = await startServe([projectDir, '--user', USER]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('review from the keyboard', () => {
  it('records 20 keyboard decisions exactly, keeps them and the undo history across a restart, and exports them', async () => {
    const queue = await api('review:queue', { order: 'dataset', status: 'undecided', limit: 100 });
    expect(queue.total).toBe(24);
    const runId = queue.runId!;
    expect(runId).toBeGreaterThan(0);
    const ids = queue.items.slice(0, 20).map((e) => e.imageId);
    const items = new Map<number, ReviewItem>();
    for (const id of ids) items.set(id, await api('review:item', { imageId: id }));
    const cands = (id: number) => items.get(id)!.candidates;

    // The plan: which key presses each image gets, and the decision rows they must leave behind.
    // Away from the fixed positions 0–5 and from the last image, which is decided again after the restart.
    const lower = ids.findIndex((id, i) => i >= 6 && i < ids.length - 1 && cands(id).length >= 2);
    const redo = ids.findIndex((id, i) => i >= 6 && i < ids.length - 1 && i !== lower && cands(id).length >= 2);
    expect(lower).toBeGreaterThan(0);
    expect(redo).toBeGreaterThan(0);
    type Row = { imageId: number; action: string; finalText: string | null; candidateId: number | null; runId: number | null; referenceId?: number; undoes?: number };
    const expected: Row[] = [];
    const accept = (id: number, k: number) => expected.push({ imageId: id, action: 'accept', finalText: cands(id)[k]!.text, candidateId: cands(id)[k]!.id, runId });

    const page = await openPage();
    await startReview(page);
    for (const [i, id] of ids.entries()) {
      expect(await shownImage(page)).toBe(id);
      expect(await page.getByTestId('review-position').textContent()).toContain(`${i + 1} /`);
      if (i === 0) {
        await page.keyboard.press('?');
        await expect.poll(() => page.getByTestId('shortcuts-overlay').textContent()).toContain('Pick candidate N');
        await page.keyboard.press('?');
        await page.getByTestId('shortcuts-overlay').waitFor({ state: 'detached' });
      }
      if (i === 1) {
        // Reconstructions are real images served by candidate id.
        await expect.poll(() => page.locator('[data-testid="candidate"] img').first().evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);
        // Both themes, at the first comparison of a candidate with the source.
        await page.keyboard.press('v');
        await page.getByTestId('compare-view').waitFor();
        await page.screenshot({ path: join(ARTIFACTS, 'review-compare-light.png') });
        await page.keyboard.press('c');
        await expect.poll(() => page.getByTestId('compare-view').getAttribute('data-mode')).toBe('slider');
        // The slider's frame has the source's shape, both images fill it, and [ / ] move the split.
        const frame = (await page.getByTestId('compare-frame').boundingBox())!;
        expect(frame.width / frame.height).toBeCloseTo(1, 2); // the demo world's images are square
        expect(await page.getByTestId('compare-reconstruction').boundingBox()).toEqual(frame);
        await page.keyboard.press(']');
        await page.keyboard.press(']');
        await expect.poll(() => page.getByTestId('compare-split').inputValue()).toBe('70');
        await page.keyboard.press('[');
        await expect.poll(() => page.getByTestId('compare-split').inputValue()).toBe('60');
        await page.keyboard.press('Escape');
        await page.getByTestId('review-source').waitFor();
        await page.screenshot({ path: join(ARTIFACTS, 'review-light.png') });
        await page.emulateMedia({ colorScheme: 'dark' });
        await page.screenshot({ path: join(ARTIFACTS, 'review-dark.png') });
        await page.keyboard.press('v');
        await page.screenshot({ path: join(ARTIFACTS, 'review-compare-dark.png') });
        await page.keyboard.press('Escape');
        await page.emulateMedia({ colorScheme: 'light' });
      }
      if (i === 2) {
        await page.keyboard.press('e');
        await page.keyboard.press('ControlOrMeta+a');
        await page.keyboard.type(EDITED);
        if (cands(id).length >= 2) {
          // A click on another candidate does not throw the unsaved edit away.
          await page.locator('[data-testid="candidate"]').nth(1).click();
          await expect.poll(() => page.getByTestId('review-editor').inputValue()).toBe(EDITED);
          expect(await page.locator('[data-testid="candidate"][aria-current="true"]').getAttribute('data-rank')).toBe('1');
          // Nor does Enter (accept) outside the editor: it would store the unedited candidate.
          await page.keyboard.press('Enter');
          expect(await shownImage(page)).toBe(id);
          await page.keyboard.press('e');
        }
        await page.keyboard.press('Enter');
        expected.push({ imageId: id, action: 'edit', finalText: EDITED, candidateId: cands(id)[0]?.id ?? null, runId: cands(id)[0] ? runId : null });
      } else if (i === 3) {
        // A note for the researchers first (n, type, Ctrl+Enter saves, Esc back to the review keys), then reject.
        await page.keyboard.press('n');
        await expect.poll(() => page.getByTestId('note-text').evaluate((el) => el === document.activeElement)).toBe(true);
        await page.keyboard.type('Two shapes, the references name one: reject');
        await page.keyboard.press('ControlOrMeta+Enter');
        await expect.poll(async () => (await api('notes:get', { imageId: id })).note).toBe('Two shapes, the references name one: reject');
        await page.keyboard.press('Escape');
        await page.keyboard.press('r');
        expected.push({ imageId: id, action: 'reject', finalText: null, candidateId: null, runId: null });
      } else if (i === 4) {
        // A note typed and left unsaved (Esc, then a decision) is saved with its image, not dropped.
        await page.keyboard.press('n');
        await expect.poll(() => page.getByTestId('note-text').evaluate((el) => el === document.activeElement)).toBe(true);
        await page.keyboard.type('left without saving');
        await page.keyboard.press('Escape');
        await page.keyboard.press('s');
        await expect.poll(async () => (await api('notes:get', { imageId: id })).note).toBe('left without saving');
        expected.push({ imageId: id, action: 'skip', finalText: null, candidateId: null, runId: null });
      } else if (i === 5) {
        // A human reference instead of any candidate: Shift and its number.
        await page.keyboard.press('Shift+Digit2');
        const reference = items.get(id)!.image.references[1]!;
        expected.push({ imageId: id, action: 'accept', finalText: reference.text, candidateId: null, runId: null, referenceId: reference.id });
      } else if (i === lower) {
        const k = cands(id).length; // the lowest-ranked candidate
        await page.keyboard.press(String(k));
        await expect.poll(() => page.locator('[data-testid="candidate"][aria-current="true"]').getAttribute('data-rank')).toBe(String(k));
        await page.keyboard.press('Enter');
        accept(id, k - 1);
      } else if (i === redo) {
        // Accept the suggestion, think better of it: undo goes back to this image, then take the runner-up.
        await page.keyboard.press('Enter');
        await expect.poll(() => shownImage(page)).toBe(ids[i + 1]);
        await page.keyboard.press('z');
        await expect.poll(() => shownImage(page)).toBe(id);
        await expect.poll(() => page.getByTestId('review-view').getByTestId('status-badge').first().textContent()).toMatch(/undecided/i);
        accept(id, 0);
        expected.push({ imageId: id, action: 'undo', finalText: null, candidateId: null, runId: null, undoes: expected.length - 1 });
        await page.keyboard.press('2');
        await page.keyboard.press('Enter');
        accept(id, 1);
      } else {
        await page.keyboard.press('Enter');
        accept(id, 0);
      }
      if (i < ids.length - 1) await expect.poll(() => shownImage(page)).toBe(ids[i + 1]);
    }
    // Decisions are stored behind the view, which has moved on already.
    await expect.poll(() => storedDecisions(ids).length).toBe(expected.length);

    const stored = storedDecisions(ids).sort((a, b) => a.id - b.id);
    expect(stored.map((d) => ({ imageId: d.imageId, action: d.action, finalText: d.finalText, candidateId: d.candidateId, runId: d.runId, referenceId: d.referenceId }))).toEqual(
      expected.map(({ undoes: _u, referenceId = null, ...row }) => ({ ...row, referenceId })),
    );
    expect(new Set(stored.map((d) => d.actor))).toEqual(new Set([USER]));
    expect(stored.every((d) => !Number.isNaN(Date.parse(d.createdAt)))).toBe(true);
    const undo = stored.find((d) => d.action === 'undo')!;
    expect(undo.undoesId).toBe(stored[expected.findIndex((e) => e.action === 'undo') - 1]!.id);
    expect((await api('images:get', { id: ids[3]! })).status).toBe('rejected');
    expect((await api('images:get', { id: ids[2]! })).caption).toBe(EDITED);

    // 200% zoom of a 1280×720 window: the layout stacks, nothing runs off to the side.
    const zoomed = await openPage('light', { width: 640, height: 360 }, 2);
    await startReview(zoomed);
    await zoomed.getByTestId('candidate').first().waitFor();
    await zoomed.screenshot({ path: join(ARTIFACTS, 'review-zoom200.png') });
    expect(await zoomed.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await zoomed.close();
    await page.close();

    // Restart the backend on the same project: the decisions and their undo history are all there.
    await server.stop();
    server = await startServe([projectDir, '--user', USER]);
    expect(storedDecisions(ids).sort((a, b) => a.id - b.id)).toEqual(stored);
    const again = await openPage();
    await startReview(again);
    // The queue of undecided images is what is left; undo still reaches the last decision made before the restart.
    expect(await again.getByTestId('review-position').textContent()).toContain('/ 4');
    const last = ids.at(-1)!;
    await again.keyboard.press('z');
    await expect.poll(() => shownImage(again)).toBe(last);
    await expect.poll(() => again.getByTestId('review-view').getByTestId('status-badge').first().textContent()).toMatch(/undecided/i);
    const lastAccept = stored.filter((d) => d.imageId === last).at(-1)!;
    await expect.poll(async () => (await api('images:get', { id: last })).history.at(-1)).toMatchObject({ action: 'undo', actor: USER, undoesId: lastAccept.id });
    await again.keyboard.press('Enter'); // and decide it again
    await expect.poll(async () => (await api('images:get', { id: last })).status).toBe('accepted');

    // The queue orders: most uncertain first is the backend's order, shown from its first image.
    await again.getByTestId('review-status').selectOption('');
    await again.getByTestId('review-order').selectOption('uncertain');
    const uncertain = await api('review:queue', { order: 'uncertain', limit: 5 });
    expect(uncertain.items[0]!.margin!).toBeLessThanOrEqual(uncertain.items[1]!.margin ?? Infinity);
    await expect.poll(() => shownImage(again)).toBe(uncertain.items[0]!.imageId);

    // An export holds the accepted and edited captions, and nothing for the rejected and skipped images.
    const out = join(root, 'decided.json');
    roundtrip('export', projectDir, '--format', 'coco-captions', '--out', out, '--captions', 'decided-only');
    const exported = JSON.parse(readFileSync(out, 'utf8')) as { annotations: { caption: string }[] };
    const finalTexts = ids.flatMap((id) => {
      const current = expected.filter((e) => e.imageId === id && e.action !== 'undo').at(-1)!;
      return current.action === 'accept' || current.action === 'edit' ? [current.finalText!] : [];
    });
    expect(finalTexts).toHaveLength(18);
    expect(exported.annotations.map((a) => a.caption).sort()).toEqual(finalTexts.sort());
    expect(exported.annotations.map((a) => a.caption)).toContain(EDITED);
    expect(pageErrors).toEqual([]);
  });
});
