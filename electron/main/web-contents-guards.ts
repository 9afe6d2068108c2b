/**
 * Guards every web contents the app creates: main.ts applies them on 'web-contents-created',
 * before anything loads. This wires navigation-policy.ts into Electron's events; it imports no
 * Electron (a fake web contents stands in for the real one in the test beside it).
 */
import { mayNavigate, windowOpenDecision } from './navigation-policy.js';

export type Log = Pick<Console, 'warn'>;

export interface Preventable {
  preventDefault(): void;
}

/** The part of Electron's WebContents the guards use (a fake one stands in for it in tests). */
export interface GuardableContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (details: Preventable & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** `openExternal` (shell.openExternal) gets only what windowOpenDecision allows: https links to EXTERNAL_LINK_HOSTS. */
export function guardWebContents(contents: GuardableContents, openExternal: (url: string) => Promise<void>, log: Log = console): void {
  // Navigation, server redirects and frames (will-frame-navigate also sees subframes) stay in the app's origin.
  for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate'] as const) {
    contents.on(event, (details) => {
      if (mayNavigate(details.url)) return;
      details.preventDefault();
      log.warn(`[roundtrip] refused ${event.slice('will-'.length)} to ${clip(details.url)}`);
    });
  }
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const { action, openExternally } = windowOpenDecision(url);
    if (openExternally) {
      openExternal(openExternally).catch((error: Error) => log.warn(`[roundtrip] could not open ${openExternally}: ${error.message}`));
    } else log.warn(`[roundtrip] refused to open ${clip(url)}: not a link the app makes`);
    return { action };
  });
}

/** A URL as logged: a data: URL can be megabytes long. */
function clip(url: string): string {
  return url.length > 200 ? `${url.slice(0, 200)}…` : url;
}
