/**
 * The vanishing-file race (issue 16, defects 2 and 5) at a larger scale: while 8 clients load an
 * imported image and its thumbnail from browser mode, another process renames the image away and
 * back, then swaps it with a different file of the same size. Every answer must be the image's
 * own bytes or an error; the server must live through it.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, makeServedProject, type ServedProject } from '../../electron/server/testing/probes.js';
import { startServer, type FaultServer } from './support/server.js';
import { count, flushTally } from './support/tally.js';

const SECONDS = 5;
const CLIENTS = 8;

let served: ServedProject;
let server: FaultServer;

beforeAll(async () => {
  served = await makeServedProject('rt-faults-vanish-');
  server = await startServer(served.projectDir);
}, 60_000);

afterAll(async () => {
  flushTally();
  await server?.stop();
  if (served) rmSync(served.root, { recursive: true, force: true });
});

/** Runs `script` (with the image's path and a second path as arguments) in another process for SECONDS while the clients load. */
async function race(script: string, other: string): Promise<Map<number, number>> {
  const original = readFileSync(served.imageFile);
  const mover = spawn(process.execPath, ['-e', `const fs = require('fs'); const [a, b] = process.argv.slice(1); const end = Date.now() + ${SECONDS * 1000}; ${script}`, served.imageFile, other]);
  const moverDone = new Promise<void>((resolve) => mover.on('exit', () => resolve()));
  let stop = false;
  void moverDone.then(() => (stop = true));
  const statuses = new Map<number, number>();
  const wrong: string[] = [];
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const path = client % 4 === 3 ? `/media/thumb/${served.imageId}?p=${server.mediaKey}` : `/media/image/${served.imageId}?p=${server.mediaKey}`;
      while (!stop && server.exit() === null) {
        const res = await httpGet(server.port, path, server.token).catch(() => ({ status: 0, body: Buffer.alloc(0) }));
        count('cases');
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200 && path.includes('/image/') && !res.body.equals(original)) wrong.push(`${res.body.length} bytes that are not the image`);
      }
    }),
  );
  await moverDone;
  if (server.exit() !== null) count('deaths');
  expect(server.exit(), `the server died (${JSON.stringify([...statuses])}):\n${server.log()}`).toBeNull();
  expect(wrong.slice(0, 5)).toEqual([]);
  return statuses;
}

describe('browser mode while a served image vanishes and changes', () => {
  it('answers each request with the image or an error while the file is renamed away and back', async () => {
    const statuses = await race('while (Date.now() < end) { fs.renameSync(a, b); fs.renameSync(b, a); }', `${served.imageFile}.away`);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  });

  it('never serves another file of the same size swapped into its place', async () => {
    const impostor = `${served.imageFile}.impostor`;
    const size = readFileSync(served.imageFile).length;
    writeFileSync(impostor, Buffer.alloc(size, 0x41));
    // The impostor takes the image's name for a moment in each round; the image is back in place at the end.
    await race(`while (Date.now() < end) { fs.renameSync(a, tmp()); fs.renameSync(b, a); fs.renameSync(a, b); fs.renameSync(tmp(), a); } function tmp() { return a + '.swap'; }`, impostor);
  });

  it('serves the image again once the file is back', async () => {
    const after = await httpGet(server.port, `/media/image/${served.imageId}?p=${server.mediaKey}`, server.token);
    expect(after.status).toBe(200);
    expect(after.body.equals(readFileSync(served.imageFile))).toBe(true);
    expect(await server.answers()).toBe(true);
  });
});
