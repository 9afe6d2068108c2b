import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../random/index.js';
import { loadCaptioner } from '../load-captioner.js';
import { Florence2Captioner } from './florence2-captioner.js';

/** tools/published-fixtures/florence2.py: tiny random weights in onnx-community's layout. */
const FIXTURE = join(import.meta.dirname, '../../../../tests/fixtures/published/onnx-community--Florence-2-base-ft');
let images: Buffer[];
let florence: Florence2Captioner;
const scratch = mkdtempSync(join(tmpdir(), 'rt-florence2-'));

beforeAll(async () => {
  // Two different images: a horizontal gradient and a blue field with a red square.
  const gradient = Buffer.alloc(48 * 40 * 3);
  for (let i = 0; i < 48 * 40; i++) gradient.set([(i % 48) * 5, 120, 255 - (i % 48) * 5], i * 3);
  images = [
    await sharp(gradient, { raw: { width: 48, height: 40, channels: 3 } }).png().toBuffer(),
    await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: 20, g: 40, b: 220 } } })
      .composite([{ input: { create: { width: 16, height: 16, channels: 3, background: { r: 230, g: 20, b: 20 } } }, left: 8, top: 8 }])
      .png()
      .toBuffer(),
  ];
  florence = await Florence2Captioner.load(FIXTURE);
});

afterAll(async () => {
  await florence?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

const SPECIALS = /<\/?s>|<pad>/;

describe('Florence2Captioner on the onnx-community layout', () => {
  it('opens the four graphs (fp32 on the CPU) and is what loadCaptioner picks for model_type florence2', async () => {
    expect(florence.sessions.map((s) => s.file.split('/').slice(-2).join('/'))).toEqual([
      'onnx/vision_encoder.onnx',
      'onnx/embed_tokens.onnx',
      'onnx/encoder_model.onnx',
      'onnx/decoder_model_merged.onnx',
    ]);
    const picked = await loadCaptioner(FIXTURE);
    try {
      expect(picked).toBeInstanceOf(Florence2Captioner);
    } finally {
      await picked.dispose();
    }
  });

  it('greedy: forced <s> first, forced </s> at the length limit, clean text', async () => {
    const out = await florence.caption(images, { strategy: 'greedy', maxNewTokens: 8 });
    const [a, b] = [out[0]![0]!, out[1]![0]!];
    for (const c of [a, b]) {
      // forced_bos_token_id 0 in generation_config.json; EOS (forced at token 8) is not returned.
      expect(c.tokens[0]).toBe(0);
      expect(c.tokens.length).toBeLessThanOrEqual(7);
      expect(c.text).not.toMatch(SPECIALS);
      expect(c.text.length).toBeGreaterThan(0);
    }
    // Different images, different captions: the image tokens reach the decoder.
    expect(a.tokens).not.toEqual(b.tokens);
  });

  it('honours no_repeat_ngram_size 3 from generation_config.json', async () => {
    const c = (await florence.caption([images[0]!], { strategy: 'greedy', maxNewTokens: 24 }))[0]![0]!;
    const trigrams = c.tokens.slice(2).map((_, i) => c.tokens.slice(i, i + 3).join(','));
    expect(new Set(trigrams).size).toBe(trigrams.length);
    // Turned off by the caller, the same model repeats itself on this image.
    const free = (await florence.caption([images[0]!], { strategy: 'greedy', maxNewTokens: 24, noRepeatNgramSize: 0 }))[0]![0]!;
    const freeTrigrams = free.tokens.slice(2).map((_, i) => free.tokens.slice(i, i + 3).join(','));
    expect(new Set(freeTrigrams).size).toBeLessThan(freeTrigrams.length);
  });

  it('beam search returns N distinct captions per image, best first', async () => {
    const out = await florence.caption(images, { strategy: 'beam', numBeams: 3, numReturnSequences: 3, maxNewTokens: 8 });
    expect(out.map((c) => c.length)).toEqual([3, 3]);
    for (const candidates of out) {
      expect(new Set(candidates.map((c) => c.tokens.join(','))).size).toBe(3);
      expect(candidates.map((c) => c.score)).toEqual([...candidates.map((c) => c.score)].sort((x, y) => y - x));
      for (const c of candidates) expect(c.tokens[0]).toBe(0);
    }
  });

  it('top-k and top-p sample N candidates per image, the same for the same seed', async () => {
    for (const decoding of [
      { strategy: 'sample', topK: 20, numReturnSequences: 4, maxNewTokens: 8 },
      { strategy: 'sample', topP: 0.9, numReturnSequences: 4, maxNewTokens: 8 },
    ] as const) {
      const first = await florence.caption(images, decoding, new Xoshiro128(11));
      const again = await florence.caption(images, decoding, new Xoshiro128(11));
      const other = await florence.caption(images, decoding, new Xoshiro128(12));
      expect(first.map((c) => c.length)).toEqual([4, 4]);
      expect(again).toEqual(first);
      expect(other.map((c) => c.map((x) => x.text))).not.toEqual(first.map((c) => c.map((x) => x.text)));
      expect(new Set(first[0]!.map((c) => c.text)).size).toBeGreaterThan(1);
      for (const c of first.flat()) expect(c.text).not.toMatch(SPECIALS);
    }
  });

  it('an image captioned alone gets the caption it gets in a batch', async () => {
    const batch = await florence.caption(images, { strategy: 'beam', numBeams: 3, numReturnSequences: 2, maxNewTokens: 8 });
    const alone = await florence.caption([images[1]!], { strategy: 'beam', numBeams: 3, numReturnSequences: 2, maxNewTokens: 8 });
    expect(alone[0]!.map((c) => c.tokens)).toEqual(batch[1]!.map((c) => c.tokens));
  });

  it('runs each task with its own prompt from preprocessor_config.json, and refuses tasks that are not captions', async () => {
    expect(florence.promptFor('<CAPTION>')).toBe('What does the image describe?');
    expect(florence.promptFor('<DETAILED_CAPTION>')).toBe('Describe in detail what is shown in the image.');
    expect(florence.promptFor('<MORE_DETAILED_CAPTION>')).toBe('Describe with a paragraph what is shown in the image.');
    const greedy = { strategy: 'greedy', maxNewTokens: 10 } as const;
    const byTask = await Promise.all(['<CAPTION>', '<MORE_DETAILED_CAPTION>'].map((task) => florence.caption([images[0]!], { ...greedy, task })));
    // The random weights may pick the same tokens; the prompt still changes what the encoder
    // hands the decoder, so the caption's log-probability differs.
    expect(byTask[0]![0]![0]!.score).not.toBeCloseTo(byTask[1]![0]![0]!.score, 4);
    // No task: <CAPTION>.
    expect((await florence.caption([images[0]!], greedy))[0]![0]!).toEqual(byTask[0]![0]![0]!);
    await expect(florence.caption([images[0]!], { ...greedy, task: '<OD>' })).rejects.toThrow(/<OD> answers with description_with_bboxes, not a caption/);
    await expect(florence.caption([images[0]!], { ...greedy, task: '<POEM>' })).rejects.toThrow(/"<POEM>" is not one of its tasks/);
  });

  it('decodes with special tokens, then strips <s>, </s> and <pad> (pure_text)', () => {
    const loc = 1354 - 1024 + 4 + 10; // <loc_10>: the added tokens follow the BPE vocabulary
    const text = florence.decode([0, loc, 2, 1]);
    expect(text).toBe('<loc_10>');
    expect(florence.decode([])).toBe('');
  });
});

describe('Florence-2 precision variants', () => {
  it('fp16 (float16 embeddings and caches) and q8 run every strategy to the end', async () => {
    for (const dtype of ['fp16', 'q8'] as const) {
      const model = await Florence2Captioner.load(FIXTURE, { dtype });
      try {
        expect(model.sessions.every((s) => s.dtype === dtype)).toBe(true);
        const greedy = await model.caption(images, { strategy: 'greedy', maxNewTokens: 8 });
        const beam = await model.caption(images, { strategy: 'beam', numBeams: 3, numReturnSequences: 3, maxNewTokens: 8 });
        const sampled = await model.caption(images, { strategy: 'sample', topP: 0.9, numReturnSequences: 3, maxNewTokens: 8 }, new Xoshiro128(3));
        expect([greedy, beam, sampled].map((r) => r.map((c) => c.length))).toEqual([[1, 1], [3, 3], [3, 3]]);
        expect(greedy[0]![0]!.tokens[0]).toBe(0);
      } finally {
        await model.dispose();
      }
    }
  });
});

describe('bad Florence-2 folders', () => {
  function copy(name: string): string {
    const dir = join(scratch, name);
    cpSync(FIXTURE, dir, { recursive: true });
    return dir;
  }

  it('names the missing embed_tokens graph', async () => {
    const dir = copy('no-embed');
    for (const suffix of ['', '_fp16', '_quantized']) rmSync(join(dir, 'onnx', `embed_tokens${suffix}.onnx`));
    await expect(Florence2Captioner.load(dir)).rejects.toThrow(`${join(dir, 'onnx', 'embed_tokens.onnx')}: missing file`);
  });

  it('names config.json when it is not a Florence-2 config', async () => {
    const dir = copy('wrong-config');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, model_type: 'bart' }));
    await expect(Florence2Captioner.load(dir)).rejects.toThrow(`${join(dir, 'config.json')}: model_type is "bart", not "florence2"`);
    writeFileSync(join(dir, 'config.json'), '{ "model_type": "florence2",');
    await expect(Florence2Captioner.load(dir)).rejects.toThrow(`${join(dir, 'config.json')}: not valid JSON`);
  });

  it('refuses images a shortest_edge resize without a crop leaves non-square, naming the image and both sizes', async () => {
    const dir = copy('edge-no-crop');
    const pre = JSON.parse(readFileSync(join(dir, 'preprocessor_config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'preprocessor_config.json'), JSON.stringify({ ...pre, size: { shortest_edge: 768 }, do_center_crop: false }));
    const edge = await Florence2Captioner.load(dir);
    try {
      // The 48×40 gradient becomes 921×768; the 40×40 square would fit.
      await expect(edge.caption(images, { strategy: 'greedy', maxNewTokens: 2 })).rejects.toThrow(
        `image 1 (encoded, ${images[0]!.length} bytes): preprocessed to 921×768 pixels, but the batch is 768×768`,
      );
    } finally {
      await edge.dispose();
    }
  });

  it('names preprocessor_config.json when its task prompts are malformed', async () => {
    const dir = copy('bad-prompts');
    const pre = JSON.parse(readFileSync(join(dir, 'preprocessor_config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'preprocessor_config.json'), JSON.stringify({ ...pre, task_prompts_without_inputs: ['<CAPTION>'] }));
    await expect(Florence2Captioner.load(dir)).rejects.toThrow(`${join(dir, 'preprocessor_config.json')}: task_prompts_without_inputs must map task tokens to strings`);
  });
});
