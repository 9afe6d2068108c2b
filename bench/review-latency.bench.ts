/**
 * Keypress-to-next-item latency of the review view in headless Chromium (issue 7, point 3):
 * an annotator accepts 200 suggestions in a row with Enter, and each time we measure from the
 * key event to the first frame after the next image's item is in the DOM. Prints the 50th/95th
 * percentiles and the maximum; the target is a 95th percentile under 50 ms.
 *
 * The project is a demo-world project whose suggest run is seeded straight into SQLite (three
 * candidates per image, each with a reconstruction PNG), so the bench measures the renderer and
 * API, not inference. Keys are sent as fast as the view answers: no think time to hide behind.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Project } from '../electron/storage/project.js';
import { launchChromium } from '../tests/e2e/support/browser.js';
import { CLI, startServe } from '../tests/e2e/support/serve.js';

const IMAGES = 240;
const ACCEPTS = 200;
const CANDIDATES = ['a small shape in the middle', 'some shapes on a plain background', 'a picture'];

function seedSuggestRun(dir: string): number {
  const project = Project.open(dir);
  try {
    const images = project.images.list({ offset: 0, limit: IMAGES }).items;
    const run = project.runs.create('suggest', { seeded: 'review-latency bench' }, images.map((i) => i.id));
    for (const image of images) {
      const candidates = CANDIDATES.map((text, idx) => {
        const rel = join('assets', 'reconstructions', String(run.id), String(image.id), `${idx}.png`);
        mkdirSync(join(dir, rel, '..'), { recursive: true });
        // Any PNG of the image's size will do: what is timed is showing it, not drawing it.
        copyFileSync(join(image.rootPath, image.fileName), join(dir, rel));
        const similarity = 0.8 - idx * 0.15 - (image.id % 7) * 0.01;
        return { idx, source: 'sampled' as const, text: `${text} (${image.id})`, similarity, rank: idx + 1, reconstruction: rel };
      });
      project.runs.completeItem(run.id, image.id, { candidates });
    }
    return run.id;
  } finally {
    project.dispose();
  }
}

const dir = join(mkdtempSync(join(tmpdir(), 'rt-bench-review-')), 'project');
const demo = spawnSync(process.execPath, [CLI, 'demo', dir, '--count', String(IMAGES)], { encoding: 'utf8' });
if (demo.status !== 0) throw new Error(`roundtrip demo failed: ${demo.stderr}`);
seedSuggestRun(dir);

const server = await startServe([dir, '--user', 'bench']);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(server.url);
  await page.getByTestId('open-review').click();
  const view = page.getByTestId('review-view');
  await page.getByTestId('candidate').first().waitFor();
  // Let the first prefetches land, as they would while the annotator reads the first image.
  await page.waitForTimeout(500);

  await view.evaluate((root) => {
    const w = window as unknown as { __samples: { ms: number; ready: boolean }[] };
    w.__samples = [];
    let pressedAt = 0;
    window.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') pressedAt = e.timeStamp;
    }, { capture: true });
    new MutationObserver(() => {
      if (!pressedAt) return;
      const start = pressedAt;
      pressedAt = 0;
      // After the next animation frame's callbacks: the frame with the new item is being produced.
      requestAnimationFrame(() =>
        setTimeout(() => {
          const img = root.querySelector<HTMLImageElement>('[data-testid="review-source"]');
          w.__samples.push({ ms: performance.now() - start, ready: !!img && img.complete && img.naturalWidth > 0 });
        }, 0),
      );
    }).observe(root, { attributes: true, attributeFilter: ['data-image-id'] });
  });

  for (let i = 0; i < ACCEPTS; i++) {
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => (window as unknown as { __samples: unknown[] }).__samples.length >= n, i + 1, { polling: 'raf' });
  }
  const samples = await page.evaluate(() => (window as unknown as { __samples: { ms: number; ready: boolean }[] }).__samples);
  // Decisions are stored behind the view: wait for all of them.
  const token = new URL(server.url).searchParams.get('token');
  const acceptedCount = () =>
    fetch(`${server.origin}/api/invoke/images:list`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ offset: 0, limit: 1, status: 'accepted' }),
    })
      .then((r) => r.json() as Promise<{ result: { total: number } }>)
      .then((r) => r.result.total);
  let accepted = await acceptedCount();
  for (let waited = 0; accepted < ACCEPTS && waited < 30_000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    accepted = await acceptedCount();
  }

  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
  const p95 = at(0.95);
  console.log(`review-latency: keypress → next item rendered, ${ms.length} accepts (1280×720, ${IMAGES}-image demo project, 3 candidates each)`);
  console.log(`  p50 ${at(0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${ms.at(-1)!.toFixed(1)} ms — target p95 < 50 ms: ${p95 < 50 ? 'met' : 'MISSED'}`);
  console.log(`  source image already decoded when the item rendered: ${samples.filter((s) => s.ready).length}/${samples.length}`);
  console.log(`  decisions stored as accepted: ${accepted}/${ACCEPTS}`);
} finally {
  await browser.close();
  await server.stop();
}
