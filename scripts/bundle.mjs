// Bundles the Node side: the CLI (dist/cli), the inference worker (dist/inference), the backend host
// (dist/backend: Electron runs it as a utilityProcess), Electron main and the sandboxed preload (dist/electron).
// Dependencies stay external (they ship in node_modules, native ones unpacked from asar);
// the preload is bundled whole because a sandboxed preload may only require 'electron'.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: ['electron/cli/main.ts'], outfile: 'dist/cli/roundtrip.mjs', format: 'esm', packages: 'external' }),
  build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.mjs', format: 'esm', packages: 'external' }),
  build({ ...common, entryPoints: ['electron/backend/host/host-main.ts'], outfile: 'dist/backend/host.mjs', format: 'esm', packages: 'external' }),
  build({ ...common, entryPoints: ['electron/engine/engine-worker-main.ts'], outfile: 'dist/inference/engine-worker.mjs', format: 'esm', packages: 'external' }),
  build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] }),
]);
