/**
 * Imports from paths that block or never end (issue 16, defect 3): FIFOs with and without a
 * writer, links to them and to devices, in place of the COCO file, the images folder, an image or
 * a caption; and a slow import stopped by import:cancel over the API and by Ctrl+C in the CLI.
 * Each must end within seconds with a message naming the file, and leave the server answering
 * and the import able to run again to the end.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noiseImage } from '../../electron/backend/import/test-images.js';
import { makeServedProject, type ServedProject } from '../../electron/server/testing/probes.js';
import { Project } from '../../electron/storage/project.js';
import { roundtrip, startCli } from './support/cli.js';
import { startServer, type FaultServer, type Reply } from './support/server.js';
import { count, flushTally } from './support/tally.js';

const ANSWER_WITHIN_MS = 5_000;

let served: ServedProject;
let server: FaultServer;

beforeAll(async () => {
  served = await makeServedProject('rt-faults-blocking-');
  server = await startServer(served.projectDir);
}, 60_000);

afterAll(async () => {
  flushTally();
  await server?.stop();
  if (served) rmSync(served.root, { recursive: true, force: true });
});

const mkfifo = (path: string): string => {
  execFileSync('mkfifo', [path]);
  return path;
};

/** The call's reply, or a failure once ANSWER_WITHIN_MS has passed. */
async function promptly(method: string, input: unknown): Promise<Reply> {
  const started = Date.now();
  const reply = await Promise.race([
    server.invoke(method, input),
    sleep(ANSWER_WITHIN_MS).then(() => {
      throw new Error(`${method} ${JSON.stringify(input)} did not answer within ${ANSWER_WITHIN_MS} ms`);
    }),
  ]);
  count('cases');
  expect(Date.now() - started).toBeLessThan(ANSWER_WITHIN_MS);
  return reply;
}

async function expectAlive(): Promise<void> {
  const alive = await server.answers();
  if (!alive) count('deaths');
  expect(alive, server.log()).toBe(true);
}

/** A folder holding one real image, so an import has something to take besides the hostile entry. */
function folderWithImage(name: string): string {
  const folder = join(served.root, name);
  mkdirSync(folder);
  copyFileSync(served.imageFile, join(folder, 'real.png'));
  return folder;
}

describe('imports from paths that block', () => {
  it('refuse a FIFO, a FIFO being written slowly, and links to a FIFO or a device as the COCO file, naming each', async () => {
    const images = join(served.root, 'images');
    const idle = mkfifo(join(served.root, 'idle.json'));
    const trickled = mkfifo(join(served.root, 'trickled.json'));
    // A writer that sends valid COCO JSON one byte every 50 ms: a slow file that would take minutes.
    const writer = spawn(process.execPath, ['-e', `const fs = require('fs'); const fd = fs.openSync(process.argv[1], 'w'); const text = JSON.stringify({ images: [], annotations: [] }) + ' '.repeat(10000); let i = 0; setInterval(() => { try { fs.writeSync(fd, text[i++] ?? ' '); } catch { process.exit(0); } }, 50);`, trickled]);
    const linkToFifo = join(served.root, 'link-to-fifo.json');
    symlinkSync(idle, linkToFifo);
    const linkToZero = join(served.root, 'zero.json');
    symlinkSync('/dev/zero', linkToZero);
    const linkToRandom = join(served.root, 'random.json');
    symlinkSync('/dev/urandom', linkToRandom);
    try {
      for (const [file, what] of [
        [idle, /FIFO|named pipe/],
        [trickled, /FIFO|named pipe/],
        [linkToFifo, /FIFO|named pipe/],
        [linkToZero, /character device/],
        [linkToRandom, /character device/],
      ] as const) {
        const reply = await promptly('import:coco', { file, images });
        expect(reply.ok, file).toBe(false);
        expect(reply.error?.message).toContain(file);
        expect(reply.error?.message).toMatch(what);
      }
    } finally {
      writer.kill('SIGKILL');
    }
    await expectAlive();
  });

  it('refuse a FIFO as the images folder, and report a FIFO or a device named like an image or a caption while importing the rest', async () => {
    const fifoFolder = mkfifo(join(served.root, 'fifo-folder'));
    const asFolder = await promptly('import:folder', { folder: fifoFolder });
    expect(asFolder.ok).toBe(false);
    expect(asFolder.error?.message).toContain(fifoFolder);

    const folder = folderWithImage('hostile-entries');
    mkfifo(join(folder, 'pipe.png'));
    symlinkSync('/dev/urandom', join(folder, 'noise.jpg'));
    symlinkSync(mkfifo(join(served.root, 'caption-pipe')), join(folder, 'real.txt'));
    const reply = await promptly('import:folder', { folder });
    expect(reply.ok, JSON.stringify(reply.error)).toBe(true);
    const report = reply.result as { imported: number; problems: { item: string; message: string }[] };
    expect(report.imported).toBe(1);
    const problems = report.problems.map((p) => `${p.item}: ${p.message}`).join('\n');
    expect(problems).toMatch(/pipe\.png.*(FIFO|named pipe)/);
    expect(problems).toMatch(/noise\.jpg.*character device/);
    expect(problems).toMatch(/real\.txt.*(FIFO|named pipe)/);
    await expectAlive();
  });

  it('leave media, project:open and other imports working after four blocked at once', async () => {
    const fifos = [1, 2, 3, 4].map((n) => mkfifo(join(served.root, `four-${n}.json`)));
    const replies = await Promise.all(fifos.map((file) => promptly('import:coco', { file, images: join(served.root, 'images') })));
    expect(replies.map((r) => r.ok)).toEqual([false, false, false, false]);
    expect((await promptly('project:open', { path: served.projectDir })).ok).toBe(true);
    expect((await promptly('images:get', { id: served.imageId })).ok).toBe(true);
    await expectAlive();
  });
});

/** Waits until the import of `folder` has saved at least `atLeast` images; returns how many it had. */
async function importedFrom(folder: string, atLeast: number): Promise<number> {
  for (const end = Date.now() + 30_000; Date.now() < end; await sleep(20)) {
    const project = Project.open(served.projectDir);
    try {
      const dataset = project.datasets.list().find((d) => d.rootPath === folder);
      const n = dataset ? project.images.list({ offset: 0, limit: 1, datasetId: dataset.id }).total : 0;
      if (n >= atLeast) return n;
    } finally {
      project.dispose();
    }
  }
  throw new Error(`the import of ${folder} saved nothing in 30 s`);
}

describe('a slow import', () => {
  const COUNT = 400;
  let folder: string;

  beforeAll(async () => {
    folder = join(served.root, 'many');
    mkdirSync(folder);
    const png = await noiseImage('png', 48, 48, 7);
    // Same pixels, different bytes: each file is probed, hashed and thumbnailed on its own.
    for (let i = 0; i < COUNT; i++) writeFileSync(join(folder, `${String(i).padStart(4, '0')}.png`), Buffer.concat([png, Buffer.from([i & 0xff, i >> 8])]));
  });

  it('is stopped by import:cancel with CANCELLED and a message, and the same import then adds the rest', async () => {
    const importing = server.invoke('import:folder', { folder });
    const atCancel = await importedFrom(folder, 1);
    const cancel = await promptly('import:cancel', {});
    expect(cancel).toMatchObject({ ok: true, result: { cancelled: 1 } });
    const reply = await Promise.race([importing, sleep(ANSWER_WITHIN_MS).then(() => null)]);
    expect(reply, 'the cancelled import did not end').not.toBeNull();
    expect(reply!.error).toMatchObject({ code: 'CANCELLED', message: expect.stringMatching(/\w+/) });
    expect(atCancel).toBeLessThan(COUNT);
    const again = await server.invoke('import:folder', { folder });
    expect(again.ok, JSON.stringify(again.error)).toBe(true);
    const project = Project.open(served.projectDir);
    try {
      const dataset = project.datasets.list().find((d) => d.rootPath === folder)!;
      expect(project.images.list({ offset: 0, limit: 1, datasetId: dataset.id }).total).toBe(COUNT);
    } finally {
      project.dispose();
    }
    await expectAlive();
  });

  it('is stopped by Ctrl+C in the CLI with a message, and runs again to the end', async () => {
    const cliFolder = join(served.root, 'many-cli');
    mkdirSync(cliFolder);
    const png = await noiseImage('png', 48, 48, 8);
    for (let i = 0; i < COUNT; i++) writeFileSync(join(cliFolder, `${String(i).padStart(4, '0')}.png`), Buffer.concat([png, Buffer.from([i & 0xff, i >> 8])]));
    const importing = startCli(['import', served.projectDir, '--folder', cliFolder]);
    const atInterrupt = await importedFrom(cliFolder, 1);
    importing.child.kill('SIGINT');
    const ended = await Promise.race([importing.exited, sleep(ANSWER_WITHIN_MS).then(() => null)]);
    count('cases');
    expect(ended, `the import went on after Ctrl+C:\n${importing.output()}`).not.toBeNull();
    expect(atInterrupt).toBeLessThan(COUNT);
    expect(ended!.code, importing.output()).not.toBe(0);
    expect(importing.output()).toMatch(/cancel|stopp|interrupt/i);
    const again = roundtrip('import', served.projectDir, '--folder', cliFolder);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already in the project|Imported \d+ image/);
  });
});
