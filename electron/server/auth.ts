/**
 * Browser mode is reachable by anything on this machine that can open a socket, so every
 * request must prove it was given the per-run token: in the `token` query parameter (the URL
 * printed at start), an `Authorization: Bearer` header (scripts), or the HttpOnly cookie set from
 * it, which is scoped to a random session path. The Host and Origin
 * headers are checked too, which stops DNS-rebinding pages from talking to the server.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The path the app is served under once the token is traded for the cookie, e.g. `/s/Qx…/`.
 * Browsers do not keep cookies apart by port, so a cookie for path `/` would also go to every
 * other http://127.0.0.1 service the same browser visits; scoped to a random path, it goes
 * nowhere else.
 */
export function createSessionPath(): string {
  return `/s/${randomBytes(12).toString('base64url')}/`;
}

export class RequestAuth {
  readonly cookieName: string;
  private readonly allowedHosts: Set<string>;

  constructor(
    private readonly token: string,
    port: number,
    /** Where the cookie is valid (see createSessionPath). */
    readonly sessionPath: string = '/',
  ) {
    this.cookieName = `roundtrip_token_${port}`;
    this.allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  }

  hostAllowed(req: IncomingMessage): boolean {
    return this.allowedHosts.has(req.headers.host ?? '');
  }

  /** Cross-origin pages may not drive the API; requests without Origin (same-origin GETs, tools) pass. */
  originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    try {
      const url = new URL(origin);
      return url.protocol === 'http:' && this.allowedHosts.has(url.host);
    } catch {
      return false;
    }
  }

  tokenFromQuery(url: URL): string | null {
    return url.searchParams.get('token');
  }

  hasValidToken(req: IncomingMessage, url: URL): boolean {
    const candidate = this.tokenFromQuery(url) ?? this.tokenFromCookie(req) ?? this.tokenFromHeader(req);
    return candidate !== null && this.matches(candidate);
  }

  matches(candidate: string): boolean {
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  sessionCookie(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=${this.sessionPath}`;
  }

  private tokenFromCookie(req: IncomingMessage): string | null {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name === this.cookieName) return rest.join('=');
    }
    return null;
  }

  private tokenFromHeader(req: IncomingMessage): string | null {
    const header = req.headers.authorization;
    return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
  }
}
