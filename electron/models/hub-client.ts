/**
 * A minimal Hugging Face hub client: the revision listing and resumable, hash-checked file
 * downloads. The endpoint shapes follow huggingface_hub's own client:
 *   listing  GET {base}/api/models/{repo}/revision/{quoted rev}?blobs=true  (hf_api.py `model_info`,
 *            `files_metadata` → `blobs`) → { sha, siblings: [{ rfilename, size, blobId, lfs: { sha256, size, pointerSize } }] }
 *   file     GET {base}/{repo}/resolve/{rev}/{path}  (constants.py HUGGINGFACE_CO_URL_TEMPLATE); LFS files
 *            answer with a redirect carrying X-Linked-Etag (the sha256) and X-Linked-Size (file_download.py).
 * A token goes to the hub's own host only: the LFS redirect points at a CDN on another host with a
 * signed URL, and huggingface_hub drops `authorization` for it (file_download.py
 * `_get_metadata_or_catch_error`: "Remove authorization header when downloading a LFS blob").
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { hashFileInto, sha256File } from './file-hash.js';
import { expectedHashOf, GIT_SHA1_HEX, hashKind, hashOfBytes, hashValue, SHA256_HEX } from './hub/expected-hash.js';
import type { HubToken } from './hub/hub-token.js';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export const DEFAULT_HUB_URL = 'https://huggingface.co';

export interface HubFile {
  path: string;
  size?: number;
  /** Only LFS files carry a sha256 in the listing; small git files have a git sha1 blob id. */
  sha256?: string;
  /** The git blob sha1 (`blobId`): what names a small file's blob in the Hugging Face cache. */
  blobId?: string;
}

export interface RepoListing {
  repo: string;
  revision: string;
  /** The commit the revision resolved to; pinned in the manifest so a re-pull is reproducible. */
  sha?: string;
  licence?: string;
  files: HubFile[];
}

export class HubError extends Error {
  constructor(
    message: string,
    /** Network hiccups and 5xx are worth another (resumed) attempt; 4xx and bad hashes are not. */
    readonly retryable = false,
    /** `gated`: the repo needs its licence accepted and a token (hub header X-Error-Code: GatedRepo). */
    readonly kind?: 'gated',
  ) {
    super(message);
  }
}

const listingSchema = z.object({
  sha: z.string().optional(),
  siblings: z.array(z.object({ rfilename: z.string(), size: z.number().optional(), blobId: z.string().optional(), lfs: z.object({ sha256: z.string(), size: z.number() }).nullish() })),
  cardData: z.object({ license: z.union([z.string(), z.array(z.string())]).optional() }).passthrough().nullish(),
  tags: z.array(z.string()).optional(),
});

/**
 * A file name from a listing is a relative POSIX path inside the repo: no `..` or `.` segment,
 * no empty segment (`a//b`, a leading or trailing `/`), no backslash or NUL. Anything else could
 * write outside the model's folder once joined to it, so a listing that names one is refused.
 */
export function isSafeRepoPath(path: string): boolean {
  if (path.length === 0 || /[\\\0]/.test(path) || /^[a-zA-Z]:/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** huggingface_hub normalises ETags by dropping a weak `W/` prefix and the quotes. */
export function etagSha256(headers: Headers): string | undefined {
  const raw = headers.get('x-linked-etag') ?? headers.get('etag');
  const etag = raw?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return etag && SHA256_HEX.test(etag) ? etag : undefined;
}

export interface DownloadOptions {
  onProgress?: (done: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

export interface HubClientOptions {
  baseUrl?: string;
  fetch?: FetchLike;
  /** Extra attempts after a dropped connection; each resumes from the `.part` file. */
  retries?: number;
  retryDelayMs?: number;
  /** Sent as `Authorization: Bearer` to `baseUrl`'s host only, and only over https or to this machine. */
  token?: HubToken;
}

/** Hosts a plain-http hub may be on and still receive the token: nothing leaves this machine. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * A response body read into memory, never more than `limit` bytes of it: a Content-Length over
 * the limit is refused before reading, and a body without one (or longer than it said) is cut off
 * as soon as it passes the limit, so a misbehaving server cannot fill memory or keep a pull waiting.
 */
async function readCapped(res: Response, limit: number, tooLong: () => Error, announcedTooLong: (length: number) => Error): Promise<Buffer> {
  const announced = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(announced) && announced > limit) {
    await res.body?.cancel();
    throw announcedTooLong(announced);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > limit) throw tooLong();
      chunks.push(value);
    }
  } finally {
    // Stops the transfer (closes the connection) when the loop left early.
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks, length);
}

export class HubClient {
  readonly baseUrl: string;
  private readonly fetch: FetchLike;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly token: HubToken | undefined;
  private readonly origin: string;
  /**
   * Why a token that was given is not sent (never the token): `ROUNDTRIP_HUB_URL` named a plain
   * http hub on another machine, where anyone on the way could read it. Said once, in the plan.
   */
  readonly tokenWithheld: string | undefined;

  constructor(options: HubClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
    this.fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.retries = options.retries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    const url = new URL(this.baseUrl);
    this.origin = url.origin;
    const private_ = url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
    this.token = private_ ? options.token : undefined;
    this.tokenWithheld =
      options.token && !private_ ? `the token from ${options.token.source} is not sent to ${this.origin}: it is neither https nor this machine (127.0.0.1, ::1, localhost)` : undefined;
  }

  /** Where the token came from, for messages (never the token itself). */
  get tokenSource(): string | undefined {
    return this.token?.source;
  }

  fileUrl(repo: string, revision: string, path: string): string {
    return `${this.baseUrl}/${repo}/resolve/${encodeURIComponent(revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
  }

  async listing(repo: string, revision: string, signal?: AbortSignal): Promise<RepoListing> {
    const url = `${this.baseUrl}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
    const res = await this.request(url, {}, signal);
    if (!res.ok) {
      await res.body?.cancel();
      this.throwIfGated(repo, res);
      // The hub answers 401 (not 404) for repos that do not exist or are private.
      const why = res.status === 404 || res.status === 401 ? 'not found (or private)' : 'could not be listed';
      throw new HubError(`${repo}@${revision}: repository ${why} on ${this.baseUrl} (HTTP ${res.status})`, res.status >= 500);
    }
    const parsed = listingSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new HubError(`${repo}@${revision}: unexpected listing from ${url} (${parsed.error.issues[0]?.message})`);
    const { sha, siblings, cardData, tags } = parsed.data;
    const unsafe = siblings.find((s) => !isSafeRepoPath(s.rfilename));
    if (unsafe) throw new HubError(`${repo}@${revision}: the listing from ${this.baseUrl} names a file outside the repository (${JSON.stringify(unsafe.rfilename)}); refusing to pull from it`);
    const cardLicence = Array.isArray(cardData?.license) ? cardData.license[0] : cardData?.license;
    const licence = cardLicence ?? tags?.find((tag) => tag.startsWith('license:'))?.slice('license:'.length);
    const files = siblings.map((s): HubFile => {
      const size = s.lfs?.size ?? s.size;
      const blobId = s.blobId && GIT_SHA1_HEX.test(s.blobId) ? { blobId: s.blobId } : {};
      return { path: s.rfilename, ...(size !== undefined ? { size } : {}), ...(s.lfs && SHA256_HEX.test(s.lfs.sha256) ? { sha256: s.lfs.sha256 } : {}), ...blobId };
    });
    return { repo, revision, ...(sha ? { sha } : {}), ...(licence ? { licence } : {}), files };
  }

  /**
   * Downloads one file to `dest` through `dest.part`: resumes a part left by an earlier attempt
   * (Range request), checks the sha256 when the hub gives one, and renames into place only then.
   */
  async download(repo: string, revision: string, file: HubFile, dest: string, options: DownloadOptions = {}): Promise<{ sha256: string; bytes: number }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.downloadOnce(repo, revision, file, dest, options);
      } catch (error) {
        const retryable = error instanceof HubError ? error.retryable : !options.signal?.aborted;
        if (!retryable || attempt >= this.retries) throw error;
        await delay(this.retryDelayMs * 2 ** attempt, undefined, { signal: options.signal });
      }
    }
  }

  private async downloadOnce(repo: string, revision: string, file: HubFile, dest: string, options: DownloadOptions): Promise<{ sha256: string; bytes: number }> {
    const part = `${dest}.part`;
    await mkdir(dirname(dest), { recursive: true });
    let start = await stat(part).then((s) => s.size, () => 0);
    if (file.size !== undefined && start > file.size) {
      await rm(part, { force: true });
      start = 0;
    }
    const res = await this.request(this.fileUrl(repo, revision, file.path), start > 0 ? { Range: `bytes=${start}-` } : {}, options.signal);
    const expected = file.sha256 ?? etagSha256(res.headers);

    if (res.status === 416 && start > 0 && start === file.size) {
      // The part is already whole (an earlier run stopped between download and rename).
      return this.finish(part, dest, file, start, expected);
    }
    if (!res.ok) {
      await res.body?.cancel();
      this.throwIfGated(repo, res);
      if (res.status === 416) await rm(part, { force: true });
      const what = res.status === 404 ? 'not found on the hub' : `download failed`;
      throw new HubError(`${file.path}: ${what} (HTTP ${res.status} for ${this.fileUrl(repo, revision, file.path)})`, res.status >= 500 || res.status === 416);
    }
    const resumed = res.status === 206;
    if (resumed) {
      const from = Number(/bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1]);
      if (from !== start) {
        await res.body?.cancel();
        await rm(part, { force: true });
        throw new HubError(`${file.path}: server resumed at byte ${from}, not ${start}; starting over`, true);
      }
    }
    const offset = resumed ? start : 0; // a 200 means the server ignored Range: start over
    const length = Number(res.headers.get('content-length') ?? NaN);
    const total = file.size ?? (Number.isFinite(length) ? offset + length : undefined);

    if (!res.body) throw new HubError(`${file.path}: empty response body`, true);
    const hash = createHash('sha256');
    if (resumed) await hashFileInto(hash, part);
    let done = offset;
    options.onProgress?.(done, total);
    const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' });
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        done += chunk.length;
        if (!out.write(chunk)) await once(out, 'drain');
        options.onProgress?.(done, total);
      }
    } finally {
      // Flush what did arrive even when the connection dropped or the pull was cancelled:
      // that is exactly what the next attempt resumes from.
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    }
    if (total !== undefined && done !== total) throw new HubError(`${file.path}: connection closed after ${done} of ${total} bytes`, true);
    return this.finish(part, dest, file, done, expected, hash.digest('hex'));
  }

  /**
   * A small file (a config that names the family) read into memory, checked against the listing's
   * sha256 or git blob sha1: nothing is written before the pull knows it can run the model.
   */
  async readSmall(repo: string, revision: string, file: HubFile, limit = 1 << 20, signal?: AbortSignal): Promise<Buffer> {
    if (file.size !== undefined && file.size > limit) throw new HubError(`${file.path}: ${file.size} bytes, too large to read as a config (limit ${limit})`);
    const url = this.fileUrl(repo, revision, file.path);
    const res = await this.request(url, {}, signal);
    if (!res.ok) {
      await res.body?.cancel();
      this.throwIfGated(repo, res);
      throw new HubError(`${file.path}: ${res.status === 404 ? 'not found on the hub' : 'download failed'} (HTTP ${res.status} for ${url})`, res.status >= 500);
    }
    const bytes = await readCapped(res, limit, () => new HubError(`${file.path}: more than ${limit} bytes, too large to read as a config`), (announced) =>
      new HubError(`${file.path}: ${announced} bytes, too large to read as a config (limit ${limit})`),
    );
    const expect = expectedHashOf(file);
    const actual = expect && hashOfBytes(bytes, expect);
    if (expect && actual !== hashValue(expect)) throw new HubError(`${file.path}: ${hashKind(expect)} mismatch (expected ${hashValue(expect)}, got ${actual})`);
    return bytes;
  }

  /** huggingface_hub `hf_raise_for_status`: X-Error-Code GatedRepo on a 401/403 is a gated repo. */
  private throwIfGated(repo: string, res: Response): void {
    if ((res.status !== 401 && res.status !== 403) || res.headers.get('x-error-code') !== 'GatedRepo') return;
    const page = `${this.baseUrl}/${repo}`;
    const how = this.token
      ? `the token from ${this.token.source} was refused (HTTP ${res.status}): accept the licence on ${page} with the account that token belongs to, or use another token`
      : this.tokenWithheld
        ? `${this.tokenWithheld}; use an https hub URL`
        : `accept the licence on ${page} while logged in, then give Roundtrip a token: set HF_TOKEN, or run \`huggingface-cli login\` (it writes ~/.cache/huggingface/token)`;
    throw new HubError(`${repo} is a gated repository; ${how}`, false, 'gated');
  }

  private async finish(part: string, dest: string, file: HubFile, bytes: number, expected: string | undefined, digest?: string): Promise<{ sha256: string; bytes: number }> {
    const actual = digest ?? (await sha256File(part));
    if (expected && actual !== expected) {
      // A corrupt part cannot be repaired by resuming it, so it goes too.
      await rm(part, { force: true });
      throw new HubError(`${file.path}: sha256 mismatch (expected ${expected}, got ${actual}); the download was discarded`);
    }
    await rename(part, dest);
    return { sha256: actual, bytes };
  }

  /**
   * Follows redirects by hand: the hub's 302 for LFS files carries X-Linked-Etag (the sha256),
   * which an automatically followed redirect would hide. The CDN answer keeps its own status.
   */
  private async request(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    let current = url;
    let linked: Headers | undefined;
    for (let hop = 0; hop < 5; hop++) {
      let res: Response;
      try {
        // Decided per hop: a redirect to another host (the LFS CDN) must not receive the token.
        const auth: Record<string, string> = this.token && new URL(current).origin === this.origin ? { Authorization: `Bearer ${this.token.reveal()}` } : {};
        res = await this.fetch(current, { headers: { 'Accept-Encoding': 'identity', ...headers, ...auth }, redirect: 'manual', ...(signal ? { signal } : {}) });
      } catch (error) {
        if (signal?.aborted) throw error;
        // Defence in depth: fetch quotes a header it refuses, and the token must never reach a message.
        const secret = this.token?.reveal();
        const reason = String((error as Error).message);
        throw new HubError(`${current}: ${secret ? reason.split(secret).join('[token]') : reason}`, true);
      }
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) {
        if (!linked) return res;
        const merged = new Headers(res.headers);
        for (const name of ['x-linked-etag', 'x-linked-size', 'x-repo-commit']) {
          const value = linked.get(name);
          if (value && !merged.has(name)) merged.set(name, value);
        }
        return new Response(res.body, { status: res.status, statusText: res.statusText, headers: merged });
      }
      linked ??= res.headers;
      await res.body?.cancel();
      current = new URL(location, current).toString();
    }
    throw new HubError(`${url}: too many redirects`);
  }
}
