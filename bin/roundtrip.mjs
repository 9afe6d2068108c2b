#!/usr/bin/env node
// The `roundtrip` command: runs the bundled CLI, which `npm run build` (or `npm start`) produces.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli/roundtrip.mjs', import.meta.url);
if (!existsSync(cli)) {
  console.error('roundtrip: the CLI is not built yet; run `npm run build` in the Roundtrip folder first.');
  process.exit(1);
}
await import(cli.href);
