/**
 * Issue 16, defect 3: an import from a path that blocks (a FIFO) used to hang forever: it held one
 * of libuv's four threads, kept project:open in CONFLICT, four of them starved every other file
 * operation, and the server no longer stopped on SIGTERM (exit waits for the blocked thread). The
 * server runs as its own process here, so a hang shows as a timeout and a stuck exit as SIGKILL.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, makeServedProject, wsCall, type ServedProject } from './testing/probes.js';
import { startServerProcess, type ServerProcess } from './testing/server-process.js';

let served: ServedProject;
let server: ServerProcess;

beforeAll(async () => {
  served = await makeServedProject('rt-blocking-import-');
  server = await startServerProcess(served.projectDir, served.rendererDir);
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

const mkfifo = (path: string): string => {
  execFileSync('mkfifo', [path]);
  return path;
};

type Reply = { ok: boolean; error?: { code: string; message: string }; result?: unknown };

describe('imports from paths that block', () => {
  it('refuse a FIFO as the COCO file at once, naming it', async () => {
    const fifo = mkfifo(join(served.root, 'captions.json'));
    const reply = (await wsCall(server.port, server.token, 'import:coco', { file: fifo, images: join(served.root, 'images') })) as Reply;
    expect(reply.ok).toBe(false);
    expect(reply.error?.message).toContain(fifo);
    expect(reply.error?.message).toMatch(/FIFO|named pipe/);
  });

  it('report a caption sidecar that links to a FIFO, and import the rest', async () => {
    const folder = join(served.root, 'linked');
    mkdirSync(folder);
    execFileSync('cp', [served.imageFile, join(folder, 'b.png')]);
    symlinkSync(mkfifo(join(served.root, 'pipe')), join(folder, 'b.txt'));
    const reply = (await wsCall(server.port, server.token, 'import:folder', { folder })) as Reply;
    expect(reply.ok, JSON.stringify(reply.error)).toBe(true);
    const report = reply.result as { imported: number; problems: { item: string; message: string }[] };
    expect(report.imported).toBe(1);
    expect(report.problems).toEqual([expect.objectContaining({ item: 'b.txt', message: expect.stringMatching(/b\.txt.*(FIFO|named pipe)/) })]);
  });

  it('leave the thread pool, project:open and SIGTERM working after four of them', async () => {
    const fifos = [1, 2, 3, 4].map((n) => mkfifo(join(served.root, `more-${n}.json`)));
    const replies = (await Promise.all(
      fifos.map((file) => wsCall(server.port, server.token, 'import:coco', { file, images: join(served.root, 'images') })),
    )) as Reply[];
    expect(replies.map((r) => r.ok)).toEqual([false, false, false, false]);

    // Serving media reads through the thread pool: it answers.
    const media = await httpGet(server.port, `/media/image/${served.imageId}?p=${server.mediaKey}`, server.token);
    expect(media.status).toBe(200);
    const reopened = (await wsCall(server.port, server.token, 'project:open', { path: served.projectDir })) as Reply;
    expect(reopened.ok, JSON.stringify(reopened.error)).toBe(true);

    await server.stop();
    // stop() sends SIGTERM and falls back to SIGKILL after 5 s: a clean exit is code 0.
    expect(server.exit()).toEqual({ code: 0, signal: null });
  }, 30_000);
});
