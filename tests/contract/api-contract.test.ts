/**
 * Runs every API method through the browser-mode WebSocket transport (the renderer's own
 * WsTransport and ApiClient) against the real backend, real SQLite and real image files.
 * The client validates each reply against the contract's output schema, so a handler that
 * drifts from the contract fails here.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { methodNames, type MethodInput, type MethodName, type MethodOutput } from '../../shared/contract/api.js';
import { ApiClient } from '../../shared/contract/client.js';
import type { JobProgress } from '../../shared/contract/schemas.js';
import { createBackend, type Backend } from '../../electron/backend/backend.js';
import { startBrowserServer, type BrowserServer } from '../../electron/server/browser-server.js';
import { WsTransport, type WebSocketCtor } from '../../renderer/src/lib/api/ws-transport.js';
import { writeCocoFixture, writeSquareImage, type CocoFixture } from '../fixtures/make-images.js';

let backend: Backend;
let server: BrowserServer;
let transport: WsTransport;
let client: ApiClient;
let root: string;
let fixture: CocoFixture;
const covered = new Set<MethodName>();

function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  covered.add(method);
  return client.call(method, input);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rt-contract-'));
  fixture = await writeCocoFixture(join(root, 'coco'), 4);
  backend = createBackend({ mode: 'browser', version: 'contract', actor: 'contract-tester', log: { error() {}, warn() {}, info() {} } });
  server = await startBrowserServer({ backend, rendererDir: root });
  const url = `ws://127.0.0.1:${server.port}/api/ws?token=${server.token}`;
  transport = new WsTransport({ url, WebSocketImpl: WebSocket as unknown as WebSocketCtor });
  client = new ApiClient(transport);
});

afterAll(async () => {
  transport.dispose();
  await server.close();
  backend.dispose();
});

describe('API contract over WebSocket', () => {
  it('reports NO_PROJECT before a project is open', async () => {
    const info = await client.call('app:info', {});
    expect(info).toMatchObject({ mode: 'browser', actor: 'contract-tester', project: null });
    await expect(client.call('datasets:list', {})).rejects.toMatchObject({ code: 'NO_PROJECT' });
  });

  it('answers every method with contract-shaped data', async () => {
    const progress: JobProgress[] = [];
    const stop = client.on('job:progress', (p) => progress.push(p));

    const created = await call('project:create', { path: join(root, 'project'), name: 'Contract' });
    expect(created).toMatchObject({ name: 'Contract', imageCount: 0 });
    expect(await call('project:open', { path: created.path })).toMatchObject({ path: created.path });
    expect((await call('app:info', {})).project?.path).toBe(created.path);

    const coco = await call('import:coco', { file: fixture.file, images: fixture.imagesDir });
    expect(coco).toMatchObject({ imported: 4, references: 8, problems: [] });

    const folder = join(root, 'folder');
    mkdirSync(folder);
    await writeSquareImage(join(folder, 'one.png'), 'red');
    expect(await call('import:folder', { folder })).toMatchObject({ imported: 1, problems: [] });
    expect(progress.some((p) => p.kind === 'import' && p.finished)).toBe(true);

    const datasets = await call('datasets:list', {});
    expect(datasets.map((d) => d.kind).sort()).toEqual(['coco', 'folder']);

    const page = await call('images:list', { offset: 0, limit: 10 });
    expect(page.total).toBe(5);
    const first = page.items[0]!;
    expect(first).toMatchObject({ externalId: 100, status: 'undecided' });

    const detail = await call('images:get', { id: first.id });
    expect(detail.references).toHaveLength(2);
    expect(await call('images:neighbours', { id: first.id })).toEqual({ previous: null, next: page.items[1]!.id });

    const edited = await call('decisions:record', { imageId: first.id, action: 'edit', finalText: 'a red lemur' });
    expect(edited).toMatchObject({ status: 'edited', caption: 'a red lemur', decision: { actor: 'contract-tester' } });
    const accepted = await call('decisions:record', { imageId: first.id, action: 'accept', referenceId: detail.references[1]!.id });
    expect(accepted).toMatchObject({ status: 'accepted', caption: detail.references[1]!.text });
    const undone = await call('decisions:undo', { imageId: first.id });
    expect(undone).toMatchObject({ status: 'edited', caption: 'a red lemur' });
    expect(undone.history.map((d) => d.action)).toEqual(['edit', 'accept', 'undo']);

    const out = join(root, 'export.json');
    const exported = await call('export:coco', { out, captions: 'prefer-decided', datasetId: first.datasetId });
    expect(exported).toMatchObject({ path: out, images: 4 });
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.annotations.filter((a: { image_id: number }) => a.image_id === 100).map((a: { caption: string }) => a.caption)).toEqual([
      'a red lemur',
    ]);
    stop();

    expect([...covered].sort()).toEqual([...methodNames].sort());
  });

  it('carries stable error codes for bad input, unknown ids and bad files', async () => {
    await expect(client.call('images:get', { id: 999_999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.call('decisions:record', { imageId: 1, action: 'edit', finalText: '   ' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(client.call('project:open', { path: join(root, 'nowhere') })).rejects.toMatchObject({ code: 'PROJECT_INVALID' });
    await expect(client.call('import:coco', { file: join(root, 'missing.json'), images: root })).rejects.toMatchObject({
      message: expect.stringContaining('missing.json'),
    });
    // The raw transport, bypassing the client's own input check, still meets the backend's validation.
    expect(await transport.invoke('images:list', { offset: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await transport.invoke('no:such', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });
});
