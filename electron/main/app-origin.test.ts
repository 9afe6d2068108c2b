import { describe, expect, it } from 'vitest';
import { APP_URL, isAppUrl } from './app-origin.js';

describe('isAppUrl', () => {
  it("accepts the app's own pages", () => {
    expect(isAppUrl(APP_URL)).toBe(true);
    expect(isAppUrl('app://roundtrip/index.html#/image/3')).toBe(true);
    expect(isAppUrl('app://roundtrip/assets/start-1.js?x=1')).toBe(true);
    expect(isAppUrl('APP://ROUNDTRIP/index.html')).toBe(true);
  });

  it('refuses every other origin, look-alikes included', () => {
    for (const url of [
      'file:///work/main/dist/renderer/index.html',
      'https://roundtrip/index.html',
      'app://roundtrip.evil.com/index.html',
      'app://evil/index.html',
      'app://roundtrip:8080/index.html',
      'app://user:pw@roundtrip/index.html',
      'roundtrip-media://media/thumb/1',
      'javascript:alert(1)',
      'about:blank',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});
