import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { float32Tensor } from '../onnx/feeds.js';
import { OnnxSession } from '../onnx/session.js';
import { parsePreprocessorConfig, pixelValues } from '../image/preprocess.js';
import { readModelJson } from '../model-files.js';
import { loadImageEmbedder, loadTextEmbedder } from './load.js';
import type { ImageEmbedder, RawRgbImage } from './types.js';

const MODELS = join(import.meta.dirname, '../../../tests/fixtures/models');
const CLIP = join(MODELS, 'clip-vit-b32');
const DINO = join(MODELS, 'dinov2');

let tmp: string;
let files: string[];
let raws: RawRgbImage[];
let clip: ImageEmbedder;
let dino: ImageEmbedder;

/** A coloured square on a background, off-centre so images differ per patch. */
async function png(colour: { r: number; g: number; b: number }, left: number): Promise<Buffer> {
  const square = await sharp({ create: { width: 8, height: 8, channels: 3, background: colour } }).png().toBuffer();
  return sharp({ create: { width: 20, height: 16, channels: 3, background: { r: 240, g: 240, b: 235 } } })
    .composite([{ input: square, left, top: 4 }])
    .png()
    .toBuffer();
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'rt-embed-img-'));
  const pngs = await Promise.all([png({ r: 220, g: 30, b: 30 }, 2), png({ r: 30, g: 60, b: 230 }, 10), png({ r: 30, g: 180, b: 60 }, 6)]);
  files = pngs.map((buf, i) => {
    const file = join(tmp, `img${i}.png`);
    writeFileSync(file, buf);
    return file;
  });
  raws = await Promise.all(
    pngs.map(async (buf) => {
      const { data, info } = await sharp(buf).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return { rgb: new Uint8Array(data), width: info.width, height: info.height };
    }),
  );
  // batchSize 2 so three images exercise chunking.
  clip = await loadImageEmbedder(CLIP, { batchSize: 2 });
  dino = await loadImageEmbedder(DINO, { batchSize: 2 });
});

afterAll(async () => {
  await clip?.dispose();
  await dino?.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

function expectClose(a: Float32Array, b: Float32Array, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol);
}

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

/** The graph run directly on one image, bypassing the embedder. */
async function direct(dir: string, graph: string, file: string, output: string): Promise<Float32Array> {
  const cfg = parsePreprocessorConfig(readModelJson(dir, 'preprocessor_config.json'), 'preprocessor_config.json');
  const session = await OnnxSession.open(join(dir, 'onnx', graph));
  try {
    const pixels = await pixelValues(file, cfg);
    const out = await session.run({ pixel_values: float32Tensor(pixels, [1, 3, 8, 8]) });
    return out[output]!.data as Float32Array;
  } finally {
    await session.dispose();
  }
}

function normalised(v: Float32Array): Float32Array {
  const n = norm(v);
  return v.map((x) => x / n);
}

describe.each([
  ['CLIP vision tower', () => clip, 6],
  ['DINOv2', () => dino, 8],
] as const)('%s image embedder on the contract fixture', (_, embedder, dim) => {
  it('returns one unit vector of the model dimension per image', async () => {
    expect(embedder().dimension).toBe(dim);
    const vectors = await embedder().embedImages(files);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(dim);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    // Different images, different embeddings.
    expect(Array.from(vectors[0]!)).not.toEqual(Array.from(vectors[1]!));
  });

  it('embeds a file, its bytes and its raw RGB identically', async () => {
    const [fromFile, fromRaw] = await Promise.all([embedder().embedImages(files), embedder().embedImages(raws)]);
    fromFile.forEach((v, i) => expectClose(v, fromRaw[i]!, 1e-6));
  });

  it('gives the same vectors batched (across chunks) as one at a time', async () => {
    const batched = await embedder().embedImages([files[0]!, raws[1]!, files[2]!]);
    for (let i = 0; i < 3; i++) expectClose(batched[i]!, (await embedder().embedImages([files[i]!]))[0]!);
    expect(await embedder().embedImages([])).toEqual([]);
  });
});

describe('image embedder outputs', () => {
  it('CLIP returns the normalised image_embeds of the graph', async () => {
    const expected = normalised(await direct(CLIP, 'vision_model.onnx', files[1]!, 'image_embeds'));
    expectClose((await clip.embedImages([files[1]!]))[0]!, expected);
  });

  it('DINOv2 returns the normalised CLS row (token 0) of last_hidden_state', async () => {
    const hidden = await direct(DINO, 'model.onnx', files[2]!, 'last_hidden_state'); // [1, 5, 8]
    expectClose((await dino.embedImages([files[2]!]))[0]!, normalised(hidden.slice(0, 8)));
  });

  it('refuses raw RGB whose byte count does not match its size', async () => {
    await expect(clip.embedImages([{ rgb: new Uint8Array(10), width: 2, height: 2 }])).rejects.toThrow(/10 bytes, expected 12/);
  });
});

describe('loading image embedders', () => {
  it('names the missing vision_model.onnx', async () => {
    const dir = join(tmp, 'clip-no-vision');
    cpSync(CLIP, dir, { recursive: true });
    rmSync(join(dir, 'onnx', 'vision_model.onnx'));
    await expect(loadImageEmbedder(dir)).rejects.toThrow(/clip-no-vision[/\\]onnx[/\\]vision_model\.onnx: missing file/);
  });

  it('names config.json and the model_type it does not support', async () => {
    const dir = join(tmp, 'resnet');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'resnet' }));
    await expect(loadImageEmbedder(dir)).rejects.toThrow(/resnet[/\\]config\.json: model_type 'resnet' is not supported as an image embedder/);
    await expect(loadTextEmbedder(DINO)).rejects.toThrow(/dinov2[/\\]config\.json: model_type 'dinov2' is not supported as a text embedder/);
  });
});
