/** `roundtrip models …` through the real CLI entry point, against temp folders and a fake hub. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../cli/cli-io.js';
import { runCli } from '../cli/run-cli.js';
import { startFakeHub, type FakeHub } from './testing/fake-hub.js';
import { writeHfCache } from './testing/hf-cache-fixture.js';
import { familyFiles, writeModelFolder } from './testing/model-folders.js';

let dir: string;
let hub: FakeHub | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-models-cli-'));
  vi.stubEnv('ROUNDTRIP_HOME', join(dir, 'home'));
  vi.stubEnv('ROUNDTRIP_DEMO_MODELS', join(dir, 'demo'));
  // Never the machine's own Hugging Face token or cache.
  vi.stubEnv('HF_HOME', join(dir, 'hf'));
  for (const name of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_TOKEN_PATH', 'HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE']) vi.stubEnv(name, undefined);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await hub?.close();
  hub = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), progress: (l) => progress.push(l) };
  const code = await runCli(argv, io);
  return { code, out, err, progress };
}

describe('roundtrip models', () => {
  it('lists the bundled demo models and the user models', async () => {
    await writeModelFolder(join(dir, 'demo', 'captioner'), 'demo', { role: 'captioner', id: 'demo/captioner' });
    await writeModelFolder(join(dir, 'home', 'models', 'org--clip'), 'clip', { id: 'org/clip' });
    const { code, out } = await cli('models', 'list');
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^ID\s+ROLE\s+FAMILY\s+VERSION\s+STATUS\s+WHERE\s+PATH$/);
    expect(out[1]).toMatch(/^org\/clip\s+image-embedder\s+clip\s+1\s+installed\s+user\s+/);
    expect(out[2]).toMatch(/^demo\/captioner\s+captioner\s+demo\s+1\s+installed\s+bundled\s+/);
    const json = await cli('models', 'list', '--json');
    expect(JSON.parse(json.out[0]!).map((m: { id: string }) => m.id)).toEqual(['org/clip', 'demo/captioner']);
  });

  it('says where it looked when there are no models', async () => {
    const { code, out } = await cli('models', 'list');
    expect(code).toBe(0);
    expect(out[0]).toBe(`No models in ${join(dir, 'home', 'models')} or ${join(dir, 'demo')}.`);
  });

  it('verifies every model, printing each problem, and fails when one has any', async () => {
    await writeModelFolder(join(dir, 'demo', 'generator'), 'demo', { role: 'generator', id: 'demo/generator' });
    await writeModelFolder(join(dir, 'home', 'models', 'cap'), 'vit-gpt2', { id: 'cap' });
    expect((await cli('models', 'verify')).code).toBe(0);

    await writeFile(join(dir, 'home', 'models', 'cap', 'onnx/encoder_model.onnx'), 'not a model at all');
    const { code, out, err } = await cli('models', 'verify');
    expect(code).toBe(1);
    expect(out[0]).toMatch(/^FAIL {2}cap {2}\(/);
    const size = familyFiles('vit-gpt2').get('onnx/encoder_model.onnx')!.length;
    expect(out).toContain(`  ✗ onnx/encoder_model.onnx: size mismatch (expected ${size} bytes, got 18)`);
    expect(out.some((l) => l.startsWith('ok    demo/generator'))).toBe(true);
    expect(err).toEqual(['roundtrip models: 1 of 2 model(s) have problems']);

    const one = await cli('models', 'verify', 'demo/generator');
    expect(one.code).toBe(0);
    expect((await cli('models', 'verify', 'nope')).err).toEqual(["roundtrip models: no model 'nope' (see `roundtrip models list`)"]);
  });

  it('pulls from the hub named by ROUNDTRIP_HUB_URL, with progress on stderr, then verifies', async () => {
    const files = Object.fromEntries(familyFiles('dinov2'));
    hub = await startFakeHub({ 'facebook/dino': { sha: 'c'.repeat(40), files: { ...files, 'config.json': Buffer.from('{"model_type":"dinov2"}') }, lfs: ['onnx/model.onnx'] } });
    vi.stubEnv('ROUNDTRIP_HUB_URL', hub.url);
    const { code, out, err, progress } = await cli('models', 'pull', 'facebook/dino');
    // The plan (every file, its size, the total) comes before the first download.
    const pre = files['preprocessor_config.json']!.length;
    expect(err).toEqual([
      `Pulling facebook/dino from ${hub.url} into ${join(dir, 'home', 'models')} …`,
      `facebook/dino@cccccccccccc is dinov2: 3 files, ${files['onnx/model.onnx']!.length + 23 + pre} B to download`,
      '  config.json  23 B',
      `  onnx/model.onnx  ${files['onnx/model.onnx']!.length} B`,
      `  preprocessor_config.json  ${pre} B`,
    ]);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^Pulled facebook\/dino \(dinov2 image-embedder, 3 files, 0\.0 MiB\) into .*facebook--dino in [\d.]+ s\.$/);
    expect(out[1]).toMatch(/^ok {4}facebook\/dino/);
    expect(progress.some((l) => /^pull: \[3\/3\] preprocessor_config\.json .* 100%$/.test(l))).toBe(true);
    expect(progress.at(-1)).toBe('');
  });

  it('says when a pull was planned from the Hugging Face cache alone, which commit refs/main gave, and how to pull another', async () => {
    const files = { ...Object.fromEntries(familyFiles('dinov2')) };
    const sha = 'd'.repeat(40);
    const repo = { sha, files, lfs: ['onnx/model.onnx'] };
    hub = await startFakeHub({ 'facebook/dino': repo });
    vi.stubEnv('ROUNDTRIP_HUB_URL', hub.url);
    await writeHfCache(join(dir, 'hf', 'hub'), 'facebook/dino', repo, { tree: true });
    const { code, err } = await cli('models', 'pull', 'facebook/dino');
    expect(code).toBe(0);
    expect(hub.requests).toEqual([]);
    expect(err[1]).toMatch(/^facebook\/dino@dddddddddddd is dinov2: /);
    expect(err[2]).toBe(`  Planned from the Hugging Face cache (refs/main → ${sha}); the hub was not asked whether main has moved since. To pull another commit: --revision <commit sha>.`);
  });

  it('says the token was not sent to a hub that is neither https nor on this machine', async () => {
    // Nothing answers there: what matters is what the plan says before the first request fails.
    vi.stubEnv('ROUNDTRIP_HUB_URL', 'http://hub.invalid:9');
    vi.stubEnv('HF_TOKEN', 'hf_NotForPlainHttp');
    const { code, err } = await cli('models', 'pull', 'facebook/dino');
    expect(code).toBe(1);
    expect(err.join('\n')).toContain('the token from HF_TOKEN is not sent to http://hub.invalid:9: it is neither https nor this machine');
    expect(err.join('\n')).not.toContain('hf_NotForPlainHttp');
  });

  it('rejects bad subcommands and options with usage errors', async () => {
    expect((await cli('models')).code).toBe(2);
    const bad = await cli('models', 'frobnicate');
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toMatch(/^roundtrip models: usage: roundtrip models list/);
    // Where a gated repo's token and the Hugging Face cache are looked up, in order, is in the usage a user sees.
    expect(bad.err.join('\n')).toContain('the token is HF_TOKEN, else HUGGING_FACE_HUB_TOKEN, else the file HF_TOKEN_PATH, else $HF_HOME/token');
    expect(bad.err.join('\n')).toContain('HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE, else $HF_HOME/hub');
    expect((await cli('models', 'pull')).code).toBe(2);
    expect((await cli('models', 'pull', 'a/b', '--dtype', 'fp64')).err).toEqual(['roundtrip models: --dtype must be one of fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4']);
  });
});
