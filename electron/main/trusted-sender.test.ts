import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './trusted-sender.js';

const APP = 'file:///opt/Roundtrip/resources/app.asar/dist/renderer/index.html';

describe('isTrustedSender', () => {
  it('trusts only the top frame of the app page', () => {
    expect(isTrustedSender({ url: APP, parent: null }, APP)).toBe(true);
    expect(isTrustedSender({ url: `${APP}#/image/3`, parent: null }, APP)).toBe(true);
  });

  it('refuses subframes, other pages, other schemes and missing frames', () => {
    const top = { url: APP, parent: null };
    expect(isTrustedSender({ url: APP, parent: top }, APP)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/evil/index.html', parent: null }, APP)).toBe(false);
    expect(isTrustedSender({ url: 'https://example.com/', parent: null }, APP)).toBe(false);
    expect(isTrustedSender({ url: `${APP}.evil.html`, parent: null }, APP)).toBe(false);
    expect(isTrustedSender(null, APP)).toBe(false);
    expect(isTrustedSender(undefined, APP)).toBe(false);
  });
});
