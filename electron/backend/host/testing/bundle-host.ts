/**
 * The backend host entry bundled from source with esbuild (as scripts/bundle.mjs does for the
 * app), so tests and benches start the real host without a build first.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');
// Inside the checkout, so the bundle's external packages resolve from its node_modules.
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'roundtrip-tests');

export async function bundleHost(): Promise<string> {
  mkdirSync(OUT_DIR, { recursive: true });
  const outfile = join(OUT_DIR, `backend-host-${process.pid}-${Date.now()}.mjs`);
  await build({
    entryPoints: [join(ROOT, 'electron', 'backend', 'host', 'host-main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}
