/**
 * Bundles the CLI and the inference worker from source (as scripts/bundle.mjs does), so the suite
 * tests this checkout without a build first, and points every child process at them.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
// Inside the checkout, so the bundles' external packages resolve from its node_modules.
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'roundtrip-faults');

export default async function setup(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning' } as const;
  await Promise.all([
    build({ ...common, entryPoints: [join(ROOT, 'electron/cli/main.ts')], outfile: join(OUT_DIR, 'roundtrip.mjs') }),
    build({ ...common, entryPoints: [join(ROOT, 'electron/engine/engine-worker-main.ts')], outfile: join(OUT_DIR, 'engine-worker.mjs') }),
  ]);
  process.env.FAULTS_CLI = join(OUT_DIR, 'roundtrip.mjs');
  process.env.ROUNDTRIP_ENGINE_WORKER = join(OUT_DIR, 'engine-worker.mjs');
  process.env.ROUNDTRIP_DEMO_MODELS = join(ROOT, 'resources', 'demo');
  // No user's models folder or default project.
  process.env.ROUNDTRIP_HOME = mkdtempSync(join(tmpdir(), 'rt-faults-home-'));
  process.env.FAULTS_SEED ??= '16';
}
