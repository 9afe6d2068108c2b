/**
 * A browser-mode server as its own process, for tests that must see whether a client can kill
 * it (server-process.ts bundles and starts this). Opens the project in argv[2], serves the
 * renderer folder in argv[3], prints one JSON line {port, token, mediaKey}, and stops on SIGTERM
 * or when its parent goes away (stdin closes).
 */
import { createBackend } from '../../backend/backend.js';
import { ModelRegistry } from '../../models/registry.js';
import { startBrowserServer } from '../browser-server.js';
import { join } from 'node:path';

const [projectDir, rendererDir] = process.argv.slice(2);
if (!projectDir || !rendererDir) throw new Error('usage: serve-for-tests PROJECT_DIR RENDERER_DIR');
const log = { error: console.error, warn: console.error, info: console.error };
const backend = createBackend({ mode: 'browser', version: 'test', actor: 'tester', log, registry: new ModelRegistry({ modelsDir: join(projectDir, 'no-models') }) });
const project = backend.session.open(projectDir);
const server = await startBrowserServer({ backend, rendererDir, log });
process.stdout.write(`${JSON.stringify({ port: server.port, token: server.token, mediaKey: project.mediaKey })}\n`);
let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  void server
    .close()
    .then(() => backend.dispose())
    .then(() => process.exit(0));
}
process.once('SIGTERM', stop);
// The parent holds our stdin open; when it goes away (a test run killed or timed out) the pipe
// closes, and a server left running would be an orphan nobody stops.
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
