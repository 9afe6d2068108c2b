/**
 * Issue 7, acceptance 2 (the researcher's side): in real headless Chromium against browser mode,
 * on a demo project with a cheap suggest run and a reference audit made by the CLI —
 *  - the audit view lists a disagreement between the reconstruction ranking and the references
 *    and a vocabulary difference the demo world seeds (an expert's word only some references
 *    use), each linking to its image; weak references and the interactive figures show;
 *  - the jobs view starts a run from the form, shows its progress with rate and ETA, pauses,
 *    resumes and cancels it;
 *  - the models view lists the demo models by role, the active ones and the provider in use,
 *    and verifies one.
 * Every view is reached from the keyboard (g then a letter) and saved as a screenshot in light
 * and dark themes (and at 200% zoom) under artifacts/e2e/.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract/api.js';
import { PRECISE_WORDS } from '../../electron/demo-world/vocabulary.js';
import { Project } from '../../electron/storage/project.js';
import { launchChromium } from './support/browser.js';
import { invokeApi, roundtrip } from './support/cli-api.js';
import { startServe, type RunningServer } from './support/serve.js';

const ARTIFACTS = join(process.cwd(), 'artifacts', 'e2e');
let projectDir: string;
let server: RunningServer;
let browser: Browser;
const pageErrors: string[] = [];

/** The API as scripts reach it: POST /api/invoke/<method> with the run's token. */
const api = <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => invokeApi(server, method, input);

async function openPage(viewport = { width: 1280, height: 720 }, deviceScaleFactor = 1): Promise<Page> {
  const page = await browser.newPage({ viewport, deviceScaleFactor, colorScheme: 'light' });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.goto(server.url);
  await page.getByTestId('project-view').waitFor();
  return page;
}

/** The grid's count as it reads. */
const imagesText = (n: number) => `${n} image${n === 1 ? '' : 's'}`;

/** `g` then the view's letter, as a user switches views from the keyboard. */
async function goTo(page: Page, key: 'g' | 'r' | 'a' | 'j' | 'm', testid: string): Promise<void> {
  await page.keyboard.press('g');
  await page.keyboard.press(key);
  await page.getByTestId(testid).waitFor();
}

/** The same screen in both themes, following the system's preference as the app does. */
async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/**
 * The seeded disagreement: on one image the suggest run's best reconstruction now belongs to a
 * caption that says nothing ("a picture"), and its second candidate is a verbatim reference — the
 * strongest possible disagreement between reconstruction and references, whatever the models drew.
 */
const SEEDED = { imageId: 7, vague: 'a picture' } as { imageId: number; vague: string; reference?: string };
function seedDisagreement(): void {
  const project = Project.open(projectDir);
  try {
    const reference = project.db.prepare('SELECT text FROM reference_captions WHERE image_id = ? ORDER BY id LIMIT 1').pluck().get(SEEDED.imageId) as string;
    const setText = project.db.prepare("UPDATE candidates SET text = ? WHERE image_id = ? AND rank = ? AND source = 'sampled'");
    expect(setText.run(SEEDED.vague, SEEDED.imageId, 1).changes).toBe(1);
    expect(setText.run(reference, SEEDED.imageId, 2).changes).toBe(1);
    SEEDED.reference = reference;
  } finally {
    project.dispose();
  }
}

/** The images a run covers, in its order (read from SQLite, beside the running server). */
function runImages(runId: number): number[] {
  const project = Project.open(projectDir);
  try {
    return project.db.prepare('SELECT image_id FROM run_items WHERE run_id = ? ORDER BY position').pluck().all(runId) as number[];
  } finally {
    project.dispose();
  }
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  projectDir = join(mkdtempSync(join(tmpdir(), 'rt-e2e-views-')), 'demo');
  roundtrip('demo', projectDir, '--count', '12', '--seed', '5');
  roundtrip('suggest', projectDir, '--candidates', '3', '--steps', '3');
  roundtrip('audit-references', projectDir, '--steps', '2', '--limit', '4');
  seedDisagreement();
  server = await startServe([projectDir, '--user', 'researcher']);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('workbench views', () => {
  it('audit view: a seeded disagreement and a seeded vocabulary difference, linked to their images; weak references; interactive figures', async () => {
    const page = await openPage();
    await goTo(page, 'a', 'audit-view');

    // Disagreements: the strongest first, both captions with their scores.
    // (The seeded one need not be the strongest: the demo generator's own runs disagree too.)
    const disagreements = await api('audit:disagreements', { limit: 12 });
    expect(disagreements.images).toBe(12);
    expect(disagreements.total).toBeGreaterThan(0);
    const seededRow = disagreements.items.find((d) => d.imageId === SEEDED.imageId);
    expect(seededRow).toMatchObject({ reconstructionBest: { text: SEEDED.vague }, captionBest: { text: SEEDED.reference } });
    expect(seededRow!.captionBest.cider).toBeGreaterThan(seededRow!.reconstructionBest.cider);
    disagreements.items.slice(1).forEach((d, i) => expect(d.ciderGap).toBeLessThanOrEqual(disagreements.items[i]!.ciderGap));
    const strongest = disagreements.items[0]!;
    const first = page.getByTestId('disagreement').first();
    await expect.poll(() => first.getAttribute('data-image-id')).toBe(String(strongest.imageId));
    expect(await first.textContent()).toContain(strongest.reconstructionBest.text);
    expect(await first.textContent()).toContain(strongest.captionBest.text);
    expect(await page.getByTestId('disagreement-summary').textContent()).toContain(`${disagreements.total} of 12 images disagree`);
    await shoot(page, 'audit-disagreements');
    // Its link opens the image; Esc comes back to the audit.
    await first.getByTestId('image-link').click();
    await expect.poll(() => page.getByTestId('image-view').getAttribute('data-image-id')).toBe(String(strongest.imageId));
    await page.keyboard.press('Escape');
    await page.getByTestId('audit-view').waitFor();

    // Vocabulary: an expert's word (the demo world's "lemur") that some references use and the captions never do for that image.
    const references = await api('audit:vocabulary', { side: 'reference', limit: 500 });
    const seeded = references.items.find((w) => (PRECISE_WORDS as readonly string[]).includes(w.word));
    expect(seeded, `one of ${PRECISE_WORDS.join(', ')} among ${references.items.map((w) => w.word).join(', ')}`).toBeDefined();
    await page.getByTestId('audit-tab-vocabulary').click();
    await page.getByTestId('vocabulary-word').first().waitFor();
    await page.getByTestId('side-reference').check();
    await page.getByTestId('word-search').fill(seeded!.word);
    const row = page.locator(`[data-testid="vocabulary-word"][data-word="${seeded!.word}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(`${seeded!.images} image`);
    await shoot(page, 'audit-vocabulary');
    const example = seeded!.examples[0]!;
    await row.getByTestId('image-link').first().click();
    await expect.poll(() => page.getByTestId('image-view').getAttribute('data-image-id')).toBe(String(example.imageId));
    expect((await page.getByTestId('image-view').textContent())!.toLowerCase()).toContain(seeded!.word);
    await page.keyboard.press('Escape');
    await page.getByTestId('audit-view').waitFor();
    // Every image of the word, in the grid (filtered through the same vocabulary), and back to all.
    await row.getByTestId('word-in-grid').click();
    await page.getByTestId('image-grid').waitFor();
    await expect.poll(() => page.getByTestId('word-filter').textContent()).toContain(`References alone say “${seeded!.word}”`);
    await expect.poll(() => page.getByTestId('grid-total').textContent()).toBe(imagesText(seeded!.images));
    const inGrid = await page.getByTestId('grid-cell').evaluateAll((cells) => cells.map((c) => Number((c as HTMLElement).dataset.imageId)));
    expect(inGrid.sort((a, b) => a - b)).toEqual(seeded!.examples.map((e) => e.imageId).sort((a, b) => a - b));
    await shoot(page, 'grid-word-filter');
    await page.getByTestId('word-filter').getByRole('button').click();
    await expect.poll(() => page.getByTestId('grid-total').textContent()).toBe('12 images');
    await page.getByTestId('image-grid').focus();
    await goTo(page, 'a', 'audit-view');

    // Weak references of the reference audit, weakest first.
    const weak = await api('audit:weak-references', { limit: 5 });
    await page.getByTestId('audit-tab-weak-references').click();
    await expect.poll(() => page.getByTestId('weak-reference').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('weak-reference').first().textContent()).toContain(weak.items[0]!.text);
    await shoot(page, 'audit-weak-references');

    // Figures: hovering a point of Fig. 3 reads its values out; the scatter steps through images from the keyboard.
    await page.getByTestId('audit-tab-figures').click();
    const rank = page.getByTestId('rank-chart');
    await rank.locator('circle').first().hover();
    await expect.poll(() => page.getByTestId('rank-chart-readout').textContent()).toMatch(/Rank 1: CIDEr-D \d\.\d{3}/);
    await page.getByTestId('scatter-chart').locator('svg').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('scatter-chart-readout').textContent()).toMatch(/Image \d+: similarity/);
    expect(await page.getByTestId('histogram-chart').locator('polyline').count()).toBe(3);
    await shoot(page, 'audit-figures');
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('grid filters: "has disagreement" shows the audit’s disagreeing images, a similarity range narrows the grid', async () => {
    const page = await openPage();
    const total = page.getByTestId('grid-total');
    await expect.poll(() => total.textContent()).toBe('12 images');
    await expect.poll(() => page.getByTestId('grid-cell').count()).toBe(12);
    await expect
      .poll(() => page.locator('[data-testid="grid-cell"] img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0)))
      .toBe(true);
    await shoot(page, 'grid');
    const { total: disagreeing, items } = await api('audit:disagreements', { limit: 50 });
    await page.getByTestId('disagreement-filter').check();
    await expect.poll(() => total.textContent()).toBe(imagesText(disagreeing));
    const shown = await page.getByTestId('grid-cell').evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.imageId));
    expect(shown.map(Number).sort((a, b) => a - b)).toEqual(items.map((d) => d.imageId).sort((a, b) => a - b));
    await page.getByTestId('disagreement-filter').uncheck();
    // Suggestions at or above the lowest disagreeing suggestion's similarity: the API and the grid agree.
    const min = Math.min(...items.map((d) => d.reconstructionBest.similarity ?? 1));
    const expected = (await api('images:list', { offset: 0, limit: 1, similarityMin: min })).total;
    expect(expected).toBeGreaterThan(0);
    await page.getByTestId('similarity-min').fill(String(min));
    await page.getByTestId('similarity-min').press('Enter');
    await expect.poll(() => total.textContent()).toBe(imagesText(expected));
    // The image view, in both themes too.
    await page.getByTestId('image-grid').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('image-view').waitFor();
    await page.getByTestId('image-notes').waitFor();
    await shoot(page, 'image-view');
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('notes and tags: written on an image, found again in the audit by a word and by a tag', async () => {
    const page = await openPage();
    await goTo(page, 'a', 'audit-view');
    const row = page.getByTestId('disagreement').first();
    const imageId = Number(await row.getAttribute('data-image-id'));
    await row.getByTestId('image-link').click();
    await page.getByTestId('image-notes').waitFor();
    await expect.poll(() => page.getByTestId('note-text').isEnabled()).toBe(true);
    await page.getByTestId('note-text').fill('The references say pointy thing; the suggestion names the shape.');
    await page.getByTestId('note-tags').fill('vocabulary, check later, Vocabulary');
    await page.getByTestId('note-tags').press('Control+Enter');
    await expect.poll(async () => (await api('notes:get', { imageId })).tags).toEqual(['vocabulary', 'check later']);
    expect(await api('notes:get', { imageId })).toMatchObject({ actor: 'researcher', note: 'The references say pointy thing; the suggestion names the shape.' });
    await page.keyboard.press('Escape'); // leaves the tags field
    await page.keyboard.press('Escape'); // back to the audit
    await page.getByTestId('audit-tab-notes').click();
    await expect.poll(() => page.getByTestId('tag-filter').allTextContents()).toEqual(['check later 1', 'vocabulary 1']);
    await page.getByTestId('notes-search').fill('pointy');
    await expect.poll(() => page.getByTestId('note-result').count()).toBe(1);
    await page.getByTestId('notes-search').fill('no such words');
    await expect.poll(() => page.getByTestId('note-result').count()).toBe(0);
    await page.getByTestId('notes-search').fill('');
    await page.getByTestId('tag-filter').filter({ hasText: 'vocabulary' }).click();
    await expect.poll(() => page.getByTestId('note-result').count()).toBe(1);
    expect(await page.getByTestId('note-result').textContent()).toContain('check later');
    await shoot(page, 'audit-notes');
    await page.getByTestId('note-result').getByTestId('image-link').click();
    await expect.poll(() => page.getByTestId('note-tags').inputValue()).toBe('vocabulary, check later');
    // Typed and not saved, a note goes with its image when the view closes.
    await page.getByTestId('note-text').fill('a thought left unsaved');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.getByTestId('audit-view').waitFor();
    await expect.poll(async () => (await api('notes:get', { imageId })).note).toBe('a thought left unsaved');
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('jobs view: starts a run from the form, shows progress with rate and ETA, pauses, resumes and cancels it', async () => {
    const page = await openPage();
    await goTo(page, 'j', 'jobs-view');
    await expect.poll(() => page.getByTestId('run-card').count()).toBe(2);
    await page.getByTestId('run-kind').selectOption('suggest');
    await page.getByTestId('run-candidates').fill('6');
    await page.getByTestId('run-steps').fill('8');
    await page.getByTestId('run-seed').fill('7');
    // Precision per model: auto, or a variant the model's folder holds (the demo captioner: fp32 only).
    const precision = page.getByTestId('run-dtype-captioner');
    expect(await precision.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(['', 'fp32']);
    await precision.selectOption('fp32');
    await page.getByTestId('run-start').click();

    const card = page.locator('[data-testid="run-card"][data-run-id="3"]');
    await card.waitFor();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 30_000 }).toBe('running');
    expect(await card.textContent()).toContain('precision: captioner fp32');
    // Progress: images done of 12, then the rate and time left once an image has finished.
    await expect.poll(() => card.getByTestId('run-rate').textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/(images\/s|s per image) · about .+ left/);
    expect(await card.getByTestId('run-count').textContent()).toMatch(/^\d+ \/ 12/);
    await page.getByTestId('jobs-view').evaluate((el) => el.scrollTo(0, 0));
    await shoot(page, 'jobs');

    await card.getByTestId('run-pause').click();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 30_000 }).toBe('paused');
    await card.getByTestId('run-resume').click();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 30_000 }).toBe('running');
    await card.getByTestId('run-cancel').click();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled');
    const run = await api('runs:get', { id: 3 });
    expect(run).toMatchObject({ kind: 'suggest', status: 'cancelled', total: 12, settings: { candidates: 6, steps: 8, seed: 7, dtypes: { captioner: 'fp32' } } });
    expect(run.done).toBeLessThan(12);
    expect(await card.getByTestId('run-count').textContent()).toContain(`${run.done} / 12`);
    // What the sessions opened (the best present for the slots left on auto), as the card read the run last.
    expect(await card.getByTestId('run-opened-dtypes').textContent()).toBe('opened: captioner fp32, generator fp32, image embedder fp32');
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('jobs view: verify-images on the grid’s filter and a reference audit on a split’s first images, each with the chosen settings', async () => {
    const page = await openPage();
    const filtered = await api('images:list', { offset: 0, limit: 100, search: 'star' });
    expect(filtered.total).toBeGreaterThan(0);
    expect(filtered.total).toBeLessThan(12);
    await page.getByTestId('caption-search').fill('star');
    await expect.poll(() => page.getByTestId('grid-total').textContent()).toBe(imagesText(filtered.total));
    await page.getByTestId('image-grid').focus(); // out of the search field, where g would be typed
    await goTo(page, 'j', 'jobs-view');
    const before = (await api('runs:list', {})).length;

    await page.getByTestId('run-kind').selectOption('verify-images');
    await page.getByTestId('run-scope').selectOption('filter');
    await page.getByTestId('run-candidates').fill('2');
    await page.getByTestId('run-steps').fill('2');
    await page.getByTestId('run-scheduler').selectOption('euler');
    await page.getByTestId('run-seed').fill('11');
    await page.getByTestId('run-start').click();
    await expect.poll(async () => (await api('runs:list', {})).length).toBe(before + 1);
    const verify = (await api('runs:list', {})).reduce((a, b) => (b.id > a.id ? b : a));
    expect(verify).toMatchObject({ kind: 'verify-images', total: filtered.total, settings: { candidates: 2, steps: 2, scheduler: 'euler', seed: 11 } });
    expect(runImages(verify.id)).toEqual(filtered.items.map((i) => i.id));
    const verifyCard = page.locator(`[data-testid="run-card"][data-run-id="${verify.id}"]`);
    await expect.poll(() => verifyCard.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');

    const [split] = await api('datasets:list', {});
    await page.getByTestId('run-kind').selectOption('reference-audit');
    await page.getByTestId('run-scope').selectOption('dataset');
    await page.getByTestId('run-dataset').selectOption(String(split!.id));
    await page.getByTestId('run-limit').fill('3');
    await page.getByTestId('run-steps').fill('3');
    await page.getByTestId('run-scheduler').selectOption('ddim');
    await page.getByTestId('run-start').click();
    await expect.poll(async () => (await api('runs:list', {})).length).toBe(before + 2);
    const audit = (await api('runs:list', {})).reduce((a, b) => (b.id > a.id ? b : a));
    expect(audit).toMatchObject({ kind: 'reference-audit', total: 3, settings: { steps: 3, scheduler: 'ddim' } });
    const firstOfSplit = await api('images:list', { offset: 0, limit: 3, datasetId: split!.id });
    expect(runImages(audit.id)).toEqual(firstOfSplit.items.map((i) => i.id));
    await expect.poll(() => page.locator(`[data-testid="run-card"][data-run-id="${audit.id}"]`).getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('grid marks: Space, Shift+Space and Ctrl+click mark images, Esc clears; a run starts on exactly the marked ones', async () => {
    const page = await openPage();
    const grid = page.getByTestId('image-grid');
    await expect.poll(() => page.getByTestId('grid-cell').count()).toBe(12);
    const idAt = async (index: number) => Number(await page.locator(`[data-testid="grid-cell"][data-index="${index}"]`).getAttribute('data-image-id'));
    const marked = () => page.locator('[data-testid="grid-cell"][data-marked="true"]').evaluateAll((cells) => cells.map((c) => Number((c as HTMLElement).dataset.imageId)));
    await grid.focus();
    await page.keyboard.press('Space'); // image 0
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+Space'); // 0..2
    await page.locator('[data-testid="grid-cell"][data-index="7"]').click({ modifiers: ['ControlOrMeta'] });
    const expected = [await idAt(0), await idAt(1), await idAt(2), await idAt(7)].sort((a, b) => a - b);
    await expect.poll(marked).toEqual(expected);
    await expect.poll(() => page.getByTestId('marked-count').textContent()).toContain('4 marked');
    expect(await page.getByTestId('image-view').count()).toBe(0); // a Ctrl+click marks, it does not open
    await shoot(page, 'grid-marked');
    // Ctrl+click again unmarks; Esc clears all; mark them again for the run.
    await page.locator('[data-testid="grid-cell"][data-index="7"]').click({ modifiers: ['ControlOrMeta'] });
    await expect.poll(marked).toEqual(expected.slice(0, 3));
    await grid.focus();
    await page.keyboard.press('Escape');
    await expect.poll(marked).toEqual([]);
    // With nothing marked, Shift+click marks from the focused image.
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.locator('[data-testid="grid-cell"][data-index="5"]').click({ modifiers: ['Shift'] });
    await expect.poll(marked).toEqual([await idAt(3), await idAt(4), await idAt(5)].sort((a, b) => a - b));
    await grid.focus();
    await page.keyboard.press('Escape');
    await expect.poll(marked).toEqual([]);
    await page.locator('[data-testid="grid-cell"][data-index="0"]').click({ modifiers: ['ControlOrMeta'] });
    await page.locator('[data-testid="grid-cell"][data-index="2"]').click({ modifiers: ['Shift'] });
    await page.locator('[data-testid="grid-cell"][data-index="7"]').click({ modifiers: ['ControlOrMeta'] });
    await expect.poll(marked).toEqual(expected);

    await grid.focus();
    await goTo(page, 'j', 'jobs-view');
    const before = (await api('runs:list', {})).length;
    await page.getByTestId('run-kind').selectOption('reference-audit');
    await page.getByTestId('run-scope').selectOption('marked');
    await page.getByTestId('run-steps').fill('2');
    await page.getByTestId('run-start').click();
    await expect.poll(async () => (await api('runs:list', {})).length).toBe(before + 1);
    const run = (await api('runs:list', {})).reduce((a, b) => (b.id > a.id ? b : a));
    expect(run).toMatchObject({ kind: 'reference-audit', total: 4 });
    expect(runImages(run.id)).toEqual(expected);
    await expect.poll(() => page.locator(`[data-testid="run-card"][data-run-id="${run.id}"]`).getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('models view: the demo models by role, the active ones, the provider in use; verifies one', async () => {
    const page = await openPage();
    await goTo(page, 'm', 'models-view');
    const inRole = (role: string, id: string) => page.locator(`[data-testid="role-${role}"] [data-testid="model-row"][data-model-id="${id}"]`);
    await inRole('captioner', 'demo/captioner').waitFor();
    await inRole('generator', 'demo/generator').waitFor();
    await inRole('image-embedder', 'demo/clip').waitFor();
    await inRole('text-embedder', 'demo/clip').waitFor();
    expect(await inRole('captioner', 'demo/captioner').getByTestId('model-active').textContent()).toContain('captioner');
    // A generator shows what a run without settings uses (its manifest's runDefaults).
    expect(await inRole('generator', 'demo/generator').getByTestId('model-run-defaults').textContent()).toMatch(/^Run defaults: 4 steps · guidance 1 \(4 DDIM steps/);
    // The jobs test's run opened its models on the CPU, session by session.
    await expect.poll(() => page.getByTestId('provider-in-use').textContent()).toBe('CPU');
    expect(await page.getByTestId('session').count()).toBeGreaterThanOrEqual(3);
    expect(new Set(await page.getByTestId('session-dtype').allTextContents())).toEqual(new Set(['fp32']));
    // The variants each folder holds, and every dtype transformers.js names offered to a pull.
    expect(await inRole('captioner', 'demo/captioner').getByTestId('model-variants').textContent()).toMatch(/^\s*Variants: fp32\s*$/);
    expect(await page.getByTestId('pull-dtype').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(['', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']);
    await inRole('image-embedder', 'demo/clip').getByTestId('model-verify').click();
    const report = inRole('image-embedder', 'demo/clip').getByTestId('verify-report');
    await expect.poll(() => report.textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/OK: \d+ file\(s\), 2 graph\(s\) checked/);
    await shoot(page, 'models');
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('stays readable at 200% zoom: grid, audit, jobs and models stack without running off to the side', async () => {
    const page = await openPage({ width: 640, height: 360 }, 2);
    for (const [key, testid, name] of [['g', 'project-view', 'grid'], ['a', 'audit-view', 'audit'], ['j', 'jobs-view', 'jobs'], ['m', 'models-view', 'models']] as const) {
      await goTo(page, key, testid);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(ARTIFACTS, `${name}-zoom200.png`) });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), name).toBe(true);
      const overflow = await page.getByTestId(testid).evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(overflow, `${name} runs ${overflow}px off to the side`).toBeLessThanOrEqual(1);
    }
    // The grid gives the import and export panels' column to the images; they open on demand.
    await goTo(page, 'g', 'project-view');
    expect(await page.getByTestId('import-panel').isVisible()).toBe(false);
    await page.getByTestId('panels-toggle').click();
    await page.getByTestId('import-panel').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
