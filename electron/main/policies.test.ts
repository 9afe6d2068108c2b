import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_URL } from './app-origin.js';
import { mayNavigate, windowOpenDecision } from './navigation-policy.js';
import { isDeviceGranted, isPermissionGranted } from './permission-policy.js';

describe('navigation policy', () => {
  it("lets the page move only within the app's own origin", () => {
    expect(mayNavigate(APP_URL)).toBe(true);
    expect(mayNavigate(`${APP_ORIGIN}/index.html#/review`)).toBe(true);
    for (const url of ['https://example.com/', 'file:///work/main/dist/renderer/index.html', 'app://other/index.html', 'data:text/html,<script>1</script>', 'about:blank', 'javascript:1']) {
      expect(mayNavigate(url), url).toBe(false);
    }
  });

  it('never opens a window, and sends no link outside the allowlist to the system browser', () => {
    expect(windowOpenDecision(APP_URL)).toEqual({ action: 'deny', openExternally: null });
    expect(windowOpenDecision('https://example.com/')).toEqual({ action: 'deny', openExternally: null });
    expect(windowOpenDecision('file:///etc/passwd')).toEqual({ action: 'deny', openExternally: null });
  });
});

describe('permission policy', () => {
  const permissions = ['media', 'clipboard-read', 'clipboard-sanitized-write', 'notifications', 'geolocation', 'fullscreen', 'openExternal', 'hid', 'usb', 'serial', 'fileSystem', 'display-capture', 'unknown', 'a-permission-from-the-future'];

  it('denies every permission, to the app itself as to any other origin', () => {
    for (const permission of permissions) {
      for (const origin of [APP_ORIGIN, APP_URL, 'https://example.com', 'file:///', '']) {
        expect(isPermissionGranted(permission, origin), `${permission} for ${origin}`).toBe(false);
      }
    }
    expect(isDeviceGranted()).toBe(false);
  });
});
