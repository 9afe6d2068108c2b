/**
 * The tiny published-layout fixtures (tests/fixtures/published, built by
 * tools/published-fixtures/build.py) are faithful to their publishers: exact file trees, the
 * config values loaders depend on, graph tensor names/dtypes/ranks, and dtype variants that
 * open in onnxruntime-node and agree with the fp32 graphs. Florence-2 is checked by its own part.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'published');
const sessions: ort.InferenceSession[] = [];
afterAll(async () => { for (const s of sessions) await s.release(); });

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p); else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
const json = (fixture: string, rel: string): any => JSON.parse(readFileSync(join(ROOT, fixture, rel), 'utf8'));
async function open(fixture: string, rel: string): Promise<ort.InferenceSession> {
  const s = await ort.InferenceSession.create(join(ROOT, fixture, rel), { logSeverityLevel: 3 });
  sessions.push(s);
  return s;
}
type Io = Record<string, [type: string, shape: (string | number)[]]>;
function signature(meta: readonly ort.InferenceSession.ValueMetadata[]): Io {
  const out: Io = {};
  for (const m of meta) out[m.name] = m.isTensor ? [m.type, [...m.shape]] : ['?', []];
  return out;
}
/** Deterministic pseudo-random floats (no Math.random: the figures below are reproducible). */
function noise(n: number, seed: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; a[i] = (((x >>> 0) / 4294967296) * 2 - 1) * scale; }
  return a;
}
const f32 = (dims: number[], seed: number, scale = 1) => new ort.Tensor('float32', noise(dims.reduce((a, b) => a * b, 1), seed, scale), dims);
const i64 = (ids: number[][]) => new ort.Tensor('int64', BigInt64Array.from(ids.flat().map(BigInt)), [ids.length, ids[0]!.length]);
const i32 = (ids: number[][]) => new ort.Tensor('int32', Int32Array.from(ids.flat()), [ids.length, ids[0]!.length]);
function maxDiff(a: ort.Tensor, b: ort.Tensor): number {
  const x = a.data as Float32Array, y = b.data as Float32Array;
  expect(a.dims).toEqual(b.dims);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}
const maxAbs = (t: ort.Tensor) => (t.data as Float32Array).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

const VIT = 'Xenova--vit-gpt2-image-captioning';
const CLIP = 'Xenova--clip-vit-base-patch32';
const SD15 = 'onnx-community--stable-diffusion-v1-5-ONNX';
const TURBO = 'schmuell--sd-turbo-ort-web';
const LCM = 'SimianLuo--LCM_Dreamshaper_v7';
const BLIP = 'Xenova--blip-image-captioning-base';
const variants = (stems: string[], suffixes: string[]) => stems.flatMap((s) => suffixes.map((x) => `onnx/${s}${x}.onnx`));
const CLIP_TOKENIZER = ['merges.txt', 'special_tokens_map.json', 'tokenizer_config.json', 'vocab.json'];

// MODELS.md appendix §1, §2, §4, §5: each publisher's file tree (PyTorch weights excluded for LCM).
const TREES: Record<string, string[]> = {
  [VIT]: ['config.json', 'generation_config.json', 'merges.txt', 'preprocessor_config.json', 'quantize_config.json',
    'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.json',
    ...variants(['encoder_model', 'decoder_model_merged'], ['', '_fp16', '_quantized']),
    ...variants(['decoder_model', 'decoder_with_past_model'], ['', '_quantized'])],
  [CLIP]: ['config.json', 'merges.txt', 'preprocessor_config.json', 'special_tokens_map.json', 'tokenizer.json',
    'tokenizer_config.json', 'vocab.json', ...variants(['model', 'text_model', 'vision_model'], ['', '_fp16', '_quantized'])],
  [SD15]: ['feature_extractor/preprocessor_config.json', 'model_index.json', 'safety_checker/model.onnx',
    'scheduler/scheduler_config.json', 'text_encoder/model.onnx', ...CLIP_TOKENIZER.map((f) => `tokenizer/${f}`),
    'unet/model.onnx', 'unet/weights.pb', 'vae_decoder/model.onnx', 'vae_encoder/model.onnx'],
  [TURBO]: ['model_index.json', 'scheduler/scheduler_config.json', ...CLIP_TOKENIZER.map((f) => `tokenizer/${f}`),
    ...['text_encoder', 'unet', 'vae_decoder', 'vae_encoder'].flatMap((c) => [`${c}/config.json`, `${c}/model.onnx`])],
  [LCM]: ['feature_extractor/preprocessor_config.json', 'model_index.json', 'safety_checker/config.json',
    'scheduler/scheduler_config.json', 'text_encoder/config.json', 'text_encoder/model.onnx',
    ...CLIP_TOKENIZER.map((f) => `tokenizer/${f}`), 'unet/config.json', 'unet/model.onnx', 'unet/model.onnx_data',
    'vae/config.json', 'vae_decoder/config.json', 'vae_decoder/model.onnx', 'vae_encoder/config.json', 'vae_encoder/model.onnx'],
  [BLIP]: ['config.json', 'preprocessor_config.json', 'quantize_config.json', 'special_tokens_map.json', 'tokenizer.json',
    'tokenizer_config.json', ...variants(['encoder_model', 'decoder_model_merged'], ['', '_quantized'])],
};

describe('published fixture trees', () => {
  it.each(Object.keys(TREES))('%s holds exactly the publisher\'s files', (fixture) => {
    expect(tree(join(ROOT, fixture))).toEqual([...TREES[fixture]!].sort());
  });
});

describe('config values loaders rely on', () => {
  it('vit-gpt2: ids 50256 everywhere, decoder sizes match the graph, ViT preprocessing', async () => {
    const config = json(VIT, 'config.json');
    expect(config.model_type).toBe('vision-encoder-decoder');
    expect(json(VIT, 'generation_config.json')).toMatchObject({ bos_token_id: 50256, eos_token_id: 50256, pad_token_id: 50256, decoder_start_token_id: 50256 });
    const { n_layer, n_head, n_embd, vocab_size } = config.decoder;
    const merged = signature((await open(VIT, 'onnx/decoder_model_merged.onnx')).inputMetadata);
    expect(Object.keys(merged).filter((n) => n.startsWith('past_key_values.'))).toHaveLength(2 * n_layer);
    expect(merged['past_key_values.0.key']![1]).toEqual(['batch_size', n_head, 'past_decoder_sequence_length', n_embd / n_head]);
    expect(vocab_size).toBe(50257);
    const tok = json(VIT, 'tokenizer.json');
    expect(tok.added_tokens).toEqual([expect.objectContaining({ id: 50256, content: '<|endoftext|>' })]);
    expect(tok.model.vocab['<|endoftext|>']).toBe(50256);
    expect(json(VIT, 'preprocessor_config.json')).toMatchObject({ size: { height: 224, width: 224 }, image_mean: [0.5, 0.5, 0.5], resample: 2 });
  });
  it('CLIP: bos/eos 49406/49407 in the tokenizer, shortest_edge + center crop, bicubic', () => {
    const tok = json(CLIP, 'tokenizer.json');
    expect(tok.post_processor).toMatchObject({ cls: ['<|startoftext|>', 49406], sep: ['<|endoftext|>', 49407] });
    expect(tok.model.end_of_word_suffix).toBe('</w>');
    expect(json(CLIP, 'preprocessor_config.json')).toMatchObject({ size: { shortest_edge: 224 }, crop_size: { height: 224, width: 224 }, do_center_crop: true, resample: 3 });
    expect(json(CLIP, 'config.json')).toMatchObject({ model_type: 'clip', text_config: { vocab_size: 49408 } });
  });
  it('diffusion: scheduler classes and values, pipeline classes, SD 1.5 without unet/config.json', () => {
    expect(json(SD15, 'scheduler/scheduler_config.json')).toMatchObject({ _class_name: 'PNDMScheduler', beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012, skip_prk_steps: true, steps_offset: 1 });
    expect(json(SD15, 'model_index.json')).toMatchObject({ _class_name: 'OnnxStableDiffusionPipeline', scheduler: ['diffusers', 'PNDMScheduler'] });
    expect(json(TURBO, 'scheduler/scheduler_config.json')).toMatchObject({ _class_name: 'EulerDiscreteScheduler', timestep_spacing: 'trailing', prediction_type: 'epsilon' });
    expect(json(TURBO, 'model_index.json')).toMatchObject({ _class_name: 'StableDiffusionPipeline', scheduler: ['diffusers', 'EulerDiscreteScheduler'] });
    expect(json(LCM, 'scheduler/scheduler_config.json')).toMatchObject({ _class_name: 'LCMScheduler', original_inference_steps: 50, steps_offset: 0, set_alpha_to_one: true, timestep_spacing: 'leading' });
    expect(json(LCM, 'unet/config.json')).toMatchObject({ sample_size: 96, time_cond_proj_dim: 256 });
    expect(json(LCM, 'vae_decoder/config.json').scaling_factor).toBe(0.18215);
  });
  it('BLIP: ids only in text_config (bos 30522, sep 102, pad 0), 384 px CLIP-normalised', () => {
    expect(json(BLIP, 'config.json')).toMatchObject({ model_type: 'blip', text_config: { bos_token_id: 30522, sep_token_id: 102, pad_token_id: 0, vocab_size: 30524 } });
    expect(json(BLIP, 'preprocessor_config.json')).toMatchObject({ image_processor_type: 'BlipImageProcessor', size: { height: 384, width: 384 } });
    const vocab = json(BLIP, 'tokenizer.json');
    expect(vocab.added_tokens.map((t: { id: number; content: string }) => [t.id, t.content])).toContainEqual([30522, '[DEC]']);
  });
});

const F = 'float32';
const IMG = ['batch_size', 'num_channels', 'height', 'width'];
const cacheIo = (prefix: string, seq: string): Io => Object.fromEntries([0, 1].flatMap((i) => ['key', 'value'].map((k): [string, Io[string]] =>
  [`${prefix}.${i}.${k}`, [F, ['batch_size', 2, seq, 4]]])));
const DECODER_IN: Io = { input_ids: ['int64', ['batch_size', 'decoder_sequence_length']], encoder_hidden_states: [F, ['batch_size', 'encoder_sequence_length', 8]] };
const MERGED: [Io, string[]] = [{ ...DECODER_IN, ...cacheIo('past_key_values', 'past_decoder_sequence_length'), use_cache_branch: ['bool', [1]] },
  ['logits', 'present.0.key', 'present.0.value', 'present.1.key', 'present.1.value']];
const SD_TEXT = (dims: string[]): Io => ({ input_ids: ['int32', dims] });
// Graph inputs (name → dtype, dims) and output names as each exporter writes them (MODELS.md appendix §1, §2, §4;
// Optimum model_configs.py as of the LCM export, 01dd5c38; diffusers convert_stable_diffusion_checkpoint_to_onnx.py).
const GRAPHS: [fixture: string, files: string[], inputs: Io, outputs: string[]][] = [
  [VIT, variants(['encoder_model'], ['', '_fp16', '_quantized']), { pixel_values: [F, IMG] }, ['last_hidden_state']],
  [VIT, variants(['decoder_model_merged'], ['', '_fp16', '_quantized']), ...MERGED],
  [VIT, variants(['decoder_model'], ['', '_quantized']), DECODER_IN, ['logits', 'present.0.key', 'present.0.value', 'present.1.key', 'present.1.value']],
  [VIT, variants(['decoder_with_past_model'], ['', '_quantized']), { ...DECODER_IN, ...cacheIo('past_key_values', 'past_decoder_sequence_length') },
    ['logits', 'present.0.key', 'present.0.value', 'present.1.key', 'present.1.value']],
  [CLIP, variants(['model'], ['', '_fp16', '_quantized']), { input_ids: ['int64', ['text_batch_size', 'sequence_length']], pixel_values: [F, ['image_batch_size', 'num_channels', 'height', 'width']], attention_mask: ['int64', ['text_batch_size', 'sequence_length']] },
    ['logits_per_image', 'logits_per_text', 'text_embeds', 'image_embeds']],
  [CLIP, variants(['text_model'], ['', '_fp16', '_quantized']), { input_ids: ['int64', ['batch_size', 'sequence_length']] }, ['text_embeds']],
  [CLIP, variants(['vision_model'], ['', '_fp16', '_quantized']), { pixel_values: [F, IMG] }, ['image_embeds']],
  [SD15, ['text_encoder/model.onnx'], SD_TEXT(['batch', 'sequence']), ['last_hidden_state', 'pooler_output']],
  [SD15, ['unet/model.onnx'], { sample: [F, ['batch', 'channels', 'height', 'width']], timestep: ['int64', ['batch']], encoder_hidden_states: [F, ['batch', 'sequence', 8]] }, ['out_sample']],
  [SD15, ['vae_encoder/model.onnx'], { sample: [F, ['batch', 'channels', 'height', 'width']] }, ['latent_sample']],
  [SD15, ['vae_decoder/model.onnx'], { latent_sample: [F, ['batch', 'channels', 'height', 'width']] }, ['sample']],
  [SD15, ['safety_checker/model.onnx'], { clip_input: [F, ['batch', 'channels', 'height', 'width']], images: [F, ['batch', 'channels', 'height', 'width']] }, ['out_images', 'has_nsfw_concepts']],
  ...[TURBO, LCM].flatMap((fx): typeof GRAPHS => [
    [fx, ['text_encoder/model.onnx'], SD_TEXT(['batch_size', 'sequence_length']), ['last_hidden_state', 'pooler_output']],
    [fx, ['unet/model.onnx'], { sample: [F, IMG], timestep: ['int64', ['steps']], encoder_hidden_states: [F, ['batch_size', 'sequence_length', 8]],
      ...(fx === LCM ? { timestep_cond: [F, ['batch_size', 256]] } : {}) }, ['out_sample']],
    [fx, ['vae_encoder/model.onnx'], { sample: [F, IMG] }, ['latent_sample']],
    [fx, ['vae_decoder/model.onnx'], { latent_sample: [F, ['batch_size', 'num_channels_latent', 'height_latent', 'width_latent']] }, ['sample']],
  ]),
  [BLIP, variants(['encoder_model'], ['', '_quantized']), { pixel_values: [F, IMG] }, ['last_hidden_state']],
  [BLIP, variants(['decoder_model_merged'], ['', '_quantized']), ...MERGED],
];

describe('graph inputs and outputs', () => {
  it.each(GRAPHS.flatMap(([fx, files, inputs, outputs]) => files.map((f) => [`${fx}/${f}`, fx, f, inputs, outputs] as const)))(
    '%s', async (_label, fx, file, inputs, outputs) => {
      const s = await open(fx, file);
      expect(signature(s.inputMetadata)).toEqual(inputs);
      expect(s.outputNames).toEqual(outputs);
    });
});

const emptyCache = (prefix: string) => Object.fromEntries([0, 1].flatMap((i) => ['key', 'value'].map((k) =>
  [`${prefix}.${i}.${k}`, new ort.Tensor('float32', new Float32Array(0), [1, 2, 0, 4])])));
const presentsAsPast = (out: ort.InferenceSession.OnnxValueMapType) => Object.fromEntries(Object.entries(out)
  .filter(([n]) => n.startsWith('present.')).map(([n, t]) => [n.replace('present.', 'past_key_values.'), t as ort.Tensor]));
const lastRow = (logits: ort.Tensor) => {
  const [, seq, vocab] = logits.dims as number[];
  return new ort.Tensor('float32', (logits.data as Float32Array).slice((seq! - 1) * vocab!, seq! * vocab!), [vocab!]);
};
const flag = (v: boolean) => new ort.Tensor('bool', [v], [1]);
/** Logits hold -1e4 on masked ids, where float32 steps are ~1e-3: compare relative to the range. */
const same = (a: ort.Tensor, b: ort.Tensor) => expect(maxDiff(a, b) / maxAbs(a)).toBeLessThan(1e-6);

describe('captioner decoders: the merged graph with and without cache equals the no-cache decoder', () => {
  it.each([[VIT, 50256, 224, [262, 300]], [BLIP, 30522, 384, [150, 200]]] as const)('%s', async (fx, start, size, next) => {
    const encoder = await open(fx, 'onnx/encoder_model.onnx');
    const merged = await open(fx, 'onnx/decoder_model_merged.onnx');
    const { last_hidden_state: enc } = await encoder.run({ pixel_values: f32([1, 3, size, size], 7) });
    const step1 = await merged.run({ input_ids: i64([[start]]), encoder_hidden_states: enc!, ...emptyCache('past_key_values'), use_cache_branch: flag(false) });
    const step2 = await merged.run({ input_ids: i64([[next[0]]]), encoder_hidden_states: enc!, ...presentsAsPast(step1), use_cache_branch: flag(true) });
    const whole = await merged.run({ input_ids: i64([[start, next[0]]]), encoder_hidden_states: enc!, ...emptyCache('past_key_values'), use_cache_branch: flag(false) });
    same(lastRow(step2.logits as ort.Tensor), lastRow(whole.logits as ort.Tensor));
    expect((step2['present.0.key'] as ort.Tensor).dims).toEqual([1, 2, 2, 4]);
    if (fx === VIT) {
      const plain = await (await open(fx, 'onnx/decoder_model.onnx')).run({ input_ids: i64([[start, next[0]]]), encoder_hidden_states: enc! });
      same(plain.logits as ort.Tensor, whole.logits as ort.Tensor);
      const withPast = await (await open(fx, 'onnx/decoder_with_past_model.onnx')).run({ input_ids: i64([[next[0]]]), encoder_hidden_states: enc!, ...presentsAsPast(step1) });
      same(withPast.logits as ort.Tensor, step2.logits as ort.Tensor);
    }
    // Ids the tiny tokenizer lacks are masked: greedy picks a real token (eos/sep or a vocabulary entry).
    const vocab = fx === VIT ? json(fx, 'vocab.json') : json(fx, 'tokenizer.json').model.vocab;
    const ids = new Set<number>(Object.values(vocab));
    const row = lastRow(step2.logits as ort.Tensor).data as Float32Array;
    expect(ids.has(row.indexOf(Math.max(...row)))).toBe(true);
  });
});

/** Runs fp32 and a variant on the same feeds; returns the largest output difference relative to the fp32 output's range. */
async function relativeDiff(fx: string, base: string, variant: string, feeds: Record<string, ort.Tensor>): Promise<number> {
  const a = await (await open(fx, base)).run(feeds);
  const b = await (await open(fx, variant)).run(feeds);
  let worst = 0;
  for (const name of Object.keys(a)) worst = Math.max(worst, maxDiff(a[name] as ort.Tensor, b[name] as ort.Tensor) / Math.max(maxAbs(a[name] as ort.Tensor), 1e-6));
  return worst;
}
const decoderFeeds = async (fx: string, size: number, start: number) => {
  const { last_hidden_state } = await (await open(fx, 'onnx/encoder_model.onnx')).run({ pixel_values: f32([1, 3, size, size], 3) });
  return { input_ids: i64([[start, 262, 290]]), encoder_hidden_states: last_hidden_state!, ...emptyCache('past_key_values'), use_cache_branch: flag(false) };
};
// Measured on this machine (onnxruntime-node 1.30, CPU): relative max differences below.
const VARIANTS: [fx: string, stem: string, suffix: string, tolerance: number, feeds: () => Promise<Record<string, ort.Tensor>>][] = [
  [VIT, 'encoder_model', '_fp16', 0.02, async () => ({ pixel_values: f32([1, 3, 224, 224], 3) })],
  [VIT, 'encoder_model', '_quantized', 0.1, async () => ({ pixel_values: f32([1, 3, 224, 224], 3) })],
  [VIT, 'decoder_model_merged', '_fp16', 0.02, () => decoderFeeds(VIT, 224, 50256)],
  [VIT, 'decoder_model_merged', '_quantized', 0.1, () => decoderFeeds(VIT, 224, 50256)],
  [CLIP, 'text_model', '_fp16', 0.02, async () => ({ input_ids: i64([[49406, 300, 320, 49407]]) })],
  [CLIP, 'text_model', '_quantized', 0.1, async () => ({ input_ids: i64([[49406, 300, 320, 49407]]) })],
  [CLIP, 'vision_model', '_fp16', 0.02, async () => ({ pixel_values: f32([1, 3, 224, 224], 5) })],
  [CLIP, 'vision_model', '_quantized', 0.1, async () => ({ pixel_values: f32([1, 3, 224, 224], 5) })],
  [CLIP, 'model', '_fp16', 0.02, async () => ({ input_ids: i64([[49406, 300, 49407]]), attention_mask: i64([[1, 1, 1]]), pixel_values: f32([1, 3, 224, 224], 5) })],
  [CLIP, 'model', '_quantized', 0.1, async () => ({ input_ids: i64([[49406, 300, 49407]]), attention_mask: i64([[1, 1, 1]]), pixel_values: f32([1, 3, 224, 224], 5) })],
  [BLIP, 'encoder_model', '_quantized', 0.1, async () => ({ pixel_values: f32([1, 3, 384, 384], 3) })],
  [BLIP, 'decoder_model_merged', '_quantized', 0.1, () => decoderFeeds(BLIP, 384, 30522)],
];

describe('dtype variants run and agree with fp32', () => {
  it.each(VARIANTS)('%s %s%s', async (fx, stem, suffix, tolerance, feeds) => {
    const diff = await relativeDiff(fx, `onnx/${stem}.onnx`, `onnx/${stem}${suffix}.onnx`, await feeds());
    console.log(`${fx} ${stem}${suffix}: relative max diff ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(tolerance);
    expect(diff).toBeGreaterThan(0); // a variant identical to fp32 would not be the variant
  });
});

describe('diffusion graphs run at 64×64 latents and every unet input reaches the output', () => {
  it.each([SD15, TURBO, LCM])('%s', async (fx) => {
    const ids = [[49406, 300, 301, ...Array(74).fill(49407)]];
    const { last_hidden_state: text } = await (await open(fx, 'text_encoder/model.onnx')).run({ input_ids: i32(ids) });
    expect(text!.dims).toEqual([1, 77, 8]);
    const unet = await open(fx, 'unet/model.onnx');
    const base = { sample: f32([1, 4, 64, 64], 11), timestep: new ort.Tensor('int64', [999n], [1]), encoder_hidden_states: text!,
      ...(fx === LCM ? { timestep_cond: f32([1, 256], 12) } : {}) };
    const out = (await unet.run(base)).out_sample as ort.Tensor;
    expect(out.dims).toEqual([1, 4, 64, 64]);
    const changed: Record<string, ort.Tensor> = { timestep: new ort.Tensor('int64', [1n], [1]), encoder_hidden_states: f32([1, 77, 8], 13), sample: f32([1, 4, 64, 64], 14) };
    if (fx === LCM) changed.timestep_cond = f32([1, 256], 15);
    for (const [name, value] of Object.entries(changed)) {
      expect(maxDiff(out, (await unet.run({ ...base, [name]: value })).out_sample as ort.Tensor), name).toBeGreaterThan(1e-3);
    }
    const image = (await (await open(fx, 'vae_decoder/model.onnx')).run({ latent_sample: out })).sample as ort.Tensor;
    expect(image.dims).toEqual([1, 3, 512, 512]);
    expect(maxAbs(image)).toBeLessThanOrEqual(1);
    const latent = (await (await open(fx, 'vae_encoder/model.onnx')).run({ sample: image })).latent_sample as ort.Tensor;
    expect(latent.dims).toEqual([1, 4, 64, 64]);
  });
});
