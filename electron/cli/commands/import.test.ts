/**
 * Issue 16, defect 3, from the command line: Ctrl+C cancels an import (exit 130, saying what was
 * kept), and a FIFO given as the COCO file is refused at once instead of hanging the command.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noiseImage, tempDir, writeFiles } from '../../backend/import/test-images.js';
import { Project } from '../../storage/project.js';
import { runCli } from '../run-cli.js';
import { captureIo as capture } from '../testing/cli-capture.js';

describe('roundtrip import', () => {
  it('stops on Ctrl+C with exit code 130 and says what was kept', async () => {
    const root = tempDir('cli-cancel');
    const folder = join(root, 'images');
    const png = await noiseImage('png', 16, 16, 1);
    for (let i = 0; i < 500; i++) writeFiles(folder, { [`${String(i).padStart(4, '0')}.png`]: Buffer.concat([png, Buffer.from([i & 0xff, i >> 8])]) });
    const dir = join(root, 'project');
    expect(await runCli(['init', dir], capture())).toBe(0);

    let pressCtrlC = () => {};
    const stop = new Promise<void>((resolve) => (pressCtrlC = resolve));
    const io = capture((line) => {
      const done = /importing (\d+)\//.exec(line);
      if (done && Number(done[1]) >= 250) pressCtrlC();
    });
    const code = await runCli(['import', dir, '--folder', folder], io, stop);
    expect(code).toBe(130);
    expect(io.errLines).toContain('Stopping the import…');
    const last = io.errLines.at(-1)!;
    expect(last).toMatch(/^roundtrip import: The import was cancelled\. \d+ new image\(s\) saved before it stopped are kept; run the import again to add the rest\.$/);
    const project = Project.open(dir);
    expect(last).toContain(`${project.images.count()} new image(s)`);
    expect(project.images.count()).toBeLessThan(500);
    project.dispose();
  }, 60_000);

  it('refuses a FIFO as the COCO file at once, naming it', async () => {
    const root = tempDir('cli-fifo');
    const dir = join(root, 'project');
    expect(await runCli(['init', dir], capture())).toBe(0);
    const fifo = join(root, 'captions.json');
    execFileSync('mkfifo', [fifo]);
    writeFiles(join(root, 'images'), { 'a.png': await noiseImage('png', 8, 8, 1) });
    const io = capture();
    expect(await runCli(['import', dir, '--coco', fifo, '--images', join(root, 'images')], io)).toBe(1);
    expect(io.errLines).toEqual([`roundtrip import: ${fifo} is a FIFO (named pipe), not a regular file; Roundtrip reads only regular files.`]);
  }, 10_000);
});
