/**
 * Guards the session the app's pages share: no permission, no device, no download, as
 * permission-policy.ts decides. Imports no Electron (a fake session stands in for it in tests).
 */
import { isDeviceGranted, isPermissionGranted } from './permission-policy.js';
import type { Log, Preventable } from './web-contents-guards.js';

/** The part of Electron's Session the guards use. */
export interface GuardableSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, requestingOrigin: string) => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  on(event: 'will-download', listener: (event: Preventable) => void): unknown;
}

export function guardSession(session: GuardableSession, log: Log = console): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = isPermissionGranted(permission, details.requestingUrl);
    if (!granted) log.warn(`[roundtrip] refused the ${permission} permission to ${details.requestingUrl}`);
    callback(granted);
  });
  // Checks (navigator.permissions.query, and Chromium's own before some APIs) get the same answer, without a log line each.
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionGranted(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => isDeviceGranted());
  // Exports are written by the backend; a download the page starts could only be unwanted.
  session.on('will-download', (event) => event.preventDefault());
}
