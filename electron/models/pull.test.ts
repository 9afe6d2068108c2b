import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from './hub-client.js';
import { readManifest } from './manifest.js';
import { ModelRegistry } from './registry.js';
import { startFakeHub, type FakeHub, type FakeRepo } from './testing/fake-hub.js';
import { familyFiles } from './testing/model-folders.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** A repo laid out like Xenova/vit-gpt2-image-captioning: two dtypes, PyTorch weights, a README. */
function captionerRepo(): FakeRepo {
  const files: Record<string, Buffer> = {
    '.gitattributes': Buffer.from('*.onnx filter=lfs'),
    'README.md': Buffer.from('# a captioner'),
    'config.json': json({ model_type: 'vision-encoder-decoder', decoder: { model_type: 'gpt2' } }),
    'generation_config.json': json({ bos_token_id: 0 }),
    'preprocessor_config.json': json({ size: 8 }),
    'pytorch_model.bin': randomBytes(2048),
    'onnx/decoder_model.onnx': randomBytes(64),
    'onnx/encoder_model.onnx_data': randomBytes(4096),
    ...Object.fromEntries(familyFiles('vit-gpt2')),
    ...Object.fromEntries(familyFiles('vit-gpt2', { dtype: 'fp16' })),
  };
  const lfs = Object.keys(files).filter((p) => p.endsWith('.onnx') || p.endsWith('_data') || p.endsWith('.bin'));
  return { sha: SHA, files, lfs, license: 'apache-2.0' };
}

let dir: string;
let hub: FakeHub | undefined;
let registry: ModelRegistry;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-pull-'));
});
afterEach(async () => {
  registry?.dispose();
  await hub?.close();
  hub = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(repos: Record<string, FakeRepo>, behaviour = {}) {
  hub = await startFakeHub(repos, behaviour);
  registry = new ModelRegistry({ modelsDir: join(dir, 'models'), readOnlyRoots: [], hubUrl: hub.url, clock: () => new Date('2026-01-02T03:04:05Z') });
  return hub;
}

describe('ModelRegistry.pull', () => {
  it('fetches only what the family needs, pins the commit and writes a manifest that verifies', async () => {
    const repo = captionerRepo();
    await start({ 'Xenova/captioner': repo });
    const events: { done: number; total: number | undefined }[] = [];
    const { dir: folder, manifest } = await registry.pull('Xenova/captioner', { onProgress: (p) => events.push(p) });

    expect(folder).toBe(join(dir, 'models', 'Xenova--captioner'));
    const expected = ['config.json', 'generation_config.json', 'onnx/decoder_model_merged.onnx', 'onnx/encoder_model.onnx', 'onnx/encoder_model.onnx_data', 'preprocessor_config.json', 'tokenizer.json'];
    expect(manifest.files.map((f) => f.path)).toEqual(expected);
    for (const f of manifest.files) expect(f).toEqual({ path: f.path, bytes: repo.files[f.path]!.length, sha256: sha256(repo.files[f.path]!) });
    expect(manifest).toMatchObject({
      id: 'Xenova/captioner',
      role: 'captioner',
      family: 'vit-gpt2',
      name: 'captioner',
      version: SHA.slice(0, 12),
      licence: 'apache-2.0',
      source: { repo: 'Xenova/captioner', revision: SHA },
      dtype: 'fp32',
      pulledAt: '2026-01-02T03:04:05.000Z',
    });
    expect(await readManifest(folder)).toEqual(manifest);
    expect((await readdir(join(folder, 'onnx'))).sort()).toEqual(['decoder_model_merged.onnx', 'encoder_model.onnx', 'encoder_model.onnx_data']);
    // Every file after the listing is fetched at the pinned commit, not the moving branch.
    expect(hub!.requests.filter((r) => r.url.includes('/resolve/')).every((r) => r.url.includes(`/resolve/${SHA}/`))).toBe(true);

    const total = manifest.files.reduce((s, f) => s + f.bytes, 0);
    expect(events.at(-1)).toMatchObject({ done: total, total });
    expect(events.every((e, i) => i === 0 || e.done >= events[i - 1]!.done)).toBe(true);

    const [listed] = await registry.list();
    expect(listed).toMatchObject({ id: 'Xenova/captioner', status: 'installed', family: 'vit-gpt2', role: 'captioner', readOnly: false });
    const report = await registry.verify('Xenova/captioner');
    expect(report.problems).toEqual([]);
    expect(report.graphsChecked).toBe(2);
  });

  it('pulls another dtype variant when asked', async () => {
    await start({ 'Xenova/captioner': captionerRepo() });
    const { manifest } = await registry.pull('Xenova/captioner', { dtype: 'fp16' });
    expect(manifest.files.map((f) => f.path).filter((p) => p.endsWith('.onnx'))).toEqual(['onnx/decoder_model_merged_fp16.onnx', 'onnx/encoder_model_fp16.onnx']);
    expect((await registry.verify('Xenova/captioner')).ok).toBe(true);
  });

  it('infers stable-diffusion and lcm from model_index.json and fetches the Optimum layout', async () => {
    const sd = Object.fromEntries(familyFiles('lcm'));
    const files = { ...sd, 'model_index.json': json({ _class_name: 'LatentConsistencyModelPipeline', scheduler: ['diffusers', 'LCMScheduler'] }), 'unet/model.onnx_data': randomBytes(512), 'unet/config.json': json({}), 'vae_encoder/model.onnx': randomBytes(64), 'safety_checker/model.onnx': randomBytes(64) };
    await start({ 'org/lcm': { sha: SHA, files, lfs: ['unet/model.onnx_data'] } });
    const { manifest } = await registry.pull('org/lcm', { revision: SHA });
    expect(manifest.family).toBe('lcm');
    expect(manifest.role).toBe('generator');
    expect(manifest.dtype).toBeUndefined();
    expect(manifest.files.map((f) => f.path)).toEqual([
      'model_index.json', 'scheduler/scheduler_config.json', 'text_encoder/model.onnx', 'tokenizer/vocab.json',
      'unet/config.json', 'unet/model.onnx', 'unet/model.onnx_data', 'vae_decoder/model.onnx',
    ]);
    expect((await registry.verify('org/lcm')).problems).toEqual([]);
  });

  it('takes an explicit family and says what a repo lacks', async () => {
    const files = Object.fromEntries(familyFiles('clip'));
    delete files['onnx/text_model.onnx'];
    delete files['config.json'];
    await start({ 'org/clip': { sha: SHA, files } });
    await expect(registry.pull('org/clip')).rejects.toThrow("cannot tell which model family this is (no config.json or model_index.json); pass --family");
    await expect(registry.pull('org/clip', { family: 'clip' })).rejects.toThrow('org/clip@main lacks what a clip model needs (dtype fp32): onnx/text_model.onnx, config.json');
  });

  it('refuses a file whose hash does not match and leaves it out of the folder', async () => {
    const repo = captionerRepo();
    repo.lieAbout = { 'onnx/encoder_model.onnx': 'e'.repeat(64) };
    await start({ 'Xenova/captioner': repo });
    await expect(registry.pull('Xenova/captioner')).rejects.toThrow(/^onnx\/encoder_model\.onnx: sha256 mismatch \(expected e{64}, got [0-9a-f]{64}\)/);
    const folder = join(dir, 'models', 'Xenova--captioner');
    await expect(stat(join(folder, 'onnx/encoder_model.onnx'))).rejects.toThrow();
    await expect(stat(join(folder, 'onnx/encoder_model.onnx.part'))).rejects.toThrow();
    expect(await readManifest(folder)).toBeUndefined();
    expect((await registry.list())[0]).toMatchObject({ id: 'Xenova--captioner', status: 'incomplete' });
  });

  it('gives a clear error for an unknown repo', async () => {
    const h = await start({});
    await expect(registry.pull('org/none')).rejects.toThrow(`org/none@main: repository not found (or private) on ${h.url} (HTTP 401)`);
    await expect(registry.pull('../etc')).rejects.toThrow("'../etc' is not a hub repo id");
  });

  it('resumes after a dropped connection within one pull', async () => {
    const repo = captionerRepo();
    repo.files['onnx/encoder_model.onnx_data'] = randomBytes(200_000);
    await start({ 'Xenova/captioner': repo }, { dropOnceAfter: { 'onnx/encoder_model.onnx_data': 50_000 } });
    const { manifest } = await registry.pull('Xenova/captioner');
    expect(manifest.files.find((f) => f.path === 'onnx/encoder_model.onnx_data')!.sha256).toBe(sha256(repo.files['onnx/encoder_model.onnx_data']!));
    const ranges = hub!.requests.filter((r) => r.url.endsWith('encoder_model.onnx_data') && r.url.startsWith('/cdn/')).map((r) => r.range);
    expect(ranges).toEqual([undefined, 'bytes=50000-']);
  });

  it('is cancelled by dispose(), keeps finished files and the .part, and a second pull completes', async () => {
    const repo = captionerRepo();
    const big = randomBytes(300_000);
    repo.files['onnx/encoder_model.onnx_data'] = big;
    await start({ 'Xenova/captioner': repo }, { trickle: { 'onnx/encoder_model.onnx_data': { chunk: 20_000, delayMs: 15 } } });
    const pulling = registry.pull('Xenova/captioner', { onProgress: (p) => p.file.endsWith('_data') && p.fileDone >= 100_000 && registry.dispose() });
    await expect(pulling).rejects.toThrow();
    const folder = join(dir, 'models', 'Xenova--captioner');
    const part = (await stat(join(folder, 'onnx/encoder_model.onnx_data.part'))).size;
    expect(part).toBeGreaterThan(0);
    expect((await registry.list())[0]!.status).toBe('incomplete');

    const before = hub!.requests.length;
    const { manifest } = await registry.pull('Xenova/captioner');
    expect(manifest.files.find((f) => f.path === 'onnx/encoder_model.onnx_data')!.sha256).toBe(sha256(big));
    const again = hub!.requests.slice(before).filter((r) => r.url.startsWith('/cdn/'));
    // Completed files are not fetched again; the interrupted one resumes where its .part ends.
    expect(again.map((r) => [r.url.split('/').pop(), r.range])).toEqual([['encoder_model.onnx_data', `bytes=${part}-`]]);
    expect(await readFile(join(folder, 'onnx/encoder_model.onnx_data'))).toHaveLength(big.length);
  });

  it('keeps a file an earlier pull left only when its content matches the listing, even a small file listed with only its git blob id', async () => {
    const repo = captionerRepo();
    await start({ 'Xenova/captioner': repo });
    const { dir: folder } = await registry.pull('Xenova/captioner');
    // Same size, other content: the listing has no sha256 for a non-LFS file, only its blobId.
    const tokenizer = join(folder, 'tokenizer.json');
    const stale = Buffer.from(repo.files['tokenizer.json']!).fill(0x20);
    await writeFile(tokenizer, stale);
    const before = hub!.requests.length;
    const { manifest } = await registry.pull('Xenova/captioner');
    expect(await readFile(tokenizer)).toEqual(repo.files['tokenizer.json']);
    expect(manifest.files.find((f) => f.path === 'tokenizer.json')!.sha256).toBe(sha256(repo.files['tokenizer.json']!));
    // Files that still match are not fetched again.
    const again = hub!.requests.slice(before).filter((r) => r.url.includes('/resolve/')).map((r) => r.url.split('/').pop());
    expect(again.sort()).toEqual(['config.json', 'tokenizer.json']);
  });

  it('downloads again a file an earlier pull left when the listing gives no hash for it at all', async () => {
    const repo = captionerRepo();
    const h = await startFakeHub({ 'Xenova/captioner': repo });
    hub = h;
    // A hub (or mirror) whose listing carries sizes but neither lfs.sha256 nor blobId.
    const bare: FetchLike = async (url, init) => {
      const res = await fetch(url, init);
      if (!url.includes('/api/models/')) return res;
      const body = (await res.json()) as { siblings: Record<string, unknown>[] };
      for (const s of body.siblings) {
        delete s.blobId;
        delete s.lfs;
      }
      return new Response(JSON.stringify(body), { status: res.status, headers: { 'Content-Type': 'application/json' } });
    };
    registry = new ModelRegistry({ modelsDir: join(dir, 'models'), readOnlyRoots: [], hubUrl: h.url, fetch: bare, hubCacheDir: null });
    const { dir: folder } = await registry.pull('Xenova/captioner');
    await writeFile(join(folder, 'tokenizer.json'), Buffer.from(repo.files['tokenizer.json']!).fill(0x20));
    const { manifest } = await registry.pull('Xenova/captioner');
    expect(manifest.files.find((f) => f.path === 'tokenizer.json')!.sha256).toBe(sha256(repo.files['tokenizer.json']!));
  });

  it('refuses a listing that names a file outside the repository, and writes nothing anywhere', async () => {
    const repo = captionerRepo();
    const escape = 'tokenizer/../../../../escaped.json';
    repo.files[escape] = json({ owned: true });
    const h = await start({ 'Xenova/captioner': repo });
    await expect(registry.pull('Xenova/captioner')).rejects.toThrow(`names a file outside the repository ("${escape}")`);
    expect(h.requests.filter((r) => r.url.includes('/resolve/'))).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
    expect(await stat(join(dir, '..', 'escaped.json')).catch(() => null)).toBeNull();
  });
});
