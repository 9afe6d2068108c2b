/**
 * Browser mode on a project, as its own process (electron/server/testing/), with the calls the
 * fault tests make: the API over HTTP as scripts call it, and a check that it still answers.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../../../electron/server/testing/server-process.js';

export interface Reply {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

export interface FaultServer extends ServerProcess {
  /** POST /api/invoke/<method> with a body given as text (so it may be anything). */
  invokeRaw(method: string, body: string): Promise<{ status: number; reply: Reply | null; text: string }>;
  invoke(method: string, input: unknown): Promise<Reply>;
  /** Whether the process is running and answers `app:info`. */
  answers(): Promise<boolean>;
}

let rendererDir: string | undefined;

/** The method as a URL path segment; a lone surrogate (which encodeURIComponent refuses) as the bytes WTF-8 would give it. */
function segment(method: string): string {
  try {
    return encodeURIComponent(method);
  } catch {
    return [...method]
      .map((ch) => {
        const unit = ch.charCodeAt(0);
        if (ch.length > 1 || unit < 0xd800 || unit > 0xdfff) return encodeURIComponent(ch);
        return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
      })
      .join('');
  }
}

export async function startServer(projectDir: string): Promise<FaultServer> {
  if (!rendererDir) {
    rendererDir = join(mkdtempSync(join(tmpdir(), 'rt-faults-renderer-')), 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Roundtrip</title>');
  }
  const server = await startServerProcess(projectDir, rendererDir);
  const origin = `http://127.0.0.1:${server.port}`;
  const invokeRaw: FaultServer['invokeRaw'] = async (method, body) => {
    const res = await fetch(`${origin}/api/invoke/${segment(method)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let reply: Reply | null = null;
    try {
      reply = JSON.parse(text) as Reply;
    } catch {
      // a plain-text answer (400 for a body that is not JSON, 413)
    }
    return { status: res.status, reply, text };
  };
  const invoke = async (method: string, input: unknown) => {
    const { reply, status, text } = await invokeRaw(method, JSON.stringify(input));
    if (!reply) throw new Error(`${method}: HTTP ${status}: ${text}`);
    return reply;
  };
  const answers = async () => {
    if (server.exit() !== null) {
      console.error(`the server process ended (${JSON.stringify(server.exit())}):\n${server.log().slice(-3000)}`);
      return false;
    }
    // Twice: a kept-alive connection the server closed just as fetch reused it fails one POST
    // ("other side closed"), which says nothing about the server.
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = await invoke('app:info', {});
        if (!reply.ok) console.error(`app:info failed: ${JSON.stringify(reply.error)}`);
        return reply.ok;
      } catch (error) {
        const cause = (error as Error & { cause?: Error }).cause;
        console.error(`app:info got no reply (attempt ${attempt}): ${(error as Error).message}${cause ? `: ${cause.message}` : ''}`);
        if (attempt === 2) return false;
      }
    }
  };
  return Object.assign(server, { invokeRaw, invoke, answers });
}
