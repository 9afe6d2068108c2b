import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE } from './manifest.js';
import { defaultDemoRoot, ModelRegistry } from './registry.js';
import { writeModelFolder } from './testing/model-folders.js';

let dir: string;
let user: string;
let demo: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-registry-'));
  user = join(dir, 'user');
  demo = join(dir, 'demo');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const registry = () => new ModelRegistry({ modelsDir: user, readOnlyRoots: [demo] });

describe('ModelRegistry', () => {
  it('lists nothing when no root exists yet', async () => {
    expect(await registry().list()).toEqual([]);
  });

  it('defaults to userDataDir()/models, the demo root and ROUNDTRIP_HUB_URL', () => {
    const r = new ModelRegistry({ env: { ROUNDTRIP_HOME: '/h', ROUNDTRIP_DEMO_MODELS: '/d', ROUNDTRIP_HUB_URL: 'http://127.0.0.1:9/' } });
    expect([r.modelsDir, r.readOnlyRoots, r.hubUrl]).toEqual(['/h/models', ['/d'], 'http://127.0.0.1:9']);
    expect(new ModelRegistry({ env: {} }).hubUrl).toBe('https://huggingface.co');
    expect(defaultDemoRoot({})).toBe(resolve(import.meta.dirname, '../../resources/demo'));
  });

  it('lists user and bundled models with their status, user models first', async () => {
    await writeModelFolder(join(user, 'org--cap'), 'vit-gpt2', { id: 'org/cap' });
    await writeModelFolder(join(user, 'org--broken'), 'dinov2', { id: 'org/broken' });
    await rm(join(user, 'org--broken', 'onnx/model.onnx'));
    await mkdir(join(user, 'org--bad'), { recursive: true });
    await writeFile(join(user, 'org--bad', MANIFEST_FILE), '{"id": 3}');
    await mkdir(join(user, 'org--half', 'onnx'), { recursive: true });
    await writeFile(join(user, 'org--half', 'onnx', 'model.onnx.part'), 'x');
    await writeModelFolder(join(demo, 'generator'), 'demo', { role: 'generator', id: 'demo/generator' });
    await writeModelFolder(join(demo, 'clip'), 'clip', { noManifest: true });
    await writeFile(join(demo, 'manifest.json'), '{}');

    const listed = await registry().list();
    expect(listed.map(({ id, status, family, role, readOnly }) => ({ id, status, family, role, readOnly }))).toEqual([
      { id: 'org--bad', status: 'invalid', family: undefined, role: undefined, readOnly: false },
      { id: 'org/broken', status: 'incomplete', family: 'dinov2', role: 'image-embedder', readOnly: false },
      { id: 'org/cap', status: 'installed', family: 'vit-gpt2', role: 'captioner', readOnly: false },
      { id: 'org--half', status: 'incomplete', family: undefined, role: undefined, readOnly: false },
      { id: 'clip', status: 'unmanaged', family: 'clip', role: 'image-embedder', readOnly: true },
      { id: 'demo/generator', status: 'installed', family: 'demo', role: 'generator', readOnly: true },
    ]);
    expect(listed[0]!.detail).toBe('roundtrip-model.json: id: Invalid input: expected string, received number');
    expect(listed[1]!.detail).toBe('missing or wrong size: onnx/model.onnx');
    expect(listed[2]).toMatchObject({ name: 'vit-gpt2', version: '1', licence: 'MIT', path: join(user, 'org--cap') });
  });

  it('gets a model by id, a user model shadowing a bundled one', async () => {
    await writeModelFolder(join(demo, 'cap'), 'vit-gpt2', { id: 'shared' });
    await writeModelFolder(join(user, 'cap'), 'blip', { id: 'shared' });
    const r = registry();
    expect((await r.get('shared'))!.family).toBe('blip');
    expect(await r.get('nope')).toBeUndefined();
  });

  it('verifies by id, including a bundled folder without a manifest', async () => {
    await writeModelFolder(join(demo, 'clip'), 'clip', { noManifest: true });
    const report = await registry().verify('clip');
    expect(report).toMatchObject({ id: 'clip', ok: true, problems: [], graphsChecked: 2, filesChecked: 0 });
    expect(report.warnings).toEqual(['no roundtrip-model.json; hashes unknown']);
    await expect(registry().verify('nope')).rejects.toThrow("no model 'nope' (see `roundtrip models list`)");
  });

  it('reports an unusable folder instead of throwing', async () => {
    await mkdir(join(user, 'bad'), { recursive: true });
    await writeFile(join(user, 'bad', MANIFEST_FILE), 'not json');
    const report = await registry().verify('bad');
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatch(/^roundtrip-model\.json: not valid JSON/);
  });

  it('can skip hashing and graph loading', async () => {
    await writeModelFolder(join(user, 'm'), 'sentence-transformers', { id: 'm' });
    const opened: string[] = [];
    const r = new ModelRegistry({ modelsDir: user, readOnlyRoots: [], openGraph: async (p) => (opened.push(p), { inputs: [], outputs: [] }) });
    expect((await r.verify('m', { graphs: false })).graphsChecked).toBe(0);
    expect(opened).toEqual([]);
    const report = await r.verify('m', { hashes: false });
    expect(opened).toEqual([join(user, 'm', 'onnx/model.onnx')]);
    expect(report.problems).toEqual(["onnx/model.onnx: missing input 'input_ids'", "onnx/model.onnx: missing input 'attention_mask'", "onnx/model.onnx: missing output 'last_hidden_state'"]);
  });
});
