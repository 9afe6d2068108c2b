/**
 * Exporting 100,000 images (issue 8): a project built through the repositories (five references
 * per image, a suggest run of ten candidates per image, some decisions; no models, no image
 * files), exported as coco-captions and as scores (JSONL and CSV), through the same service the
 * API and the CLI use. Prints time and peak memory for each: the exports stream in pages, so
 * memory should stay flat however large the project. BENCH_IMAGES / BENCH_CANDIDATES shrink it.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportRequestSchema, type ExportRequestInput } from '../shared/contract/export-schemas.js';
import { runExport } from '../electron/backend/export/export-service.js';
import { Project } from '../electron/storage/project.js';
import { seedExportProject } from '../tests/fixtures/export-project.js';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 100_000);
const CANDIDATES = Number(process.env.BENCH_CANDIDATES ?? 10);
const root = mkdtempSync(join(tmpdir(), 'rt-bench-export-'));
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

const project = Project.create(join(root, 'project'));
let t = performance.now();
const { runId } = seedExportProject(project, { images: IMAGES, candidates: CANDIDATES });
console.log(`built ${IMAGES} images × 5 references, a suggest run of ${CANDIDATES} candidates each, in ${((performance.now() - t) / 1000).toFixed(1)} s`);

/** Runs one export, sampling resident memory every 20 ms; reports time, output size and the peak above the starting point. */
async function measure(label: string, request: ExportRequestInput): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const start = performance.now();
  const result = await runExport(project, ExportRequestSchema.parse(request));
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  const size = statSync(result.path).size;
  console.log(
    `${label.padEnd(22)} ${seconds.toFixed(1).padStart(6)} s  ${String(result.images).padStart(7)} images  ${String(result.captions).padStart(8)} rows  ` +
      `${mb(size).padStart(7)} file  peak RSS ${mb(peakRss)} (+${mb(peakRss - base.rss)})  peak heap ${mb(peakHeap)} (+${mb(peakHeap - base.heapUsed)})`,
  );
}

await measure('coco-captions', { format: 'coco-captions', out: join(root, 'captions.json'), includeReferences: true });
await measure('coco-results (run)', { format: 'coco-results', out: join(root, 'results.json'), runId });
await measure('scores (JSONL)', { format: 'scores', out: join(root, 'scores.jsonl') });
await measure('scores (CSV)', { format: 'scores', out: join(root, 'scores.csv') });
console.log(`process peak RSS (incl. building the project): ${mb(process.resourceUsage().maxRSS * 1024)}`);
project.dispose();
rmSync(root, { recursive: true, force: true });
