import { describe, expect, it } from 'vitest';
import { APP_URL } from './app-origin.js';
import { guardWebContents, type GuardableContents } from './web-contents-guards.js';

type Listener = (event: { url: string; preventDefault(): void }) => void;

/** A web contents that records the guards' listeners and lets the test fire its events. */
function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: GuardableContents = {
    on: (event: string, listener: Listener) => listeners.set(event, [...(listeners.get(event) ?? []), listener]),
    setWindowOpenHandler: (handler) => void (openHandler = handler),
  };
  /** Fires `event` for `url`; true when a listener prevented it. */
  const fire = (event: string, url = APP_URL): boolean => {
    let prevented = false;
    for (const l of listeners.get(event) ?? []) l({ url, preventDefault: () => void (prevented = true) });
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

function guarded() {
  const fake = fakeContents();
  const opened: string[] = [];
  const warnings: string[] = [];
  guardWebContents(fake.contents, async (url) => void opened.push(url), { warn: (line: string) => warnings.push(line) });
  return { ...fake, opened, warnings };
}

describe('guardWebContents', () => {
  it.each(['will-navigate', 'will-redirect', 'will-frame-navigate'])('%s stays within the app origin', (event) => {
    const { fire, warnings } = guarded();
    expect(fire(event, `${APP_URL}#/review`)).toBe(false);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://other/index.html', 'data:text/html,x']) {
      expect(fire(event, url), url).toBe(true);
    }
    expect(warnings).toHaveLength(4);
  });

  it('logs a long refused URL cut short', () => {
    const { fire, warnings } = guarded();
    expect(fire('will-navigate', `data:text/html,${'x'.repeat(100_000)}`)).toBe(true);
    expect(warnings[0]!.length).toBeLessThan(300);
  });

  it('refuses webviews', () => {
    expect(guarded().fire('will-attach-webview')).toBe(true);
  });

  it('denies every new window, and opens no link outside the allowlist (empty today)', async () => {
    const { open, opened, warnings } = guarded();
    for (const url of ['https://huggingface.co/', 'http://example.com/', APP_URL, 'file:///etc/passwd', 'smb://host/share']) {
      expect(open(url), url).toEqual({ action: 'deny' });
    }
    await Promise.resolve();
    expect(opened).toEqual([]);
    expect(warnings).toHaveLength(5);
  });
});
