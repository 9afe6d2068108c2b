/**
 * Electron cannot run here, so the few lines that wire the tested policies into Electron are
 * read as text: a dropped guard or a flipped web preference fails this test instead of shipping.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELECTRON_CONTENT_SECURITY_POLICY } from '../server/security-headers.js';

const read = (...path: string[]) => readFileSync(join(import.meta.dirname, ...path), 'utf8');
const main = read('main.ts');
const window = read('window.ts');

describe('Electron wiring', () => {
  it('loads the renderer from app://, never file://', () => {
    expect(main).toMatch(/handleAppProtocol\(findRendererDir\(\)\)/);
    expect(main).toMatch(/createMainWindow\(\{ url: APP_URL,/);
    expect(main).toMatch(/registerIpc\(backend, APP_URL\)/);
    for (const source of [main, window]) expect(source).not.toMatch(/pathToFileURL|loadFile\(|['"`]file:/);
  });

  it('registers both schemes before the app is ready and guards every web contents and the session', () => {
    expect(main.indexOf('registerPrivilegedSchemes();')).toBeGreaterThan(0);
    expect(main.indexOf('registerPrivilegedSchemes();')).toBeLessThan(main.indexOf('app.whenReady()'));
    expect(main).toMatch(/app\.on\('web-contents-created', \(_event, contents\) => guardWebContents\(contents, openInBrowser\)\)/);
    expect(main).toMatch(/guardSession\(session\.defaultSession\)/);
    // A second call would replace the first's schemes.
    expect(read('schemes.ts').match(/registerSchemesAsPrivileged\(/g)).toHaveLength(1);
  });

  it('keeps the web preferences locked down, spellcheck (a network fetch of dictionaries) included', () => {
    for (const setting of ['contextIsolation: true', 'nodeIntegration: false', 'sandbox: true', 'webSecurity: true', 'allowRunningInsecureContent: false', 'spellcheck: false']) {
      expect(window).toContain(setting);
    }
  });

  it("index.html's CSP meta tag is the policy app:// sends as a header (both apply, so they must agree)", () => {
    const html = read('..', '..', 'renderer', 'index.html');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(ELECTRON_CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });
});
