import type { ServerResponse } from 'node:http';
import { MEDIA_SCHEME } from '../../shared/contract/channels.js';

function contentSecurityPolicy(imageSources: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    ["img-src 'self' data: blob:", ...imageSources].join(' '),
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The renderer's Content-Security-Policy in browser mode. renderer/index.html carries the
 * Electron policy as a meta tag too, less `frame-ancestors` (ignored in meta tags).
 */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy([]);

/** Under Electron (the `app://` protocol): the same, plus the scheme project images are served from. */
export const ELECTRON_CONTENT_SECURITY_POLICY = contentSecurityPolicy([`${MEDIA_SCHEME}:`]);

/** Headers every renderer response carries, in browser mode and from Electron's `app://` protocol alike. */
export function securityHeaders(csp: string = CONTENT_SECURITY_POLICY): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** Built once: every browser-mode response and every `app://` response carries one of these. */
const BROWSER_HEADERS = Object.freeze(Object.entries(securityHeaders()));
export const ELECTRON_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze(securityHeaders(ELECTRON_CONTENT_SECURITY_POLICY));

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of BROWSER_HEADERS) res.setHeader(name, value);
}
