/**
 * Composition root of the Electron main process. It stays thin: the backend (storage, import,
 * export, API) is the same one browser mode runs, and is tested there under plain Node.
 */
import { app, BrowserWindow, session, shell } from 'electron';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend, type Backend } from '../backend/backend.js';
import { engineWorkerEntry } from '../backend/engine-worker-entry.js';
import type { EngineWorkerMethods } from '../engine/engine-worker-methods.js';
import { defaultProjectDir } from '../backend/user-data.js';
import { backendCall } from '../backend/backend-call.js';
import { createDemoProject } from '../demo-world/demo-project.js';
import { Project } from '../storage/project.js';
import { findRendererDir } from '../server/renderer-dir.js';
import { utilityWorker } from './utility-worker-host.js';
import { APP_URL } from './app-origin.js';
import { handleAppProtocol } from './app-protocol.js';
import { registerIpc } from './ipc.js';
import { handleMediaProtocol } from './media-protocol.js';
import { registerPrivilegedSchemes } from './schemes.js';
import { guardSession } from './session-guards.js';
import { guardWebContents } from './web-contents-guards.js';
import { createMainWindow, preloadPath } from './window.js';

// dist/electron/main.mjs → dist/
const distDir = join(dirname(fileURLToPath(import.meta.url)), '..');

// Packaged, the demo models are extraResources (Resources/resources/demo), plain files beside the
// asar archive: onnxruntime's native code cannot read model files from inside one. Workers inherit it.
if (app.isPackaged) process.env.ROUNDTRIP_DEMO_MODELS ??= join(process.resourcesPath, 'resources', 'demo');

app.enableSandbox();
registerPrivilegedSchemes();
// Every web contents (the main window's, and any other) is guarded as it is created, before it loads anything.
app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openInBrowser));
if (!app.requestSingleInstanceLock()) app.quit();

let backend: Backend | undefined;
let disposeIpc: (() => void) | undefined;

app.whenReady().then(async () => {
  guardSession(session.defaultSession);
  // The renderer comes from app://, never file:// (app-origin.ts); the protocol is handled before any window exists.
  handleAppProtocol(findRendererDir());
  // Inference runs in a utilityProcess: Chromium launches it, so it works with the RunAsNode fuse off.
  backend = createBackend({
    mode: 'electron',
    version: app.getVersion(),
    actor: userInfo().username,
    launchWorker: () => utilityWorker<EngineWorkerMethods>(engineWorkerEntry()),
  });
  await openStartupProject(backend, process.argv.slice(app.isPackaged ? 1 : 2));
  disposeIpc = registerIpc(backend, APP_URL);
  handleMediaProtocol(backend);
  createMainWindow({ url: APP_URL, preload: preloadPath(distDir) });
});

app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
app.on('window-all-closed', () => app.quit());
let quitting = false;
app.on('will-quit', (event) => {
  if (quitting) return;
  quitting = true;
  // dispose() cancels running jobs and waits (up to its limit) for calls in flight before closing
  // the project; quitting without waiting would close SQLite under them.
  event.preventDefault();
  disposeIpc?.();
  void (backend?.dispose() ?? Promise.resolve()).catch((error: Error) => console.error(`[roundtrip] shutdown: ${error.message}`)).finally(() => app.exit(0));
});

/** Only links the allowlist passes (https to EXTERNAL_LINK_HOSTS, external-links.ts) get here: guardWebContents checks them. */
function openInBrowser(url: string): Promise<void> {
  return shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK: called only by guardWebContents with a link external-links.ts allowed
}

/** A project folder given on the command line, else the default project (a demo project on first run). */
async function openStartupProject(backend: Backend, args: string[]): Promise<void> {
  const named = args.find((a) => !a.startsWith('-'));
  const dir = named ?? defaultProjectDir();
  if (named === undefined && !Project.exists(dir)) {
    await createDemoProject(backendCall(backend), dir).catch((error: Error) => {
      // Still open whatever was created: an empty project beats no window.
      console.error(`[roundtrip] could not fill the demo project: ${error.message}`);
      if (!Project.exists(dir)) backend.session.create(dir, 'My first project');
    });
  } else backend.session.open(dir);
}
