/**
 * Paths the contract accepts but the file system answers strangely, sent to browser mode as its
 * own process (found by the fault suite, tests/faults): the request fails with a message, the
 * server goes on answering.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeServedProject, wsCall } from './testing/probes.js';
import { startServerProcess, type ServerProcess } from './testing/server-process.js';

let server: ServerProcess;

beforeAll(async () => {
  const served = await makeServedProject('rt-hostile-paths-');
  server = await startServerProcess(served.projectDir, served.rendererDir);
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('browser mode given hostile project paths', () => {
  // procfs answers ENOENT to a mkdir under a folder that exists; Node's recursive mkdir then
  // retries forever on the main thread, and the whole server froze at 100% CPU.
  it.skipIf(!existsSync('/proc/self'))('answers project:create under /proc with an error naming the folder, and keeps answering', async () => {
    const reply = await wsCall(server.port, server.token, 'project:create', { path: '/proc/roundtrip-test/project' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'IO_ERROR', message: expect.stringContaining('/proc/roundtrip-test/project') } });
    expect(await wsCall(server.port, server.token, 'app:info')).toMatchObject({ ok: true });
  });
});
