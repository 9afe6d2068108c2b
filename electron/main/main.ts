/**
 * Composition root of the Electron main process. It stays thin: the backend (storage, import,
 * export, API) is the same one browser mode runs, and is tested there under plain Node.
 */
import { app, BrowserWindow, session } from 'electron';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createBackend, type Backend } from '../backend/backend.js';
import { engineWorkerEntry } from '../backend/engine-worker-entry.js';
import type { EngineWorkerMethods } from '../engine/engine-worker-methods.js';
import { defaultProjectDir } from '../backend/user-data.js';
import { backendCall } from '../backend/backend-call.js';
import { createDemoProject } from '../demo-world/demo-project.js';
import { Project } from '../storage/project.js';
import { utilityWorker } from './utility-worker-host.js';
import { registerIpc } from './ipc.js';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol.js';
import { createMainWindow, rendererPaths } from './window.js';

// dist/electron/main.mjs → dist/
const distDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const paths = rendererPaths(distDir);
const appUrl = pathToFileURL(paths.rendererIndex).toString();

// Packaged, the demo models are extraResources (Resources/resources/demo), plain files beside the
// asar archive: onnxruntime's native code cannot read model files from inside one. Workers inherit it.
if (app.isPackaged) process.env.ROUNDTRIP_DEMO_MODELS ??= join(process.resourcesPath, 'resources', 'demo');

app.enableSandbox();
registerMediaScheme();
if (!app.requestSingleInstanceLock()) app.quit();

let backend: Backend | undefined;
let disposeIpc: (() => void) | undefined;

app.whenReady().then(async () => {
  // The renderer needs no device, notification or other permission.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  // Inference runs in a utilityProcess: Chromium launches it, so it works with the RunAsNode fuse off.
  backend = createBackend({
    mode: 'electron',
    version: app.getVersion(),
    actor: userInfo().username,
    launchWorker: () => utilityWorker<EngineWorkerMethods>(engineWorkerEntry()),
  });
  await openStartupProject(backend, process.argv.slice(app.isPackaged ? 1 : 2));
  disposeIpc = registerIpc(backend, appUrl);
  handleMediaProtocol(backend);
  createMainWindow(paths);
});

app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => {
  disposeIpc?.();
  backend?.dispose();
});

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
