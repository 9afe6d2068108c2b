import { describe, expect, it } from 'vitest';
import { APP_URL } from './app-origin.js';
import { refuseIpcCall } from './ipc-gate.js';

const top = { url: APP_URL, parent: null };

describe('refuseIpcCall', () => {
  it('lets allowlisted methods through from the app window', () => {
    expect(refuseIpcCall(top, 'images:list', APP_URL)).toBeNull();
    expect(refuseIpcCall({ url: `${APP_URL}#/review`, parent: null }, 'decisions:record', APP_URL)).toBeNull();
  });

  it('refuses methods the renderer does not use, even from the app window', () => {
    expect(refuseIpcCall(top, 'settings:get', APP_URL)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(refuseIpcCall(top, { toString: () => 'app:info' }, APP_URL)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('refuses other senders before looking at the method', () => {
    expect(refuseIpcCall({ url: 'file:///tmp/index.html', parent: null }, 'app:info', APP_URL)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(refuseIpcCall({ url: APP_URL, parent: top }, 'app:info', APP_URL)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(refuseIpcCall(null, 'app:info', APP_URL)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });
});
