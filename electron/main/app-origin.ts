/**
 * Where the renderer lives under Electron: `app://roundtrip/`, a custom standard and secure
 * scheme that serves only the built renderer (app-protocol-response.ts). The page used to load
 * from file://, which Chromium treats as one origin for every file on disk and Electron grants
 * extra privileges (issue 16). Electron-free, so the policies built on it are tested under Node.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'roundtrip';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the main window loads, and the only page IPC calls are accepted from. */
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** True for URLs of the app's own origin: its scheme and host (hosts are case-insensitive; Chromium lowercases a standard scheme's, Node's URL does not), no credentials, no port. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host.toLowerCase() === APP_HOST && parsed.username === '' && parsed.password === '';
}
