/**
 * The audit view's lists at 10,000 images (support/seeded-audit.ts). Prints the first page of
 * each list cold (computed: every caption of the run scored) and warm (cut from the cached list),
 * through the real dispatcher, and the longest the event loop was held meanwhile: the API must
 * keep answering while a list is computed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend } from '../electron/backend/backend.js';
import { AUDIT_CANDIDATES, seedAuditProject } from './support/seeded-audit.js';

const N = 10_000;
const backend = createBackend({ mode: 'browser', version: 'bench', actor: 'bench' });
const project = backend.session.create(join(mkdtempSync(join(tmpdir(), 'rt-bench-audit-')), 'p'));
let t = performance.now();
seedAuditProject(project, N);
console.log(`seeded ${N} images × ${AUDIT_CANDIDATES} candidates and a reference audit in ${(performance.now() - t).toFixed(0)} ms`);

// The longest stretch the event loop could not answer anything else.
let longest = 0;
let last = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  longest = Math.max(longest, now - last);
  last = now;
}, 5);

let held = 0;
async function time(label: string, method: 'audit:disagreements' | 'audit:vocabulary' | 'audit:weak-references', input: Record<string, unknown>): Promise<number> {
  longest = 0;
  last = performance.now();
  const start = performance.now();
  const out = await backend.dispatcher.dispatch(method, input, { actor: 'bench' });
  const ms = performance.now() - start;
  if (!out.ok) throw new Error(JSON.stringify(out.error));
  held = Math.max(held, longest);
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms   (event loop held at most ${longest.toFixed(0)} ms)`);
  return ms;
}

await time('disagreements, first page (cold)', 'audit:disagreements', { limit: 50 });
const warm = await time('disagreements, page at 2,000 (warm)', 'audit:disagreements', { offset: 2000, limit: 50 });
await time('vocabulary, model side (cold)', 'audit:vocabulary', { side: 'model', limit: 50 });
const warmWords = await time('vocabulary, reference side (warm)', 'audit:vocabulary', { side: 'reference', limit: 50 });
const weak = await time('weak references, first page', 'audit:weak-references', { limit: 50 });
await time('weak references, page at 40,000', 'audit:weak-references', { offset: 40_000, limit: 50 });
clearInterval(ticker);
const met = Math.max(warm, warmWords) < 50 && weak < 500 && held < 200;
console.log(`targets: cached pages under 50 ms, weak references under 0.5 s, event loop never held 200 ms — ${met ? 'met' : 'NOT met'}`);
backend.dispose();
