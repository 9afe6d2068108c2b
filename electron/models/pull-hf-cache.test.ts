/**
 * Issue 15, acceptance 4: a pull on a machine whose Hugging Face cache already holds the files
 * hard-links (same file system) or copies them, never symlinks into the user's cache, checks each
 * against the hash its blob is named by, and makes no request when the cache holds every file;
 * a partly cached repo downloads only the rest.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullPlanSummary } from './pull.js';
import { ModelRegistry } from './registry.js';
import { sha256Of, startFakeHub, type FakeHub, type FakeRepo } from './testing/fake-hub.js';
import { writeHfCache } from './testing/hf-cache-fixture.js';
import { publishedRepo } from './testing/published-repos.js';

const SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
const VIT = 'Xenova/vit-gpt2-image-captioning';
const SD = 'onnx-community/stable-diffusion-v1-5-ONNX';
let dir: string;
let hub: FakeHub | undefined;
let registry: ModelRegistry | undefined;
const cleanup: string[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-pull-hf-cache-'));
});
afterEach(async () => {
  registry?.dispose();
  await hub?.close();
  hub = undefined;
  await rm(dir, { recursive: true, force: true });
  for (const d of cleanup.splice(0)) await rm(d, { recursive: true, force: true });
});

async function setup(repoId: string, env: NodeJS.ProcessEnv) {
  const { repo } = await publishedRepo(repoId, SHA);
  hub = await startFakeHub({ [repoId]: repo });
  registry = new ModelRegistry({ modelsDir: join(dir, 'models'), readOnlyRoots: [], hubUrl: hub.url, env });
  return repo;
}

async function pull(repoId: string, options: { dtype?: 'fp16' } = {}) {
  let plan: PullPlanSummary | undefined;
  const result = await registry!.pull(repoId, { ...options, onPlan: (p) => (plan = p) });
  return { ...result, plan: plan! };
}

describe('pull reusing a Hugging Face cache', () => {
  it('takes every file from a full cache ($HF_HOME/hub) as hard links, with no request at all', async () => {
    const repo = await setup(VIT, { HF_HOME: join(dir, 'hf') });
    // snapshot_download (huggingface_hub ≥ 1.22) also writes trees/<commit>.json, the commit's full listing.
    const root = await writeHfCache(join(dir, 'hf', 'hub'), VIT, repo, { tree: true });
    const { manifest, dir: folder, plan } = await pull(VIT);

    expect(hub!.requests).toEqual([]);
    expect(plan).toMatchObject({ commit: SHA, files: manifest.files.length, fromCache: { files: manifest.files.length }, download: { files: 0, bytes: 0 } });
    expect(manifest.source).toEqual({ repo: VIT, revision: SHA });
    expect(manifest.licence).toBe('apache-2.0');
    const encoder = join(folder, 'onnx/encoder_model.onnx');
    // A hard link to the blob: a real file (not a symlink a cache prune would leave dangling), same inode.
    expect((await lstat(encoder)).isFile()).toBe(true);
    expect((await stat(encoder)).ino).toBe((await stat(join(root, 'blobs', sha256Of(repo.files['onnx/encoder_model.onnx']!)))).ino);
    for (const f of manifest.files) expect(f.sha256).toBe(sha256Of(repo.files[f.path]!));
    expect(manifest.files.map((f) => f.path)).not.toContain('onnx/encoder_model_fp16.onnx');
    expect((await registry!.verify(VIT)).problems).toEqual([]);

    // Pruning the user's cache leaves the pulled model whole.
    await rm(root, { recursive: true });
    expect((await registry!.verify(VIT)).ok).toBe(true);
  });

  it('reads nested snapshot links (diffusers component folders) from HF_HUB_CACHE', async () => {
    const repo = await setup(SD, { HF_HUB_CACHE: join(dir, 'hub-cache'), HF_HOME: join(dir, 'elsewhere') });
    await writeHfCache(join(dir, 'hub-cache'), SD, repo, { tree: true });
    const { manifest } = await pull(SD);
    expect(hub!.requests).toEqual([]);
    expect(manifest.files.map((f) => f.path)).toContain('tokenizer/merges.txt');
    expect(manifest.files.map((f) => f.path).some((p) => p.startsWith('safety_checker/'))).toBe(false);
    expect((await registry!.verify(SD)).problems).toEqual([]);
  });

  it.skipIf(!existsSync('/dev/shm'))('copies when the cache is on another file system', async () => {
    const cacheDir = await mkdtemp(join('/dev/shm', 'rt-hf-cache-'));
    cleanup.push(cacheDir);
    const repo = await setup(VIT, { HF_HUB_CACHE: cacheDir });
    await writeHfCache(cacheDir, VIT, repo, { tree: true });
    const { dir: folder } = await pull(VIT);
    expect(hub!.requests).toEqual([]);
    const encoder = join(folder, 'onnx/encoder_model.onnx');
    expect((await lstat(encoder)).isFile()).toBe(true);
    expect((await stat(encoder)).nlink).toBe(1);
    expect(await readFile(encoder)).toEqual(repo.files['onnx/encoder_model.onnx']);
  });

  it('downloads only what a partly cached repo lacks', async () => {
    const repo = await setup(VIT, { HF_HOME: join(dir, 'hf') });
    // transformers.js or Python fetched the encoder and the configs once, not the decoder.
    await writeHfCache(join(dir, 'hf', 'hub'), VIT, repo, { only: (p) => !p.includes('decoder') });
    const { manifest, plan } = await pull(VIT);
    const fetched = hub!.requests.filter((r) => r.url.includes('/resolve/')).map((r) => r.url.split(`/resolve/${SHA}/`)[1]);
    expect(fetched).toEqual(['onnx/decoder_model_merged.onnx']);
    expect(hub!.requests.filter((r) => r.url.startsWith('/api/'))).toHaveLength(1);
    expect(plan.download).toEqual({ files: 1, bytes: repo.files['onnx/decoder_model_merged.onnx']!.length });
    expect(plan.fromCache.files).toBe(manifest.files.length - 1);
    expect((await registry!.verify(VIT)).ok).toBe(true);
  });

  it('refuses a cached blob whose content does not match its name, downloads the file and leaves the cache alone', async () => {
    const repo = await setup(VIT, { HF_HOME: join(dir, 'hf') });
    const root = await writeHfCache(join(dir, 'hf', 'hub'), VIT, repo);
    const blob = join(root, 'blobs', sha256Of(repo.files['onnx/encoder_model.onnx']!));
    await writeFile(blob, Buffer.alloc(repo.files['onnx/encoder_model.onnx']!.length, 1));
    const { manifest } = await pull(VIT);
    expect(manifest.files.find((f) => f.path === 'onnx/encoder_model.onnx')!.sha256).toBe(sha256Of(repo.files['onnx/encoder_model.onnx']!));
    expect(hub!.requests.filter((r) => r.server === 'cdn').map((r) => r.url)).toEqual([`/cdn/${VIT}/onnx/encoder_model.onnx`]);
    expect(await readFile(blob)).toEqual(Buffer.alloc(repo.files['onnx/encoder_model.onnx']!.length, 1));
  });

  it('with symlinks disabled (real snapshot files) checks them against the hub listing, one request and no download', async () => {
    const repo = await setup(VIT, { HF_HOME: join(dir, 'hf') });
    await writeHfCache(join(dir, 'hf', 'hub'), VIT, repo, { noSymlinks: true });
    const { plan } = await pull(VIT);
    expect(hub!.requests.map((r) => r.url)).toEqual([`/api/models/${VIT}/revision/main`]);
    expect(plan.download.files).toBe(0);
  });

  it('trusts trees/<commit>.json as the full listing: a snapshot without the fp16 graphs still serves an fp16 pull only after asking the hub', async () => {
    const repo: FakeRepo = (await setup(VIT, { HF_HOME: join(dir, 'hf') })) as FakeRepo;
    await writeHfCache(join(dir, 'hf', 'hub'), VIT, repo, { only: (p) => !p.includes('_fp16'), tree: true });
    await pull(VIT, { dtype: 'fp16' });
    const fetched = hub!.requests.filter((r) => r.url.includes('/resolve/')).map((r) => r.url.split(`/resolve/${SHA}/`)[1]).sort();
    expect(fetched).toEqual(['onnx/decoder_model_merged_fp16.onnx', 'onnx/encoder_model_fp16.onnx']);
  });

  it('without trees/<commit>.json (files fetched one by one) asks the hub for the listing once, and takes no less than it lists', async () => {
    const repo = await setup(VIT, { HF_HOME: join(dir, 'hf') });
    // hf_hub_download fetched what one script needed; the snapshot says nothing of what it lacks.
    await writeHfCache(join(dir, 'hf', 'hub'), VIT, repo, { only: (p) => p !== 'preprocessor_config.json' && p !== 'generation_config.json' });
    const { manifest, plan } = await pull(VIT);
    expect(hub!.requests.filter((r) => r.url.startsWith('/api/'))).toHaveLength(1);
    const fetched = hub!.requests.filter((r) => r.url.includes('/resolve/')).map((r) => r.url.split(`/resolve/${SHA}/`)[1]).sort();
    expect(fetched).toEqual(['generation_config.json', 'preprocessor_config.json']);
    expect(manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(['generation_config.json', 'preprocessor_config.json']));
    expect(plan.fromCache.files).toBe(manifest.files.length - 2);
  });

  it("keeps Florence-2's optional generation_config.json when the cache lacks it", async () => {
    const FLORENCE = 'onnx-community/Florence-2-base-ft';
    const repo = await setup(FLORENCE, { HF_HOME: join(dir, 'hf') });
    expect(repo.files['generation_config.json']).toBeDefined();
    await writeHfCache(join(dir, 'hf', 'hub'), FLORENCE, repo, { only: (p) => p !== 'generation_config.json' });
    const { manifest } = await pull(FLORENCE);
    expect(manifest.files.map((f) => f.path)).toContain('generation_config.json');
  });

  it('takes the real file behind a blob that is itself a symlink (a deduplicating store in the cache), never the symlink', async () => {
    const repo = await setup(VIT, { HF_HOME: join(dir, 'hf') });
    const root = await writeHfCache(join(dir, 'hf', 'hub'), VIT, repo, { tree: true });
    // Some tools keep one copy per content under the cache and leave relative symlinks in blobs/.
    const blob = join(root, 'blobs', sha256Of(repo.files['onnx/encoder_model.onnx']!));
    const stored = join(dir, 'hf', 'hub', '.store', 'encoder');
    await mkdir(dirname(stored), { recursive: true });
    await rename(blob, stored);
    await symlink(relative(dirname(blob), stored), blob);

    const { dir: folder, manifest } = await pull(VIT);
    expect(hub!.requests).toEqual([]);
    const encoder = join(folder, 'onnx/encoder_model.onnx');
    expect((await lstat(encoder)).isFile()).toBe(true);
    expect((await stat(encoder)).ino).toBe((await stat(stored)).ino);
    expect(manifest.files.find((f) => f.path === 'onnx/encoder_model.onnx')!.sha256).toBe(sha256Of(repo.files['onnx/encoder_model.onnx']!));
  });

  it('does not use a snapshot link that points outside the cache: the file is downloaded', async () => {
    const repo = await setup(VIT, { HF_HOME: join(dir, 'hf') });
    const root = await writeHfCache(join(dir, 'hf', 'hub'), VIT, repo, { tree: true, only: (p) => p !== 'tokenizer.json' });
    const outside = join(dir, 'elsewhere', 'tokenizer.json');
    await mkdir(dirname(outside), { recursive: true });
    await writeFile(outside, repo.files['tokenizer.json']!);
    await symlink(outside, join(root, 'snapshots', SHA, 'tokenizer.json'));

    await pull(VIT);
    const fetched = hub!.requests.filter((r) => r.url.includes('/resolve/')).map((r) => r.url.split(`/resolve/${SHA}/`)[1]);
    expect(fetched).toEqual(['tokenizer.json']);
  });

  it('downloads a file whose blob was pruned between planning and taking, instead of failing the pull', async () => {
    const repo = await setup(VIT, { HF_HOME: join(dir, 'hf') });
    const root = await writeHfCache(join(dir, 'hf', 'hub'), VIT, repo, { tree: true });
    const blob = join(root, 'blobs', sha256Of(repo.files['onnx/encoder_model.onnx']!));
    // `huggingface-cli delete-cache` running while the pull starts.
    const { manifest } = await registry!.pull(VIT, { onPlan: () => void unlinkSync(blob) });
    expect(hub!.requests.filter((r) => r.server === 'cdn').map((r) => r.url)).toEqual([`/cdn/${VIT}/onnx/encoder_model.onnx`]);
    expect(manifest.files.find((f) => f.path === 'onnx/encoder_model.onnx')!.sha256).toBe(sha256Of(repo.files['onnx/encoder_model.onnx']!));
    expect((await registry!.verify(VIT)).ok).toBe(true);
  });

  it('refuses SDXL from the cache alone, without asking the hub (not a network error)', async () => {
    const XL = 'someone/sdxl-onnx';
    const repo: FakeRepo = { sha: SHA, files: { 'model_index.json': Buffer.from('{"_class_name":"ORTStableDiffusionXLPipeline"}'), 'tokenizer_2/vocab.json': Buffer.from('{}') } };
    hub = await startFakeHub({});
    registry = new ModelRegistry({ modelsDir: join(dir, 'models'), readOnlyRoots: [], hubUrl: hub.url, env: { HF_HOME: join(dir, 'hf') } });
    await writeHfCache(join(dir, 'hf', 'hub'), XL, repo, { tree: true });
    await expect(registry.pull(XL)).rejects.toThrow(`${XL} is Stable Diffusion XL (model_index.json names ORTStableDiffusionXLPipeline; the repo has tokenizer_2/)`);
    expect(hub.requests).toEqual([]);
  });

  it('says why a cache it cannot read was not used, and asks the hub', async () => {
    const repo = await setup(VIT, { HF_HOME: join(dir, 'hf') });
    const root = await writeHfCache(join(dir, 'hf', 'hub'), VIT, repo, { tree: true });
    await writeFile(join(root, 'trees', `${SHA}.json`), '{"format_version": 1, "files": {');
    const { plan } = await pull(VIT);
    expect(plan.notes).toEqual([expect.stringMatching(new RegExp(`^Hugging Face cache not usable: .*trees/${SHA}\\.json: not valid JSON .*, asking the hub$`))]);
    expect(hub!.requests.filter((r) => r.url.startsWith('/api/'))).toHaveLength(1);
    expect(plan.download.files).toBe(0);
  });

  it('resolves a revision given as a commit sha, and ignores the cache when told to', async () => {
    const repo = await setup(VIT, { HF_HOME: join(dir, 'hf') });
    await writeHfCache(join(dir, 'hf', 'hub'), VIT, repo, { ref: 'some-branch', tree: true });
    await registry!.pull(VIT, { revision: SHA });
    expect(hub!.requests).toEqual([]);
    registry!.dispose();
    registry = new ModelRegistry({ modelsDir: join(dir, 'models2'), readOnlyRoots: [], hubUrl: hub!.url, env: { HF_HOME: join(dir, 'hf') }, hubCacheDir: null });
    await registry.pull(VIT, { revision: SHA });
    expect(hub!.requests.filter((r) => r.server === 'cdn').length).toBeGreaterThan(0);
  });
});
