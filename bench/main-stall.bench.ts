/**
 * The window-hosting process's longest stall while a 10,000-image audit computes (issue 17,
 * acceptance 2: under 50 ms). Before: the backend in the same process, as Electron main ran it.
 * After: the same calls through BackendSupervisor with the backend host (dist/backend/host.mjs)
 * in a child process, as Electron main now runs it (a utilityProcess there, a Node fork here).
 * Measured with perf_hooks.monitorEventLoopDelay in this process, which stands in for main.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Outcome } from '../shared/contract/wire.js';
import { createBackend } from '../electron/backend/backend.js';
import { forkHost } from '../electron/backend/host/fork-host.js';
import { BackendSupervisor } from '../electron/main/backend-supervisor.js';
import { ModelRegistry } from '../electron/models/registry.js';
import { Project } from '../electron/storage/project.js';
import { seedAuditProject } from './support/seeded-audit.js';

const N = 10_000;
const LIMIT_MS = 50;
const root = mkdtempSync(join(tmpdir(), 'rt-bench-stall-'));
const dir = join(root, 'p');
const modelsDir = join(root, 'no-models');
let t = performance.now();
const seeded = Project.create(dir);
seedAuditProject(seeded, N);
seeded.dispose();
console.log(`seeded ${N} images with a suggest run and a reference audit in ${(performance.now() - t).toFixed(0)} ms`);

type Invoke = (method: string, input: unknown) => Promise<Outcome<unknown>>;
/** The audit view's cold lists, each computed from scratch by a fresh backend. */
const CALLS: [string, unknown][] = [
  ['audit:disagreements', { limit: 50 }],
  ['audit:vocabulary', { side: 'model', limit: 50 }],
  ['audit:weak-references', { limit: 50 }],
];

async function measure(label: string, invoke: Invoke): Promise<number> {
  // The previous phase's garbage (a whole in-process backend) is collected now, not inside this measurement.
  (globalThis as { gc?: () => void }).gc?.();
  const delay = monitorEventLoopDelay({ resolution: 5 });
  // Something for the loop to do, as a window's IPC and menus would be: the histogram samples the loop either way.
  const busy = setInterval(() => {}, 1);
  delay.enable();
  const cpu = process.cpuUsage();
  t = performance.now();
  for (const [method, input] of CALLS) {
    const outcome = await invoke(method, input);
    if (!outcome.ok) throw new Error(`${method}: ${outcome.error.message}`);
  }
  const took = performance.now() - t;
  const used = process.cpuUsage(cpu);
  delay.disable();
  clearInterval(busy);
  const max = delay.max / 1e6;
  console.log(`${label.padEnd(36)} audit ${took.toFixed(0).padStart(6)} ms   event-loop delay max ${max.toFixed(1).padStart(7)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1).padStart(6)} ms, p99.9 ${(delay.percentile(99.9) / 1e6).toFixed(1)} ms; this process's CPU ${((used.user + used.system) / 1000).toFixed(0)} ms`);
  return max;
}

// Before: the backend on this process's thread.
const inProcess = createBackend({ mode: 'electron', version: 'bench', actor: 'bench', log: console, registry: new ModelRegistry({ modelsDir }) });
inProcess.session.open(dir);
const before = await measure('backend in process (before)', (m, i) => inProcess.dispatcher.dispatch(m, i, { actor: 'bench' }));
await inProcess.dispose();

// After: the backend host in a child process, behind the supervisor.
const supervisor = new BackendSupervisor({
  spawn: forkHost(resolve('dist', 'backend', 'host.mjs')),
  config: { mode: 'electron', version: 'bench', actor: 'bench', modelsDir, projectDir: dir },
  log: console,
});
await supervisor.start();
const after = await measure('backend host in a child (after)', (m, i) => supervisor.client.invoke(m, i));
await supervisor.dispose();

console.log(`target: the window process never stalls ${LIMIT_MS} ms — before ${before.toFixed(0)} ms, after ${after.toFixed(0)} ms: ${after < LIMIT_MS ? 'met' : 'NOT met'}`);
if (after >= LIMIT_MS) process.exitCode = 1;
