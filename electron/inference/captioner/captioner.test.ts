import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../random/index.js';
import { Captioner } from './captioner.js';

const FIXTURE = join(import.meta.dirname, '../../../tests/fixtures/models/vit-gpt2');
let images: Buffer[];
let merged: Captioner;
let noCache: Captioner;
let noCacheDir: string;

beforeAll(async () => {
  images = await Promise.all(
    [
      { r: 220, g: 30, b: 30 },
      { r: 20, g: 60, b: 230 },
    ].map((background) => sharp({ create: { width: 32, height: 24, channels: 3, background } }).png().toBuffer()),
  );
  merged = await Captioner.load(FIXTURE);
  // The same model through its no-cache decoder only.
  noCacheDir = join(mkdtempSync(join(tmpdir(), 'rt-cap-')), 'vit-gpt2');
  cpSync(FIXTURE, noCacheDir, { recursive: true });
  rmSync(join(noCacheDir, 'onnx', 'decoder_model_merged.onnx'));
  noCache = await Captioner.load(noCacheDir);
});

afterAll(async () => {
  await merged?.dispose();
  await noCache?.dispose();
});

describe('Captioner on the ViT-GPT2 contract fixture', () => {
  it('decodes the same captions with the KV-cached merged decoder as with the no-cache decoder', async () => {
    const greedy = { strategy: 'greedy', maxNewTokens: 6 } as const;
    const a = await merged.caption(images, greedy);
    const b = await noCache.caption(images, greedy);
    expect(a.map((c) => c[0]!.tokens)).toEqual(b.map((c) => c[0]!.tokens));
    expect(a[0]![0]!.score).toBeCloseTo(b[0]![0]!.score, 4);
    const beam = { strategy: 'beam', numBeams: 3, numReturnSequences: 2, maxNewTokens: 5 } as const;
    expect((await merged.caption(images, beam)).map((c) => c.map((x) => x.tokens))).toEqual(
      (await noCache.caption(images, beam)).map((c) => c.map((x) => x.tokens)),
    );
  });

  it('samples N candidates per image, reproducibly for a seed', async () => {
    const topP = { strategy: 'sample', topP: 0.9, numReturnSequences: 5, maxNewTokens: 6 } as const;
    const first = await merged.caption(images, topP, new Xoshiro128(7));
    const again = await merged.caption(images, topP, new Xoshiro128(7));
    const other = await merged.caption(images, topP, new Xoshiro128(8));
    expect(first).toHaveLength(2);
    expect(first[0]).toHaveLength(5);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(new Set(first.flat().map((c) => c.text)).size).toBeGreaterThan(1);
    for (const c of first.flat()) expect(c.text).toBe(merged.decode(c.tokens));
  });

  it('names the missing or broken file of a model folder', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rt-cap-bad-')), 'model');
    cpSync(FIXTURE, dir, { recursive: true });
    rmSync(join(dir, 'onnx', 'encoder_model.onnx'));
    await expect(Captioner.load(dir)).rejects.toThrow(/encoder_model\.onnx: missing file/);
    cpSync(FIXTURE, dir, { recursive: true });
    writeFileSync(join(dir, 'onnx', 'decoder_model_merged.onnx'), 'garbage');
    await expect(Captioner.load(dir)).rejects.toThrow(/decoder_model_merged\.onnx: not a valid ONNX model/);
    cpSync(FIXTURE, dir, { recursive: true });
    writeFileSync(join(dir, 'preprocessor_config.json'), '{ "size": ');
    await expect(Captioner.load(dir)).rejects.toThrow(/preprocessor_config\.json: not valid JSON/);
  });

  it('refuses a batch whose images preprocess to other sizes than the config’s, naming the image and both sizes', async () => {
    // do_resize false keeps each image's own size: a 32×24 image cannot fill an 8×8 row.
    const dir = join(mkdtempSync(join(tmpdir(), 'rt-cap-noresize-')), 'model');
    cpSync(FIXTURE, dir, { recursive: true });
    const file = join(dir, 'image.png');
    writeFileSync(file, images[0]!);
    writeFileSync(join(dir, 'preprocessor_config.json'), JSON.stringify({ do_resize: false, size: { height: 8, width: 8 }, image_mean: 0.5, image_std: 0.5 }));
    const unresized = await Captioner.load(dir);
    try {
      await expect(unresized.caption([file, images[1]!], { strategy: 'greedy', maxNewTokens: 2 })).rejects.toThrow(
        `image ${file}: preprocessed to 32×24 pixels, but the batch is 8×8`,
      );
    } finally {
      await unresized.dispose();
    }
  });
});

describe('Captioner precision variants (transformers.js names: _fp16, _quantized)', () => {
  let dir: string;
  beforeAll(() => {
    // The publisher's tree: fp32, fp16 and q8 files side by side under onnx/ (MODELS.md appendix §1).
    dir = join(mkdtempSync(join(tmpdir(), 'rt-cap-dtypes-')), 'vit-gpt2');
    cpSync(FIXTURE, dir, { recursive: true });
    cpSync(join(FIXTURE, '../vit-gpt2-dtypes'), dir, { recursive: true });
  });

  it.each([
    ['fp16', 0.05],
    ['q8', 0.3],
  ] as const)('opens the %s encoder and merged decoder when chosen and captions to the end like fp32', async (dtype, scoreTolerance) => {
    const fp32 = await Captioner.load(dir);
    const variant = await Captioner.load(dir, { dtype });
    try {
      expect(fp32.sessions.map((s) => s.dtype)).toEqual(['fp32', 'fp32']);
      expect(variant.sessions.map((s) => [s.file.split('/').pop(), s.dtype])).toEqual([
        [`encoder_model${dtype === 'fp16' ? '_fp16' : '_quantized'}.onnx`, dtype],
        [`decoder_model_merged${dtype === 'fp16' ? '_fp16' : '_quantized'}.onnx`, dtype],
      ]);
      const greedy = { strategy: 'greedy', maxNewTokens: 12 } as const;
      const [a, b] = [await fp32.caption(images, greedy), await variant.caption(images, greedy)];
      expect(b.map((c) => c[0]!.tokens)).toEqual(a.map((c) => c[0]!.tokens));
      expect(b[0]![0]!.tokens).toHaveLength(12);
      b.forEach((c, i) => expect(Math.abs(c[0]!.score - a[i]![0]!.score)).toBeLessThan(scoreTolerance));
      // Beam search reorders the (fp16) KV cache rows; sampling fans them out.
      const beam = await variant.caption(images, { strategy: 'beam', numBeams: 3, numReturnSequences: 2, maxNewTokens: 8 });
      expect(beam.map((c) => c.length)).toEqual([2, 2]);
      const sampled = await variant.caption(images, { strategy: 'sample', topP: 0.9, numReturnSequences: 3, maxNewTokens: 8 }, new Xoshiro128(3));
      expect(sampled.map((c) => c.length)).toEqual([3, 3]);
      for (const c of sampled.flat()) expect(c.text).toBe(variant.decode(c.tokens));
    } finally {
      await fp32.dispose();
      await variant.dispose();
    }
  });

  it('takes the manifest’s dtype when the run names none, and refuses a chosen dtype the folder lacks, listing those present', async () => {
    const fromManifest = await Captioner.load(dir, { manifestDtype: 'fp16' });
    expect(fromManifest.sessions.map((s) => s.dtype)).toEqual(['fp16', 'fp16']);
    await fromManifest.dispose();
    await expect(Captioner.load(dir, { dtype: 'q4' })).rejects.toThrow(
      `${join(dir, 'onnx', 'encoder_model_q4.onnx')}: missing file (dtype q4 was chosen for this model; present: fp32 (onnx/encoder_model.onnx), fp16 (onnx/encoder_model_fp16.onnx), q8 (onnx/encoder_model_quantized.onnx))`,
    );
  });
});
