/**
 * The committed demo models (resources/demo) in onnxruntime-node, as the README documents them:
 * every ONNX file opens with exactly its tensor names and dtypes, runs once on small inputs with
 * the shapes its configs give, and the captioner captions a rendered demo scene in words. The
 * models are loaded, never trained, here. Sizes (latents, layers, widths) come from the folders'
 * configs, so a retrained generator with another latent size passes unchanged.
 * ROUNDTRIP_DEMO_MODELS points it at another demo folder (e.g. a fresh export) before committing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { Captioner } from '../inference/captioner/captioner.js';
import { readGeneratorLayout } from '../inference/generator/layout.js';
import { loadTokenizer } from '../inference/model-files.js';
import { OnnxSession } from '../inference/onnx/session.js';
import { defaultDemoRoot } from '../models/registry.js';
import { demoImage } from './dataset.js';
import { encodePng, renderScene } from './render.js';

const DEMO = defaultDemoRoot();
const json = (rel: string) => JSON.parse(readFileSync(join(DEMO, rel), 'utf8')) as Record<string, any>;

const captionerConfig = json('captioner/config.json');
const LAYERS: number = captionerConfig.decoder.n_layer;
const HEADS: number = captionerConfig.decoder.n_head;
const HEAD_DIM: number = captionerConfig.decoder.n_embd / HEADS;
const VOCAB: number = captionerConfig.decoder.vocab_size;
const IMAGE: number = json('captioner/preprocessor_config.json').size.height;
const TEXT_LENGTH: number = json('clip/tokenizer_config.json').model_max_length;

const generator = join(DEMO, 'generator');
const layout = readGeneratorLayout(generator);
const vaeConfig = json('generator/vae_decoder/config.json');
const LATENT_CHANNELS: number = vaeConfig.latent_channels;
const LATENT: number = vaeConfig.sample_size / layout.vaeScaleFactor;

const kv = (prefix: string) => Array.from({ length: LAYERS }, (_, i) => [`${prefix}.${i}.key`, `${prefix}.${i}.value`]).flat();

/** Every ONNX file of resources/demo with the tensors its README lists: name → dtype, in order. */
const GRAPHS: Record<string, { inputs: Record<string, string>; outputs: Record<string, string> }> = {
  'captioner/onnx/encoder_model.onnx': { inputs: { pixel_values: 'float32' }, outputs: { last_hidden_state: 'float32' } },
  'captioner/onnx/decoder_model_merged.onnx': {
    inputs: { input_ids: 'int64', encoder_hidden_states: 'float32', ...Object.fromEntries(kv('past_key_values').map((n) => [n, 'float32'])), use_cache_branch: 'bool' },
    outputs: { logits: 'float32', ...Object.fromEntries(kv('present').map((n) => [n, 'float32'])) },
  },
  'captioner/onnx/decoder_model.onnx': {
    inputs: { input_ids: 'int64', encoder_hidden_states: 'float32' },
    outputs: { logits: 'float32', ...Object.fromEntries(kv('present').map((n) => [n, 'float32'])) },
  },
  'generator/text_encoder/model.onnx': { inputs: { input_ids: 'int64' }, outputs: { last_hidden_state: 'float32' } },
  'generator/unet/model.onnx': { inputs: { sample: 'float32', timestep: 'int64', encoder_hidden_states: 'float32' }, outputs: { out_sample: 'float32' } },
  'generator/vae_encoder/model.onnx': { inputs: { sample: 'float32' }, outputs: { latent_sample: 'float32' } },
  'generator/vae_decoder/model.onnx': { inputs: { latent_sample: 'float32' }, outputs: { sample: 'float32' } },
  'clip/onnx/vision_model.onnx': { inputs: { pixel_values: 'float32' }, outputs: { image_embeds: 'float32' } },
  'clip/onnx/text_model.onnx': { inputs: { input_ids: 'int64' }, outputs: { text_embeds: 'float32' } },
};

const sessions = new Map<string, OnnxSession>();
async function open(rel: string): Promise<OnnxSession> {
  let session = sessions.get(rel);
  if (!session) sessions.set(rel, (session = await OnnxSession.open(join(DEMO, rel))));
  return session;
}

afterAll(async () => {
  await Promise.all([...sessions.values()].map((s) => s.dispose()));
});

const scene = demoImage('test', 1, 0).scene;
/** A rendered demo scene as pixel_values / VAE input: [1, 3, H, W] in [-1, 1]. */
function scenePixels(): ort.Tensor {
  const rgb = renderScene(scene);
  const plane = IMAGE * IMAGE;
  const data = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) data[c * plane + p] = (rgb[p * 3 + c]! / 255 - 0.5) / 0.5;
  return new ort.Tensor('float32', data, [1, 3, IMAGE, IMAGE]);
}

function ids(dir: string, text: string, length: number): ort.Tensor {
  const row = loadTokenizer(join(DEMO, dir)).encode(text).ids.slice(0, length);
  const padded = [...row, ...new Array<number>(length - row.length).fill(0)];
  return new ort.Tensor('int64', BigInt64Array.from(padded, BigInt), [1, length]);
}

const int64 = (values: number[]) => new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
const norm = (t: ort.Tensor) => Math.hypot(...(t.data as Float32Array));

describe('every demo ONNX file has the documented tensors', () => {
  it.each(Object.keys(GRAPHS))('%s', async (rel) => {
    const { info } = await open(rel);
    const names = (specs: typeof info.inputs) => Object.fromEntries(specs.map((s) => [s.name, s.dtype]));
    expect(names(info.inputs)).toEqual(GRAPHS[rel]!.inputs);
    expect(names(info.outputs)).toEqual(GRAPHS[rel]!.outputs);
    expect(info.inputs.map((s) => s.name)).toEqual(Object.keys(GRAPHS[rel]!.inputs));
  });
});

describe('every demo ONNX file runs on small inputs', () => {
  it('captioner: encoder, merged decoder (with and without the cache) and the no-cache decoder agree', async () => {
    const encoder = await open('captioner/onnx/encoder_model.onnx');
    const hidden = (await encoder.run({ pixel_values: scenePixels() })).last_hidden_state!;
    expect(hidden.dims.slice(0, 1)).toEqual([1]);

    const merged = await open('captioner/onnx/decoder_model_merged.onnx');
    const empty = Object.fromEntries(kv('past_key_values').map((n) => [n, new ort.Tensor('float32', new Float32Array(0), [1, HEADS, 0, HEAD_DIM])]));
    const first = await merged.run({ input_ids: int64([0]), encoder_hidden_states: hidden, ...empty, use_cache_branch: new ort.Tensor('bool', [false], [1]) });
    expect(first.logits!.dims).toEqual([1, 1, VOCAB]);
    expect(first['present.0.key']!.dims).toEqual([1, HEADS, 1, HEAD_DIM]);
    const next = (first.logits!.data as Float32Array).reduce((best, v, i, a) => (v > a[best]! ? i : best), 0);
    const past = Object.fromEntries(kv('present').map((n) => [n.replace('present', 'past_key_values'), first[n]!]));
    const second = await merged.run({ input_ids: int64([next]), encoder_hidden_states: hidden, ...past, use_cache_branch: new ort.Tensor('bool', [true], [1]) });
    expect(second['present.0.key']!.dims).toEqual([1, HEADS, 2, HEAD_DIM]);

    const plain = await open('captioner/onnx/decoder_model.onnx');
    const full = await plain.run({ input_ids: int64([0, next]), encoder_hidden_states: hidden });
    expect(full.logits!.dims).toEqual([1, 2, VOCAB]);
    const last = (full.logits!.data as Float32Array).subarray(VOCAB);
    Array.from(second.logits!.data as Float32Array).forEach((v, i) => expect(Math.abs(v - last[i]!)).toBeLessThan(1e-4));
  });

  it(`generator: text encoder, UNet on ${LATENT_CHANNELS}×${LATENT}×${LATENT} latents (from the configs), VAE encode → decode`, async () => {
    const unetConfig = json('generator/unet/config.json');
    expect(unetConfig.sample_size).toBe(LATENT);
    expect(vaeConfig.sample_size).toBe(IMAGE);

    const text = await open('generator/text_encoder/model.onnx');
    const hidden = (await text.run({ input_ids: ids('generator/tokenizer', 'a red circle in the top left', TEXT_LENGTH) })).last_hidden_state!;
    // one state per token, after any states the encoder adds (the demo v2 encoder's ten scene slots)
    expect(hidden.dims).toEqual([1, TEXT_LENGTH + (json('generator/text_encoder/config.json').demo_world?.scene_slots ?? 0), unetConfig.cross_attention_dim]);

    const vaeEncoder = await open('generator/vae_encoder/model.onnx');
    const latents = (await vaeEncoder.run({ sample: scenePixels() })).latent_sample!;
    expect(latents.dims).toEqual([1, LATENT_CHANNELS, LATENT, LATENT]);

    const unet = await open('generator/unet/model.onnx');
    const sample = new ort.Tensor('float32', (latents.data as Float32Array).map((v) => v * layout.scalingFactor), latents.dims);
    const eps = (await unet.run({ sample, timestep: new ort.Tensor('int64', BigInt64Array.of(500n), [1]), encoder_hidden_states: hidden })).out_sample!;
    expect(eps.dims).toEqual([1, LATENT_CHANNELS, LATENT, LATENT]);
    expect((eps.data as Float32Array).every(Number.isFinite)).toBe(true);

    const vaeDecoder = await open('generator/vae_decoder/model.onnx');
    const decoded = (await vaeDecoder.run({ latent_sample: latents })).sample!;
    expect(decoded.dims).toEqual([1, 3, IMAGE, IMAGE]);
    // The autoencoder gives the scene back: within ~6 grey levels on average (the committed
    // pixel-unshuffle one exactly; v1's trained KL autoencoder ~1.5; untrained weights ~15).
    const input = scenePixels().data as Float32Array;
    const error = (decoded.data as Float32Array).reduce((sum, v, i) => sum + Math.abs(v - input[i]!), 0) / input.length;
    expect(error).toBeLessThan(0.05);
  });

  it('clip: vision and text towers give L2-normalised embeddings of the projection width', async () => {
    const width: number = json('clip/config.json').projection_dim;
    const vision = await open('clip/onnx/vision_model.onnx');
    const image = (await vision.run({ pixel_values: scenePixels() })).image_embeds!;
    expect(image.dims).toEqual([1, width]);
    expect(norm(image)).toBeCloseTo(1, 4);
    const textModel = await open('clip/onnx/text_model.onnx');
    const text = (await textModel.run({ input_ids: ids('clip', 'a yellow star in the bottom right', TEXT_LENGTH) })).text_embeds!;
    expect(text.dims).toEqual([1, width]);
    expect(norm(text)).toBeCloseTo(1, 4);
  });
});

describe('the demo captioner', () => {
  it('captions a rendered held-out demo scene in vocabulary words (greedy, through Captioner)', async () => {
    const captioner = await Captioner.load(join(DEMO, 'captioner'));
    try {
      const [captions] = await captioner.caption([await encodePng(renderScene(scene))], { strategy: 'greedy', maxNewTokens: 41 });
      const words = captions![0]!.text.split(' ');
      expect(words.length).toBeGreaterThanOrEqual(2);
      const vocabulary = new Set(Object.keys((json('captioner/tokenizer.json').model as { vocab: Record<string, number> }).vocab));
      for (const word of words) {
        expect(word).toMatch(/^[a-z]+$/);
        expect(vocabulary.has(word)).toBe(true);
      }
    } finally {
      await captioner.dispose();
    }
  });
});
