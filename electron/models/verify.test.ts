import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KNOWN_FAMILIES } from './families.js';
import { openWithOnnxRuntime } from './graph-check.js';
import { readManifest, writeManifest } from './manifest.js';
import { manifestFor, writeModelFolder } from './testing/model-folders.js';
import { verifyFolder, type FolderIdentity } from './verify.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-verify-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function verify(overrides: Partial<FolderIdentity> = {}) {
  const manifest = await readManifest(dir);
  const identity: FolderIdentity = { id: 'm', path: dir, family: manifest!.family, role: manifest!.role, ...(manifest?.dtype ? { dtype: manifest.dtype } : {}), manifest: manifest!, ...overrides };
  return verifyFolder(identity, { openGraph: openWithOnnxRuntime });
}

/** Replaces a file and re-pins the manifest, so only the damage under test is left. */
async function replaceAndRepin(family: string, rel: string, bytes: Buffer) {
  await writeFile(join(dir, rel), bytes);
  const manifest = (await readManifest(dir))!;
  const repinned = await manifestFor(dir, family, manifest.files.map((f) => f.path));
  await writeManifest(dir, { ...manifest, files: repinned.files });
}

describe('verifyFolder', () => {
  it.each(['vit-gpt2', 'blip', 'stable-diffusion', 'lcm', 'clip', 'dinov2', 'sentence-transformers'])('passes a correct %s folder, loading every graph', async (family) => {
    const written = await writeModelFolder(dir, family);
    const report = await verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.graphsChecked).toBe(written.filter((p) => p.endsWith('.onnx')).length);
    expect(report.filesChecked).toBe(written.length);
  });

  it('checks the dtype variant the manifest names', async () => {
    await writeModelFolder(dir, 'vit-gpt2', { dtype: 'fp16' });
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.graphsChecked).toBe(2);
    await rm(join(dir, 'onnx/encoder_model_fp16.onnx'));
    expect((await verify()).problems).toContain('onnx/encoder_model_fp16.onnx: missing file');
  });

  it('names a missing file once, whether the manifest or the family asks for it', async () => {
    await writeModelFolder(dir, 'stable-diffusion');
    await rm(join(dir, 'unet/model.onnx'));
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(['unet/model.onnx: missing file']);
  });

  it('names a missing required folder', async () => {
    await writeModelFolder(dir, 'stable-diffusion', { noManifest: true });
    await rm(join(dir, 'tokenizer'), { recursive: true });
    const report = await verifyFolder({ id: 'x', path: dir, family: 'stable-diffusion', role: 'generator' }, { openGraph: openWithOnnxRuntime });
    expect(report.problems).toEqual(['tokenizer/: missing folder']);
  });

  it('names the file and the tensor for a wrong tensor name', async () => {
    await writeModelFolder(dir, 'stable-diffusion', {
      tweak: (graph, io) => {
        if (graph === 'unet/model.onnx') io.inputs.find((t) => t.name === 'timestep')!.name = 'timesteps';
      },
    });
    const report = await verify();
    expect(report.problems).toEqual(["unet/model.onnx: missing input 'timestep'"]);
    expect(report.warnings).toEqual(["unet/model.onnx: unexpected input 'timesteps' (the runtime will not feed it)"]);
  });

  it('names a missing output and a missing member of a tensor series', async () => {
    await writeModelFolder(dir, 'vit-gpt2', {
      tweak: (graph, io) => {
        if (graph !== 'onnx/decoder_model_merged.onnx') return;
        io.outputs = io.outputs.filter((t) => t.name !== 'logits');
        io.inputs = io.inputs.filter((t) => !t.name.startsWith('past_key_values.') || !t.name.endsWith('.value'));
      },
    });
    expect((await verify()).problems).toEqual([
      "onnx/decoder_model_merged.onnx: missing input 'past_key_values.0.value'",
      "onnx/decoder_model_merged.onnx: missing output 'logits'",
    ]);
  });

  it('names the file, tensor and dtypes for a wrong dtype', async () => {
    await writeModelFolder(dir, 'vit-gpt2', {
      tweak: (graph, io) => {
        if (graph === 'onnx/decoder_model_merged.onnx') io.inputs.find((t) => t.name === 'input_ids')!.dtype = 'int32';
      },
    });
    expect((await verify()).problems).toEqual(["onnx/decoder_model_merged.onnx: input 'input_ids' has dtype int32, expected int64"]);
  });

  it('accepts both timestep conventions (int64 [1] and float32 scalar) and int32 text ids', async () => {
    await writeModelFolder(dir, 'stable-diffusion', {
      tweak: (graph, io) => {
        if (graph === 'unet/model.onnx') Object.assign(io.inputs.find((t) => t.name === 'timestep')!, { dtype: 'float32', shape: [] });
        if (graph === 'text_encoder/model.onnx') io.inputs[0]!.dtype = 'int32';
      },
    });
    expect((await verify()).problems).toEqual([]);
  });

  it('requires timestep_cond for lcm but not for stable-diffusion', async () => {
    await writeModelFolder(dir, 'lcm', {
      tweak: (graph, io) => {
        if (graph === 'unet/model.onnx') io.inputs = io.inputs.filter((t) => t.name !== 'timestep_cond');
      },
    });
    expect((await verify()).problems).toEqual(["unet/model.onnx: missing input 'timestep_cond'"]);
    expect((await verify({ family: 'stable-diffusion' })).problems).toEqual([]);
  });

  it('names a corrupted ONNX file', async () => {
    await writeModelFolder(dir, 'stable-diffusion');
    await replaceAndRepin('stable-diffusion', 'vae_decoder/model.onnx', randomBytes(300));
    const report = await verify();
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatch(/^vae_decoder\/model\.onnx: not a valid ONNX file \(.+\)$/);
    expect(report.problems[0]).not.toContain(dir);
  });

  it('names a sha256 mismatch with both hashes, and a size mismatch', async () => {
    await writeModelFolder(dir, 'clip');
    const manifest = (await readManifest(dir))!;
    const text = await readFile(join(dir, 'tokenizer.json'));
    text[0] = text[0]! ^ 1;
    await writeFile(join(dir, 'tokenizer.json'), text);
    const expected = manifest.files.find((f) => f.path === 'tokenizer.json')!.sha256;
    const report = await verify();
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatch(new RegExp(`^tokenizer\\.json: sha256 mismatch \\(expected ${expected}, got [0-9a-f]{64}\\)$`));

    await writeFile(join(dir, 'tokenizer.json'), Buffer.concat([text, Buffer.from(' ')]));
    expect((await verify()).problems).toEqual([`tokenizer.json: size mismatch (expected ${text.length} bytes, got ${text.length + 1})`]);
  });

  it('reports an unknown family and a role the family cannot fill', async () => {
    await writeModelFolder(dir, 'dinov2');
    expect((await verify({ family: 'resnet' })).problems).toEqual([
      `roundtrip-model.json: unknown family 'resnet' (known: ${KNOWN_FAMILIES.join(', ')})`,
    ]);
    expect((await verify({ role: 'captioner' })).problems).toEqual(["roundtrip-model.json: role 'captioner' does not fit family 'dinov2' (it can be image-embedder)"]);
  });

  it('checks a demo model against the public layout of its role', async () => {
    await writeModelFolder(dir, 'demo', { role: 'generator' });
    expect((await verify()).problems).toEqual([]);
    await rm(join(dir, 'scheduler/scheduler_config.json'));
    expect((await verify()).problems).toEqual(['scheduler/scheduler_config.json: missing file']);
  });
});
