/**
 * A browser-mode server started for a test must not outlive the test process: two such servers,
 * left behind by killed test runs, were found still running (and spinning) 15 minutes later.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeServedProject } from './probes.js';
import { startServerProcess } from './server-process.js';

describe('startServerProcess', () => {
  it('ends the server when its parent goes away (stdin closes), with a clean exit', async () => {
    const served = await makeServedProject('rt-server-orphan-');
    try {
      const server = await startServerProcess(served.projectDir, served.rendererDir);
      expect(server.exit()).toBeNull();
      await server.orphan();
      expect(server.exit()).toEqual({ code: 0, signal: null });
    } finally {
      rmSync(served.root, { recursive: true, force: true });
    }
  }, 60_000);
});
