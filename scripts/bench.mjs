// `npm run bench [name…]`: bundles each bench/*.bench.ts with esbuild and runs it under Node,
// one after another (these machines have two cores; parallel benches would skew each other).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const wanted = process.argv.slice(2);
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)));
// Inside the checkout, so the bundles resolve node_modules.
const outDir = join('dist', 'bench');
let failed = 0;
for (const file of benches) {
  const outfile = join(outDir, file.replace(/\.ts$/, '.mjs'));
  await build({ entryPoints: [join('bench', file)], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
  console.log(`\n== ${file}`);
  const run = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit', cwd: process.cwd() });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
