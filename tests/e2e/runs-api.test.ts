/**
 * Runs over browser mode, as the UI will drive them: the built CLI serves a first-run demo
 * project (its models are the demo models), a suggest run is started over the WebSocket, its
 * progress arrives as events while the API keeps answering, and it completes in the project.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiClient } from '../../shared/contract/client.js';
import type { JobProgress } from '../../shared/contract/schemas.js';
import { WsTransport, type WebSocketCtor } from '../../renderer/src/lib/api/ws-transport.js';
import { startServe, type RunningServer } from './support/serve.js';

let server: RunningServer;
let transport: WsTransport;
let client: ApiClient;

beforeAll(async () => {
  // No folder and an empty home: the first run, which creates the demo project.
  server = await startServe([], { ROUNDTRIP_HOME: mkdtempSync(join(tmpdir(), 'rt-e2e-runs-')) });
  const url = new URL(server.url);
  transport = new WsTransport({ url: `ws://${url.host}/api/ws?token=${url.searchParams.get('token')}`, WebSocketImpl: WebSocket as unknown as WebSocketCtor });
  client = new ApiClient(transport);
});

afterAll(async () => {
  transport?.dispose();
  await server?.stop();
});

describe('runs over browser mode', () => {
  it('starts a suggest run on the first-run demo project and sees it complete', async () => {
    expect(await client.call('settings:get', {})).toEqual({
      activeModels: { captioner: 'demo/captioner', generator: 'demo/generator', imageEmbedder: 'demo/clip', textEmbedder: 'demo/clip' },
      executionProvider: 'cpu',
    });
    const events: JobProgress[] = [];
    client.on('job:progress', (p) => events.push(p));

    const run = await client.call('runs:start', { kind: 'suggest', selection: { limit: 4 }, settings: { candidates: 3, steps: 4, maxNewTokens: 10 } });
    expect(run).toMatchObject({ kind: 'suggest', total: 4, settings: { candidates: 3, sampler: 'top-p', topP: 0.9 } });

    // The API answers while the worker computes.
    const latencies: number[] = [];
    while (!events.some((e) => e.runId === run.id && e.finished)) {
      const started = performance.now();
      await client.call('runs:get', { id: run.id });
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 50));
      if (latencies.length > 1200) throw new Error(`run ${run.id} did not finish in a minute:\n${server.output()}`);
    }
    expect(events.filter((e) => e.runId === run.id).at(-1)).toMatchObject({ status: 'completed', done: 4, total: 4, finished: true });
    expect(events.some((e) => e.runId === run.id && e.status === 'running' && e.itemsPerSecond! > 0 && e.etaSeconds !== null)).toBe(true);
    expect(Math.max(...latencies)).toBeLessThan(1000);

    const [listed] = await client.call('runs:list', {});
    expect(listed).toMatchObject({ id: run.id, status: 'completed', done: 4, failed: 0, execution: { requested: 'cpu', inUse: 'cpu' } });
    expect((await client.call('models:list', {})).execution).toMatchObject({ requested: 'cpu', inUse: 'cpu' });
  });
});
