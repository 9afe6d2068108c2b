/**
 * Where the app's web contents may go. The page, its redirects and any frame stay within the
 * app's own origin; new windows never open (an allowed link goes to the system browser instead).
 * Electron-free: web-contents-guards.ts wires these into Electron's events.
 */
import { isAppUrl } from './app-origin.js';
import { externalLinkToOpen } from './external-links.js';

/** For will-navigate, will-redirect and will-frame-navigate alike. */
export function mayNavigate(url: string): boolean {
  return isAppUrl(url);
}

/** What to do with a window.open or target=_blank link: never a window; maybe the system browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: string | null } {
  return { action: 'deny', openExternally: externalLinkToOpen(url) };
}
