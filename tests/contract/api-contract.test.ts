/**
 * Runs every API method through the browser-mode WebSocket transport (the renderer's own
 * WsTransport and ApiClient) against the real backend, real SQLite and real image files.
 * The client validates each reply against the contract's output schema, so a handler that
 * drifts from the contract fails here.
 */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { methodNames, type MethodInput, type MethodName, type MethodOutput } from '../../shared/contract/api.js';
import { ApiClient } from '../../shared/contract/client.js';
import type { JobProgress } from '../../shared/contract/schemas.js';
import type { Backend } from '../../electron/backend/backend.js';
import { forkEngineWorker } from '../../electron/backend/engine-worker-entry.js';
import { startBrowserServer, type BrowserServer } from '../../electron/server/browser-server.js';
import { WsTransport, type WebSocketCtor } from '../../renderer/src/lib/api/ws-transport.js';
import { writeCocoFixture, writeSquareImage, type CocoFixture } from '../fixtures/make-images.js';
import { testBackend } from '../../electron/backend/testing/test-backend.js';

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
  // The inference worker bundled from the source, as worker-models.test.ts does (runs:* execute for real).
  const worker = join(import.meta.dirname, '..', '..', 'dist', 'test-workers', 'contract-engine-worker.mjs');
  await build({ entryPoints: [join(import.meta.dirname, '../../electron/engine/engine-worker-main.ts')], outfile: worker, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
  backend = testBackend(root, { version: 'contract', actor: 'contract-tester', launchWorker: () => forkEngineWorker(worker) });
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
    client.setMediaKey(created.mediaKey); // as the renderer's ProjectState does

    const coco = await call('import:coco', { file: fixture.file, images: fixture.imagesDir });
    expect(coco).toMatchObject({ imported: 4, references: 8, problems: [] });

    const folder = join(root, 'folder');
    mkdirSync(folder);
    await writeSquareImage(join(folder, 'one.png'), 'red');
    expect(await call('import:folder', { folder })).toMatchObject({ imported: 1, problems: [] });
    expect(await call('import:cancel', {})).toEqual({ cancelled: 0 }); // nothing left to stop
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
    const exported = await call('export:write', { format: 'coco-captions', out, captions: 'prefer-decided', datasetId: first.datasetId });
    expect(exported).toMatchObject({ path: out, images: 4 });
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.annotations.filter((a: { image_id: number }) => a.image_id === 100).map((a: { caption: string }) => a.caption)).toEqual([
      'a red lemur',
    ]);

    // The engine: models and settings, then a tiny suggest run on the bundled demo models.
    const models = await call('models:list', {});
    expect(models.models.some((m) => m.id === 'demo/captioner' && m.bundled && m.status === 'installed')).toBe(true);
    expect(models.project?.executionProvider).toBe('cpu');
    expect(await call('settings:get', {})).toEqual(models.project);
    expect(await call('settings:update', { activeModels: { textEmbedder: 'demo/clip' }, executionProvider: 'cpu' })).toEqual(models.project);
    const quick = { candidates: 2, steps: 2, maxNewTokens: 6 };
    const run = await call('runs:start', { kind: 'suggest', selection: { imageIds: [first.id] }, settings: quick });
    const queued = await call('runs:start', { kind: 'suggest', selection: { datasetId: first.datasetId, limit: 1 }, settings: quick });
    expect(await call('runs:pause', { id: queued.id })).toMatchObject({ status: 'paused' });
    expect(await call('runs:resume', { id: queued.id })).toMatchObject({ status: 'queued' });
    expect(await call('runs:cancel', { id: queued.id })).toMatchObject({ status: 'cancelled' });
    await expect.poll(async () => (await call('runs:get', { id: run.id })).status, { timeout: 30_000 }).toBe('completed');
    expect((await call('runs:list', {})).map((r) => [r.id, r.status, r.done])).toEqual([
      [run.id, 'completed', 1],
      [queued.id, 'cancelled', 0],
    ]);
    await expect.poll(() => progress.some((p) => p.runId === run.id && p.kind === 'suggest' && p.finished && p.status === 'completed')).toBe(true);
    // Review: the queue ordered by the run's scores, an item's ranked candidates, a decision that takes one.
    expect(await call('review:queue', { order: 'uncertain', status: 'edited' })).toMatchObject({
      runId: run.id,
      total: 1,
      items: [{ imageId: first.id, status: 'edited' }],
    });
    const item = await call('review:item', { imageId: first.id });
    expect(item).toMatchObject({ runId: run.id, image: { id: first.id, status: 'edited' } });
    const picked = item.candidates.at(-1)!;
    expect(picked).toMatchObject({ runId: run.id, hasReconstruction: true });
    const took = await call('decisions:record', { imageId: first.id, action: 'accept', candidateId: picked.id });
    expect(took).toMatchObject({ status: 'accepted', caption: picked.text, decision: { candidateId: picked.id, runId: run.id } });
    expect(await call('decisions:undo', {})).toMatchObject({ id: first.id, status: 'edited', caption: 'a red lemur' });
    const drawn = await fetch(`http://127.0.0.1:${server.port}/${client.mediaUrl('reconstruction', picked.id)}`, { headers: { Authorization: `Bearer ${server.token}` } });
    expect([drawn.status, drawn.headers.get('content-type')]).toEqual([200, 'image/png']);
    // The evaluation report of the stored runs: the completed run's Table 1, the cancelled one a note.
    const report = await call('eval:report', {});
    expect(report.runs.map((r) => r.id)).toEqual([run.id, queued.id]);
    expect(report.table1.map((t) => [t.runId, t.overall.images, t.candidatesPerImage])).toEqual([[run.id, 1, 2]]);
    expect(report.messages.join('\n')).toContain(`Run ${queued.id} has no finished image`);
    expect(progress.some((p) => p.kind === 'eval' && p.finished)).toBe(true);
    expect(await call('eval:cancel', {})).toEqual({ cancelled: 0 }); // nothing left to stop
    // The audit view's lists over the run (no reference audit yet), and model maintenance.
    expect(await call('audit:disagreements', {})).toMatchObject({ runId: run.id, images: 1 });
    expect(await call('audit:vocabulary', { side: 'reference' })).toMatchObject({ runId: run.id, side: 'reference', images: 1 });
    expect(await call('audit:weak-references', {})).toMatchObject({ runId: null, total: 0, items: [] });
    expect(await call('models:verify', { id: 'demo/clip', hashes: false })).toMatchObject({ id: 'demo/clip', ok: true, graphsChecked: 2 });
    expect(await call('models:cancel-pull', {})).toEqual({ cancelled: false });
    await expect(call('models:pull', { repo: 'org/model', family: 'no-such-family' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // A researcher's note and tags on an image, found again by a word and by a tag.
    expect(await call('notes:set', { imageId: first.id, note: 'a lemur, not a monkey', tags: [' vocabulary ', 'Vocabulary', 'check'] })).toMatchObject({
      imageId: first.id,
      tags: ['vocabulary', 'check'],
      actor: 'contract-tester',
    });
    expect(await call('notes:get', { imageId: first.id })).toMatchObject({ note: 'a lemur, not a monkey' });
    expect((await call('notes:search', { query: 'lemur', tag: 'VOCABULARY' })).items.map((n) => n.imageId)).toEqual([first.id]);
    expect(await call('notes:tags', {})).toEqual([{ tag: 'check', images: 1 }, { tag: 'vocabulary', images: 1 }]);
    stop();

    expect([...covered].sort()).toEqual([...methodNames].sort());
    // A real suggest run, evaluation report and model check: more than the default 5 s on a busy machine.
  }, 60_000);

  it('carries stable error codes for bad input, unknown ids and bad files', async () => {
    await expect(client.call('images:get', { id: 999_999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.call('decisions:record', { imageId: 1, action: 'edit', finalText: '   ' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(client.call('project:open', { path: join(root, 'nowhere') })).rejects.toMatchObject({ code: 'PROJECT_INVALID' });
    await expect(client.call('import:coco', { file: join(root, 'missing.json'), images: root })).rejects.toMatchObject({
      message: expect.stringContaining('missing.json'),
    });
    const [image] = (await client.call('images:list', { offset: 0, limit: 1 })).items;
    const suggest = (await client.call('runs:list', {})).find((r) => r.kind === 'suggest' && r.done > 0)!;
    const [candidate] = (await client.call('review:item', { imageId: image!.id, runId: suggest.id })).candidates;
    const other = (await client.call('images:list', { offset: 1, limit: 1 })).items[0]!;
    await expect(client.call('decisions:record', { imageId: other.id, action: 'accept', candidateId: candidate!.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      client.call('decisions:record', { imageId: image!.id, action: 'accept', candidateId: candidate!.id, referenceId: 1 }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(client.call('review:item', { imageId: image!.id, runId: 999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.call('review:queue', { datasetId: 999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const [method, input] of [
      ['review:queue', { order: 'random' }],
      ['review:queue', { limit: 5001 }],
      ['review:queue', { status: 'maybe' }],
      ['review:item', {}],
      ['decisions:undo', { imageId: 0 }],
    ] as const) {
      expect(await transport.invoke(method, input), `${method} ${JSON.stringify(input)}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    // The raw transport, bypassing the client's own input check, still meets the backend's validation.
    expect(await transport.invoke('images:list', { offset: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await transport.invoke('no:such', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('refuses malformed engine requests before any handler runs', async () => {
    const before = (await client.call('runs:list', {})).length;
    const refused: [string, unknown][] = [
      ['runs:start', {}],
      ['runs:start', { kind: 'train' }],
      ['runs:start', { kind: 'suggest', settings: { candidates: 0 } }],
      ['runs:start', { kind: 'suggest', settings: { topP: 1.5 } }],
      ['runs:start', { kind: 'suggest', settings: { steps: 2.5 } }],
      ['runs:start', { kind: 'suggest', settings: { scheduler: 'unipc' } }], // a diffusers sampler Roundtrip does not implement
      ['runs:start', { kind: 'suggest', settings: { unknown: 1 } }],
      ['runs:start', { kind: 'suggest', selection: { limit: 0 } }],
      ['runs:start', { kind: 'suggest', selection: { imageIds: [] } }],
      ['runs:start', { kind: 'suggest', models: { captioner: '' } }],
      ['runs:start', { kind: 'suggest', provider: 'tpu' }],
      ['runs:start', { kind: 'suggest', sql: 'DROP TABLE runs' }],
      ['runs:list', { all: true }],
      ['runs:get', { id: 'one' }],
      ['runs:pause', {}],
      ['runs:resume', { id: -1 }],
      ['runs:cancel', { id: 1.5 }],
      ['models:list', { role: 'captioner' }],
      ['settings:get', { key: 'x' }],
      ['settings:update', { executionProvider: 'tpu' }],
      ['settings:update', { activeModels: { vae: 'demo/generator' } }],
      ['audit:disagreements', { limit: 501 }],
      ['audit:vocabulary', { side: 'both' }],
      ['audit:weak-references', { runId: 'latest' }],
      ['models:verify', { id: '' }],
      ['models:pull', { repo: '../etc/passwd' }],
      ['models:pull', { repo: 'org/model', revision: 'a b' }],
      ['notes:set', { imageId: 1, note: 'x', tags: ['a,b'] }],
      ['notes:set', { imageId: 1, note: 'x'.repeat(10_001), tags: [] }],
      ['notes:search', { tag: '' }],
    ];
    for (const [method, input] of refused) {
      expect(await transport.invoke(method, input), `${method} ${JSON.stringify(input)}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(await client.call('runs:list', {})).toHaveLength(before);
    await expect(client.call('runs:get', { id: 999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.call('runs:start', { kind: 'suggest', selection: { imageIds: [999_999] } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.call('settings:update', { activeModels: { generator: 'demo/captioner' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
