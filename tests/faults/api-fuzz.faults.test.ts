/**
 * Seeded random payloads across every method of the contract (shared/contract/api.ts), sent to
 * browser mode over HTTP (as scripts call it) and over one WebSocket (as the app does): every one
 * must get an error reply — INVALID_INPUT for an input the contract refuses, UNKNOWN_METHOD for a
 * method it does not have, a 400 for JSON too deep to parse — never INTERNAL, never a hang, never
 * a dead server, and nothing in the project may change.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../../shared/contract/api.js';
import { makeServedProject, type ServedProject } from '../../electron/server/testing/probes.js';
import { Project } from '../../electron/storage/project.js';
import { payloadGenerator, type Payload } from './support/payloads.js';
import { startServer, type FaultServer, type Reply } from './support/server.js';
import { count, flushTally } from './support/tally.js';

const SEED = Number(process.env.FAULTS_SEED ?? 16);
const PER_METHOD = Math.ceil(2_200 / methodNames.length);

let served: ServedProject;
let server: FaultServer;
let before: ReturnType<typeof projectState>;
const findings: string[] = [];

function projectState(dir: string) {
  const project = Project.open(dir);
  try {
    const row = (sql: string) => project.db.prepare(sql).get() as Record<string, unknown>;
    return {
      images: row('SELECT count(*) AS n, max(id) AS last FROM images'),
      decisions: row('SELECT count(*) AS n FROM decisions'),
      datasets: row('SELECT count(*) AS n FROM datasets'),
      exports: row('SELECT count(*) AS n FROM exports'),
      runs: row('SELECT count(*) AS n FROM runs'),
    };
  } finally {
    project.dispose();
  }
}

beforeAll(async () => {
  served = await makeServedProject('rt-faults-fuzz-');
  before = projectState(served.projectDir);
  server = await startServer(served.projectDir);
}, 60_000);

afterAll(async () => {
  flushTally();
  for (const socket of sockets) socket.close();
  await server?.stop();
  if (served) rmSync(served.root, { recursive: true, force: true });
});

/** Paths a request may name that are no folder or file to use: FIFOs, sockets, devices, /proc, dangling links, NUL bytes. */
function hostilePlaces(root: string): string[] {
  const dir = join(root, 'hostile');
  mkdirSync(dir, { recursive: true });
  const fifo = join(dir, 'fifo.json');
  if (!existsSync(fifo)) execFileSync('mkfifo', [fifo]);
  const dangling = join(dir, 'dangling');
  if (!existsSync(dangling)) symlinkSync(join(dir, 'nowhere'), dangling);
  const socketPath = join(dir, 'socket.json');
  if (!existsSync(socketPath)) sockets.push(createServer().listen(socketPath));
  return [fifo, socketPath, dangling, join(dangling, 'x.json'), join(fifo, 'x'), '/dev/zero', '/dev/null/x', '/proc/self/mem', '/proc/roundtrip-fuzz/x', '/proc/self/fd', `${dir}/nul\u0000byte`, '\u0000', `${dir}/${'n'.repeat(255)}x`];
}
const sockets: Server[] = [];

const pickMethod = (rand: () => number) => methodNames[Math.floor(rand() * methodNames.length)]!;

const short = (text: string) => (text.length > 160 ? `${text.slice(0, 160)}… (${text.length} chars)` : text);

/** The reply must be the error the contract calls for. */
function judge(p: Payload, via: string, reply: Reply | null, status?: number): void {
  count('fuzzed');
  count('cases');
  const what = `${p.method} via ${via} with ${short(p.body)}`;
  if (p.parsed === undefined) {
    if (status !== 400) findings.push(`${what}: expected 400 for JSON too deep to parse, got ${status}`);
    return;
  }
  if (!reply || reply.ok !== false) return void findings.push(`${what}: expected an error reply, got ${short(JSON.stringify(reply))}`);
  if (reply.error?.code !== 'INVALID_INPUT') findings.push(`${what}: expected INVALID_INPUT, got ${reply.error?.code}: ${short(reply.error?.message ?? '')}`);
}

/** One WebSocket carrying many requests at once, replies matched by id. */
function socketClient(port: number, token: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, { headers: { authorization: `Bearer ${token}` }, maxPayload: 64 * 1024 * 1024 });
  const waiting = new Map<number, (reply: Reply | null) => void>();
  let nextId = 1;
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Reply & { kind: string; id: number };
    if (message.kind !== 'reply') return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  const failAll = () => {
    for (const resolve of waiting.values()) resolve(null);
    waiting.clear();
  };
  ws.on('close', failAll);
  ws.on('error', failAll);
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    opened,
    call(methodJson: string, inputText: string): Promise<Reply | null> {
      const id = nextId++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          resolve(null);
        }, 30_000);
        waiting.set(id, (reply) => {
          clearTimeout(timer);
          resolve(reply);
        });
        ws.send(`{"id":${id},"method":${methodJson},"input":${inputText}}`);
      });
    },
    open: () => ws.readyState === ws.OPEN,
    close: () => ws.close(),
  };
}

async function inBatches<T>(items: T[], width: number, each: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await each(items[i]!, i);
      }
    }),
  );
}

describe('random payloads across every API method', () => {
  it(`get an error reply each, ${PER_METHOD} per method (seed ${SEED}), and the server lives`, async () => {
    const generator = payloadGenerator(SEED);
    const payloads = generator.all(PER_METHOD);
    expect(new Set(payloads.map((p) => p.method)).size).toBe(methodNames.length);
    expect(payloads.length).toBeGreaterThanOrEqual(2_000);

    let socket = socketClient(server.port, server.token);
    await socket.opened;
    await inBatches(payloads, 4, async (p, i) => {
      if (p.parsed === undefined || i % 2 === 0) {
        const { status, reply } = await server.invokeRaw(p.method, p.body);
        judge(p, 'HTTP', reply, status);
      } else {
        if (!socket.open()) {
          findings.push(`the WebSocket was closed before request ${i}`);
          socket = socketClient(server.port, server.token);
          await socket.opened;
        }
        judge(p, 'WebSocket', await socket.call(JSON.stringify(p.method), p.body));
      }
      if (i % 250 === 0 && !(await server.answers())) {
        count('deaths');
        throw new Error(`the server stopped answering after ${i} payloads (last: ${p.method} ${short(p.body)}):\n${server.log()}`);
      }
    });
    socket.close();
    expect(findings, findings.slice(0, 20).join('\n')).toEqual([]);
  });

  it('answer UNKNOWN_METHOD to method names the contract does not have', async () => {
    const generator = payloadGenerator(SEED + 1);
    const socket = socketClient(server.port, server.token);
    await socket.opened;
    for (let i = 0; i < 120; i++) {
      const name = generator.badMethodName();
      count('fuzzed');
      count('cases');
      if (i % 2 === 0) {
        const { status, reply, text } = await server.invokeRaw(name, '{}');
        // A lone surrogate cannot be percent-encoded as UTF-8: the URL itself is refused.
        if (status === 400 && reply === null && /percent-encoding/.test(text)) continue;
        if (reply?.ok !== false || reply.error?.code !== 'UNKNOWN_METHOD') findings.push(`method ${short(JSON.stringify(name))} via HTTP: ${status} ${short(text)}`);
        continue;
      }
      const reply = await socket.call(JSON.stringify(name), '{}');
      if (reply?.ok !== false || reply.error?.code !== 'UNKNOWN_METHOD') findings.push(`method ${short(JSON.stringify(name))}: ${short(JSON.stringify(reply))}`);
    }
    socket.close();
    expect(findings, findings.slice(0, 20).join('\n')).toEqual([]);
  });

  it('get an error reply, never INTERNAL, for inputs the contract accepts but the file system or the project cannot serve', async () => {
    const specials = hostilePlaces(served.root);
    const rand = payloadGenerator(SEED + 2).rand;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const big = () => pick([2 ** 31 - 1, 2 ** 53 - 1, 999_999]);
    const calls: [string, () => unknown][] = [
      ['project:open', () => ({ path: pick(specials) })],
      ['project:create', () => ({ path: pick(specials.filter((p) => !p.startsWith(served.root) || p.includes('\0'))) })],
      ['import:folder', () => ({ folder: pick(specials) })],
      ['import:coco', () => ({ file: pick(specials), images: pick([served.root, ...specials]) })],
      ['export:write', () => ({ format: pick(['coco-captions', 'scores', 'sidecar-txt', 'karpathy'] as const), out: pick(specials) })],
      ['export:write', () => ({ format: pick(['coco-results', 'scores'] as const), out: `${served.root}/out-${Math.floor(rand() * 1e6)}.json`, runId: big() })],
      ['images:get', () => ({ id: big() })],
      ['images:neighbours', () => ({ id: big() })],
      ['review:item', () => ({ imageId: pick([served.imageId, big()]), runId: big() })],
      ['decisions:record', () => ({ imageId: big(), action: pick(['accept', 'edit', 'reject', 'skip'] as const), finalText: 'x' })],
      ['decisions:record', () => ({ imageId: served.imageId, action: 'accept', referenceId: big() })],
      ['decisions:record', () => ({ imageId: served.imageId, action: 'edit', candidateId: big(), finalText: 'x' })],
      ['decisions:undo', () => ({ imageId: big() })],
      ['notes:set', () => ({ imageId: big(), note: '', tags: [] })],
      ['runs:get', () => ({ id: big() })],
      ['runs:resume', () => ({ id: big() })],
      ['runs:start', () => ({ kind: 'suggest', selection: pick([{ datasetId: big() }, { imageIds: [big()] }]) })],
      ['eval:report', () => ({ runId: big() })],
      ['audit:disagreements', () => ({ runId: big() })],
      ['review:queue', () => ({ after: big() })],
      ['models:verify', () => ({ id: pick(['a\u0000b', '../../etc', '/proc/self', 'x'.repeat(300)]) })],
      ['settings:update', () => ({ activeModels: { captioner: pick(['nope\u0000', '../demo', '/dev/zero']) } })],
    ];
    for (let i = 0; i < 220; i++) {
      const [method, make] = pick(calls);
      const input = make();
      const reply = await server.invoke(method, input).catch((error: Error) => ({ ok: false, error: { code: 'NO REPLY', message: error.message } }) as Reply);
      count('fuzzed');
      count('cases');
      if (reply.ok !== false || !reply.error || reply.error.code === 'INTERNAL' || reply.error.code === 'NO REPLY') {
        findings.push(`${method} ${short(JSON.stringify(input))}: ${short(JSON.stringify(reply))}`);
      }
    }
    expect(findings, findings.slice(0, 20).join('\n')).toEqual([]);
    if (!(await server.answers())) count('deaths');
    expect(await server.answers(), server.log()).toBe(true);
  });

  it('get 400 or 413 for bodies that are not UTF-8, not JSON or too large, over every method', async () => {
    const generator = payloadGenerator(SEED + 3);
    const bodies: [string, Buffer, number][] = [
      ['invalid UTF-8 in a string', Buffer.concat([Buffer.from('{"finalText":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), 400],
      ['an overlong encoding', Buffer.concat([Buffer.from('{"path":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('etc"}')]), 400],
      ['a UTF-8 encoded surrogate', Buffer.concat([Buffer.from('{"note":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), 400],
      ['a sequence cut short at the end', Buffer.concat([Buffer.from('{}'), Buffer.from([0xe2, 0x82])]), 400],
      ['UTF-16 JSON', Buffer.from('\ufeff{"id":1}', 'utf16le'), 400],
      ['a UTF-8 byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]), 400],
      ['not JSON', Buffer.from('id=1&path=/etc'), 400],
      ['JSON cut short', Buffer.from('{"id":'), 400],
      ['5 MB of JSON whitespace', Buffer.alloc(5 * 1024 * 1024, 0x20), 413],
    ];
    for (const [what, body, status] of bodies) {
      for (let i = 0; i < 3; i++) {
        const method = generator.next(pickMethod(generator.rand))!.method;
        const res = await fetch(`http://127.0.0.1:${server.port}/api/invoke/${method}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
          body,
        }).catch((error: Error) => ({ status: 0, text: async () => error.message }));
        count('cases');
        if (res.status !== status) findings.push(`${what} to ${method}: ${res.status} ${short(await res.text())}`);
      }
    }
    expect(findings, findings.slice(0, 20).join('\n')).toEqual([]);
    expect(await server.answers(), server.log()).toBe(true);
  });

  it('leave the server answering and the project as it was', async () => {
    await sleep(50);
    if (server.exit() !== null) count('deaths');
    expect(server.exit(), server.log()).toBeNull();
    const info = await server.invoke('app:info', {});
    expect(info).toMatchObject({ ok: true, result: { project: { path: served.projectDir } } });
    expect(projectState(served.projectDir)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
