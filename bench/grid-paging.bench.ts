/**
 * The grid asks for pages of images as the user scrolls; at 100,000 images every page must
 * come back well within a frame budget wherever the user is. Prints per-call latency of
 * `images:list` through the real dispatcher at the start, middle and end, with filters.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend } from '../electron/backend/backend.js';
import { seedImages } from '../tests/fixtures/seed-images.js';

const N = 100_000;
const backend = createBackend({ mode: 'browser', version: 'bench', actor: 'bench' });
const project = backend.session.create(join(mkdtempSync(join(tmpdir(), 'rt-bench-grid-')), 'p'));
let t = performance.now();
seedImages(project, N);
console.log(`seeded ${N} images in ${(performance.now() - t).toFixed(0)} ms`);
// Decide on every tenth image so status filters have something to find.
t = performance.now();
project.db.transaction(() => {
  for (let id = 1; id <= N; id += 10) project.decisions.record({ imageId: id, actor: 'b', action: 'edit', finalText: `edited ${id}`, referenceId: null, candidateId: null });
})();
console.log(`recorded ${N / 10} decisions in ${(performance.now() - t).toFixed(0)} ms`);

async function time(label: string, input: Record<string, unknown>, reps = 20): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < reps; i++) {
    const out = await backend.dispatcher.dispatch('images:list', input, { actor: 'bench' });
    if (!out.ok) throw new Error(JSON.stringify(out.error));
  }
  const ms = (performance.now() - start) / reps;
  console.log(`${label.padEnd(40)} ${ms.toFixed(2)} ms/page`);
  return ms;
}

const first = await time('page of 200 at offset 0', { offset: 0, limit: 200 });
await time('page of 200 at offset 50,000', { offset: 50_000, limit: 200 });
const last = await time('page of 200 at offset 99,800', { offset: 99_800, limit: 200 });
await time('status=edited, offset 9,800', { offset: 9_800, limit: 200, status: 'edited' });
const search = await time('search "lemur", offset 0', { offset: 0, limit: 200, search: 'lemur' }, 5);
console.log(`ratio last/first page: ${(last / first).toFixed(1)}×; search/first: ${(search / first).toFixed(1)}×`);
console.log(`target: every page under 16 ms (one frame) — ${Math.max(first, last) < 16 ? 'met' : 'NOT met'}`);
backend.dispose();
