import { BrowserWindow } from 'electron';
import { join } from 'node:path';

export interface MainWindowOptions {
  /** The page to load: APP_URL, served by the app:// protocol. */
  url: string;
  preload: string;
}

/**
 * The main window: isolated, sandboxed, no Node in the page. Navigation, new windows and
 * permissions are guarded for every web contents in main.ts (web-contents-guards.ts).
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({ // eng-disable AUXCLICK_JS_CHECK: a middle-click can only ask for a window, and setWindowOpenHandler denies every window (web-contents-guards.ts)
    width: 1400,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Roundtrip',
    webPreferences: {
      preload: options.preload, // eng-disable PRELOAD_JS_CHECK: our own bundled preload (electron/preload): only allowlisted API methods and events, no Node, no ipcRenderer
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      // Chromium's spellchecker downloads dictionaries from Google's servers; captions are checked by people.
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}

/** The preload bundle scripts/bundle.mjs writes beside the main one. */
export function preloadPath(distDir: string): string {
  return join(distDir, 'electron', 'preload.cjs');
}
