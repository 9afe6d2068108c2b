/**
 * Issue 16, defect 2: a file that disappeared between the server's look at it and its read used
 * to end the process (a read stream piped with no 'error' listener). Now it fails that response.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendFile } from './static-files.js';
import { httpGet, makeServedProject, type ServedProject } from './testing/probes.js';
import { startServerProcess, type ServerProcess } from './testing/server-process.js';

const silent = { error() {}, warn() {}, info() {} };

describe('sendFile', () => {
  let server: Server;
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);
  afterEach(() => {
    process.off('uncaughtException', record);
    server?.close();
  });

  it('fails only the one response when the file goes between the check and the read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-send-'));
    process.on('uncaughtException', record);
    let next = 0;
    server = createServer((req, res) => {
      const file = join(dir, `${next++}.txt`);
      writeFileSync(file, 'served bytes');
      const done = sendFile(res, file, { log: silent });
      // Gone before the server gets to open it (the read is asynchronous).
      if (req.url === '/vanish') unlinkSync(file);
      void done;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/vanish`).catch((error: Error) => ({ status: 0, error }));
      // Served (the file was open before it went) or refused with a message naming it; never a crash.
      expect([0, 200, 404]).toContain(res.status);
      if (res.status === 404) expect(await (res as Response).text()).toMatch(/\d+\.txt cannot be opened \(ENOENT\)/);
    }
    const ok = await fetch(`http://127.0.0.1:${port}/stays`);
    expect([ok.status, await ok.text()]).toEqual([200, 'served bytes']);
    expect(uncaught).toEqual([]);
  });

  it('refuses a file that is not the one checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-send-'));
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'bytes');
    server = createServer((_req, res) => void sendFile(res, file, { log: silent, expect: { dev: 0n, ino: 0n } }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(`${file} was replaced`);
  });
});

describe('browser mode while a served image is renamed back and forth', () => {
  let served: ServedProject;
  let server: ServerProcess;

  beforeAll(async () => {
    served = await makeServedProject('rt-vanish-');
    server = await startServerProcess(served.projectDir, served.rendererDir);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps answering: each request gets the image or an error, and the process lives', async () => {
    const original = readFileSync(served.imageFile);
    // Another process renames the file away and back as fast as it can, as a sync tool or an editor might.
    const renamer = spawn(process.execPath, [
      '-e',
      `const fs = require('fs'); const [a, b] = process.argv.slice(1); const end = Date.now() + 4000;
       while (Date.now() < end) { fs.renameSync(a, b); fs.renameSync(b, a); }`,
      served.imageFile,
      `${served.imageFile}.away`,
    ]);
    const renamerDone = new Promise<void>((resolve) => renamer.on('exit', () => resolve()));
    const path = `/media/image/${served.imageId}?p=${server.mediaKey}`;
    const statuses = new Map<number, number>();
    let stop = false;
    void renamerDone.then(() => (stop = true));
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (!stop && server.exit() === null) {
          const res = await httpGet(server.port, path, server.token).catch(() => ({ status: 0, body: Buffer.alloc(0) }));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 200) expect(res.body.equals(original)).toBe(true);
        }
      }),
    );
    await renamerDone;
    expect(server.exit(), `the server process died (${JSON.stringify([...statuses])}):\n${server.log()}`).toBeNull();
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    const after = await httpGet(server.port, path, server.token);
    expect(after.status).toBe(200);
    expect(after.body.equals(original)).toBe(true);
  }, 30_000);
});
