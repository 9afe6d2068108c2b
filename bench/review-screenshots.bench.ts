/**
 * Screenshots of the Review view on the first IMAGES (5) held-out test images of a demo project,
 * after a suggest run with the app's defaults (the generator's measured steps and guidance):
 * what a new user sees on first run, with the source beside the suggestion's reconstruction (v). Written to OUT (docs/review) as review-1.png …, small PNGs
 * at 1100×700 that resources/demo/README.md links. Also prints each image's suggestion and
 * references, so the README can say what each picture shows.
 * Environment: IMAGES (5), OUT (docs/review).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Project } from '../electron/storage/project.js';
import { launchChromium } from '../tests/e2e/support/browser.js';
import { CLI, startServe } from '../tests/e2e/support/serve.js';

const IMAGES = Number(process.env.IMAGES ?? 5);
const OUT = resolve(process.env.OUT ?? join('docs', 'review'));

function cli(args: string[]): string {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`roundtrip ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

const dir = join(mkdtempSync(join(tmpdir(), 'rt-review-shots-')), 'project');
cli(['demo', dir, '--count', String(IMAGES)]);
cli(['suggest', dir, '--limit', String(IMAGES)]);

const project = Project.open(dir);
const run = project.runs.list().find((r) => r.kind === 'suggest')!;
const described = [...project.images.iterate()].map((image) => {
  const best = project.runs.candidates(run.id, image.id).sort((a, b) => (b.similarity ?? -1) - (a.similarity ?? -1))[0];
  return { id: image.id, suggestion: best?.text ?? '(none)', similarity: best?.similarity ?? null, references: project.references.forImage(image.id).map((r) => r.text) };
});
project.dispose();

mkdirSync(OUT, { recursive: true });
const server = await startServe([dir, '--user', 'screenshots']);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 }, colorScheme: 'light' });
  await page.goto(server.url);
  await page.getByTestId('open-review').click();
  for (let i = 0; i < IMAGES; i++) {
    await page.locator(`[data-testid="review-view"][data-image-id="${described[i]!.id}"]`).waitFor();
    await page.getByTestId('candidate').first().waitFor();
    // every picture on the page loaded (source and reconstructions)
    await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
    // v: the source beside the suggestion's reconstruction, at the same size
    await page.keyboard.press('v');
    await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
    const file = join(OUT, `review-${i + 1}.png`);
    await page.screenshot({ path: file });
    await page.keyboard.press('v');
    const d = described[i]!;
    console.log(`${file}: image ${d.id}, suggestion “${d.suggestion}” (similarity ${d.similarity?.toFixed(3) ?? 'n/a'}); references: “${d.references.join('” / “')}”`);
    await page.keyboard.press('ArrowRight');
  }
} finally {
  await browser.close();
  await server.stop();
}
