/**
 * Browser mode in the test's own process: a test backend on a fresh temporary folder (with an
 * empty renderer to serve) behind startBrowserServer, for tests of the HTTP layer that need no
 * separate server process. dispose() closes both and removes the folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackend } from '../../backend/testing/test-backend.js';
import { startBrowserServer, type BrowserServer } from '../browser-server.js';

export interface InProcessServer {
  /** The temporary folder: the backend's home, with renderer/ inside. */
  root: string;
  server: BrowserServer;
  dispose(): Promise<void>;
}

export async function startInProcessServer(prefix: string): Promise<InProcessServer> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(root, 'renderer'));
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html>');
  const backend = testBackend(root);
  const server = await startBrowserServer({ backend, rendererDir: join(root, 'renderer'), log: { error() {}, warn() {}, info() {} } });
  return {
    root,
    server,
    async dispose() {
      await server.close();
      await backend.dispose();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
