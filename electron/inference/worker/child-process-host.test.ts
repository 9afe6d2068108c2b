import { build } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { forkWorker, parentChannel } from './child-process-host.js';

type TestMethods = {
  add: (p: { a: number; b: number }) => Promise<number>;
  pid: (p: Record<string, never>) => Promise<number>;
  die: (p: Record<string, never>) => Promise<never>;
};

let entry: string;

beforeAll(async () => {
  // A real worker entry built from the real RPC code, as the app's bundle step does.
  const dir = mkdtempSync(join(tmpdir(), 'rt-worker-'));
  const source = join(dir, 'entry.ts');
  writeFileSync(
    source,
    `import { serveRpc } from ${JSON.stringify(join(import.meta.dirname, 'rpc.ts'))};
     import { parentChannel } from ${JSON.stringify(join(import.meta.dirname, 'child-process-host.ts'))};
     serveRpc(parentChannel(), {
       add: async ({ a, b }) => a + b,
       pid: async () => process.pid,
       die: async () => process.kill(process.pid, 'SIGKILL'),
     });`,
  );
  entry = join(dir, 'entry.mjs');
  await build({ entryPoints: [source], outfile: entry, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
});

describe('forked inference worker', () => {
  it('answers calls from another process', async () => {
    const worker = forkWorker<TestMethods>(entry);
    try {
      expect(await worker.client.call('add', { a: 20, b: 22 })).toBe(42);
      expect(await worker.client.call('pid', {})).not.toBe(process.pid);
    } finally {
      await worker.dispose();
    }
  });

  it('turns a worker killed mid-call into an error, not a hang', async () => {
    const worker = forkWorker<TestMethods>(entry);
    await expect(worker.client.call('die', {})).rejects.toMatchObject({ code: 'WORKER_EXITED', message: expect.stringContaining('SIGKILL') });
    await worker.exited;
    await expect(worker.client.call('add', { a: 1, b: 1 })).rejects.toMatchObject({ code: 'WORKER_EXITED' });
    await worker.dispose();
  });
});

describe('parentChannel in an Electron utilityProcess', () => {
  it('talks through process.parentPort, unwrapping { data } events', () => {
    // Electron cannot run here: this stands in for its MessagePortMain with the same on/off/postMessage shape.
    const port = Object.assign(new EventEmitter(), { sent: [] as unknown[], postMessage(m: unknown) { this.sent.push(m); } });
    const host = process as { parentPort?: unknown };
    host.parentPort = port;
    try {
      const channel = parentChannel();
      const received: unknown[] = [];
      const stop = channel.onMessage((m) => received.push(m));
      port.emit('message', { data: { id: 1, method: 'add' } });
      channel.postMessage({ id: 1, result: 3 });
      stop();
      port.emit('message', { data: { id: 2 } });
      expect(received).toEqual([{ id: 1, method: 'add' }]);
      expect(port.sent).toEqual([{ id: 1, result: 3 }]);
    } finally {
      delete host.parentPort;
    }
  });
});
