/**
 * Permissions the renderer gets: none. It shows images and text, and needs no camera,
 * microphone, clipboard read, notification, fullscreen, device (HID, USB, serial, Bluetooth) or
 * external-protocol access. A future need is granted here by name, only to the app's own origin,
 * with its reason. Deny by default also covers permissions Chromium adds later.
 */
import { isAppUrl } from './app-origin.js';

const GRANTED: ReadonlySet<string> = new Set();

/** For the session's permission request and permission check handlers. */
export function isPermissionGranted(permission: string, requestingUrl: string): boolean {
  return GRANTED.has(permission) && isAppUrl(requestingUrl);
}

/** For the session's device permission handler: the renderer never talks to a device. */
export function isDeviceGranted(): boolean {
  return false;
}
