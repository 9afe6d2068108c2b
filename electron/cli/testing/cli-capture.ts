/** What the CLI's tests need to drive `runCli` in process: an io that keeps every line, and a project to run on. */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSquareImage } from '../../../tests/fixtures/make-images.js';
import type { CliIo } from '../cli-io.js';
import { runCli } from '../run-cli.js';

export type CapturedIo = CliIo & { outLines: string[]; errLines: string[] };

/** Keeps stdout and stderr lines; progress lines go to `onProgress` (dropped by default). */
export function captureIo(onProgress: (line: string) => void = () => {}): CapturedIo {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l), progress: onProgress };
}

/** A project made by `roundtrip init` and `import` of one 32×32 red PNG; returns its folder. */
export async function projectWithOneImage(prefix: string): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const images = join(root, 'images');
  mkdirSync(images);
  await writeSquareImage(join(images, 'red.png'), 'red', 32);
  const dir = join(root, 'project');
  for (const argv of [['init', dir], ['import', dir, '--folder', images]]) {
    const io = captureIo();
    if ((await runCli(argv, io)) !== 0) throw new Error(`roundtrip ${argv[0]} failed: ${io.errLines.join('\n')}`);
  }
  return dir;
}
