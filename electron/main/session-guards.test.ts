import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_URL } from './app-origin.js';
import { guardSession, type GuardableSession } from './session-guards.js';

/** A session that keeps the handlers the guards install. */
function fakeSession() {
  const installed: {
    request?: Parameters<GuardableSession['setPermissionRequestHandler']>[0];
    check?: Parameters<GuardableSession['setPermissionCheckHandler']>[0];
    device?: Parameters<GuardableSession['setDevicePermissionHandler']>[0];
    download?: (event: { preventDefault(): void }) => void;
  } = {};
  const session: GuardableSession = {
    setPermissionRequestHandler: (h) => void (installed.request = h),
    setPermissionCheckHandler: (h) => void (installed.check = h),
    setDevicePermissionHandler: (h) => void (installed.device = h),
    on: (_event, listener) => void (installed.download = listener),
  };
  return { session, installed };
}

describe('guardSession', () => {
  it('installs all three permission handlers, and each denies', () => {
    const { session, installed } = fakeSession();
    const warnings: string[] = [];
    guardSession(session, { warn: (line: string) => warnings.push(line) });
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'clipboard-read', 'openExternal', 'hid']) {
      installed.request!(null, permission, (granted) => answers.push(granted), { requestingUrl: APP_URL });
      answers.push(installed.check!(null, permission, APP_ORIGIN));
    }
    expect(answers).toEqual(Array(10).fill(false));
    expect(installed.device!()).toBe(false);
    expect(warnings).toHaveLength(5);
  });

  it('cancels downloads', () => {
    const { session, installed } = fakeSession();
    guardSession(session, { warn() {} });
    let prevented = false;
    installed.download!({ preventDefault: () => void (prevented = true) });
    expect(prevented).toBe(true);
  });
});
