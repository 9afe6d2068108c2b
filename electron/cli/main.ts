#!/usr/bin/env node
/** Entry point of the `roundtrip` command (bundled to dist/cli/roundtrip.mjs). */
import { processIo } from './cli-io.js';
import { exitWhenDone } from './exit-when-done.js';
import { runCli } from './run-cli.js';

const stop = new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});

runCli(process.argv.slice(2), processIo, stop).then((code) => exitWhenDone(code, processIo.err));
