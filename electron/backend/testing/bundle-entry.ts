/**
 * A process entry bundled from source with esbuild (as scripts/bundle.mjs does for the app), so
 * tests and benches start a real child process — browser mode, the backend host — without a build.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
// Inside the checkout, so the bundle's external packages resolve from its node_modules.
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'roundtrip-tests');
let built = 0;

/** A fresh bundle of `entry` (a path under the checkout); `label` names the file for whoever finds it. */
export async function bundleEntry(entry: string, label: string): Promise<string> {
  mkdirSync(OUT_DIR, { recursive: true });
  const outfile = join(OUT_DIR, `${label}-${process.pid}-${built++}.mjs`);
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning' });
  return outfile;
}

/** The checkout's root, for entries named relative to it. */
export const CHECKOUT_ROOT = ROOT;
