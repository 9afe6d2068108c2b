/**
 * Test helper: hub repos laid out as their publishers lay them out (MODELS.md appendix §1–§5),
 * for the local hub. A repo whose fixture folder is committed under tests/fixtures/published/
 * is served exactly as it lies there; until then (the fixtures are being built) its tree is
 * synthesized from the appendix with tiny graphs that fit the family. Either way the listing
 * also names what a pull must never fetch: PyTorch weights with their real sizes (`declared`:
 * served never, requested → recorded as forbidden), components Roundtrip does not run.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoFromFolder, type FakeRepo } from './fake-hub.js';
import { familyFiles } from './model-folders.js';

export const PUBLISHED_ROOT = resolve(import.meta.dirname, '..', '..', '..', 'tests', 'fixtures', 'published');

const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));
const GB = 1024 ** 3;
const MB = 1024 ** 2;

/** Weights a published repo (or its usual mirrors) holds beside the ONNX files; none may be requested. */
const DECLARED: Record<string, Record<string, number>> = {
  'Xenova/vit-gpt2-image-captioning': { 'pytorch_model.bin': 982 * MB, 'model.safetensors': 982 * MB },
  'Xenova/clip-vit-base-patch32': { 'pytorch_model.bin': 605 * MB },
  'Xenova/blip-image-captioning-base': { 'model.safetensors': 990 * MB, 'tf_model.h5': 990 * MB },
  'onnx-community/Florence-2-base-ft': { 'model.safetensors': 464 * MB },
  // The diffusers converter's safety checker and the img2img encoder: components Roundtrip does not run.
  'onnx-community/stable-diffusion-v1-5-ONNX': { 'safety_checker/model.onnx': 1.22 * GB, 'vae_encoder/model.onnx': 137 * MB },
  'schmuell/sd-turbo-ort-web': { 'vae_encoder/model.onnx': 68.4 * MB },
  'SimianLuo/LCM_Dreamshaper_v7': {
    'unet/diffusion_pytorch_model.safetensors': 3.44 * GB,
    'text_encoder/model.safetensors': 492 * MB,
    'vae/diffusion_pytorch_model.safetensors': 335 * MB,
    'safety_checker/model.safetensors': 1.22 * GB,
    'LCM_Dreamshaper_v7_4k.safetensors': 3.44 * GB,
    'vae_encoder/model.onnx': 137 * MB,
  },
  // Ours: the SD 1.5 fixture with 8-bit UNet and text encoder (tools/published-fixtures/sd15_int8.py),
  // shaped like community int8 exports (latentdivergence/anything-v5-int8-onnx), which hold no PyTorch weights.
  'roundtrip-fixtures/stable-diffusion-v1-5-int8-onnx': {},
};

const TOKENIZER_BPE = (family: string) => ({
  'merges.txt': Buffer.from('#version: 0.2\na b\n'),
  'vocab.json': json({ '<|startoftext|>': 0, '<|endoftext|>': 1, a: 2, b: 3, [family]: 4 }),
  'special_tokens_map.json': json({ bos_token: '<|startoftext|>', eos_token: '<|endoftext|>' }),
  'tokenizer_config.json': json({ model_max_length: 77 }),
});

const prefixed = (prefix: string, files: Record<string, Buffer>) => Object.fromEntries(Object.entries(files).map(([p, b]) => [`${prefix}${p}`, b]));
const graphs = (family: string, dtypes: readonly ('fp32' | 'fp16' | 'q8')[]) => Object.assign({}, ...dtypes.map((dtype) => Object.fromEntries(familyFiles(family, { dtype }))));

/** The appendix's trees, with tiny graphs; used while a repo's fixture folder is not committed. */
const SYNTHESIZED: Record<string, () => Record<string, Buffer>> = {
  'Xenova/vit-gpt2-image-captioning': () => ({
    ...graphs('vit-gpt2', ['fp32', 'fp16', 'q8']),
    'config.json': json({ model_type: 'vision-encoder-decoder', decoder: { model_type: 'gpt2' } }),
    'generation_config.json': json({ bos_token_id: 50256, eos_token_id: 50256 }),
    'preprocessor_config.json': json({ size: { height: 224, width: 224 } }),
    'quantize_config.json': json({ per_channel: false }),
    'onnx/decoder_with_past_model.onnx': Buffer.from('not fetched'),
  }),
  'Xenova/clip-vit-base-patch32': () => ({
    ...graphs('clip', ['fp32', 'fp16', 'q8']),
    'onnx/model.onnx': Buffer.from('the joint graph: not fetched'),
    'config.json': json({ model_type: 'clip' }),
    'preprocessor_config.json': json({ size: { shortest_edge: 224 }, crop_size: { height: 224, width: 224 } }),
  }),
  'Xenova/blip-image-captioning-base': () => ({
    ...graphs('blip', ['fp32', 'q8']),
    'config.json': json({ model_type: 'blip', text_config: { bos_token_id: 30522, sep_token_id: 102 } }),
    'preprocessor_config.json': json({ size: 384 }),
    'vocab.txt': Buffer.from('[PAD]\n[SEP]\n'),
  }),
  'onnx-community/stable-diffusion-v1-5-ONNX': () => ({
    ...graphs('stable-diffusion', ['fp32']),
    // Appendix §4: no unet/config.json, external data in weights.pb, tokenizer without tokenizer.json.
    'unet/weights.pb': Buffer.alloc(4096, 7),
    ...prefixed('tokenizer/', TOKENIZER_BPE('sd15')),
    'scheduler/scheduler_config.json': json({ _class_name: 'PNDMScheduler', beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012, num_train_timesteps: 1000, skip_prk_steps: true, steps_offset: 1 }),
    'feature_extractor/preprocessor_config.json': json({ crop_size: 224 }),
    'model_index.json': json({ _class_name: 'OnnxStableDiffusionPipeline', scheduler: ['diffusers', 'PNDMScheduler'], unet: ['diffusers', 'OnnxRuntimeModel'] }),
  }),
  'schmuell/sd-turbo-ort-web': () => ({
    ...graphs('sd-turbo', ['fp32']),
    ...prefixed('tokenizer/', TOKENIZER_BPE('turbo')),
    'text_encoder/config.json': json({ hidden_size: 1024 }),
    'unet/config.json': json({ sample_size: 64 }),
    'vae_decoder/config.json': json({ scaling_factor: 0.18215 }),
    'scheduler/scheduler_config.json': json({ _class_name: 'EulerDiscreteScheduler', timestep_spacing: 'trailing', prediction_type: 'epsilon' }),
    'model_index.json': json({ _class_name: 'StableDiffusionPipeline', scheduler: ['diffusers', 'EulerDiscreteScheduler'] }),
  }),
  'SimianLuo/LCM_Dreamshaper_v7': () => ({
    ...graphs('lcm', ['fp32']),
    'unet/model.onnx_data': Buffer.alloc(8192, 3),
    'unet/config.json': json({ sample_size: 96, time_cond_proj_dim: 256, cross_attention_dim: 768 }),
    'vae/config.json': json({ scaling_factor: 0.18215 }),
    ...prefixed('tokenizer/', TOKENIZER_BPE('lcm')),
    'scheduler/scheduler_config.json': json({ _class_name: 'LCMScheduler', original_inference_steps: 50, steps_offset: 0, set_alpha_to_one: true, timestep_spacing: 'leading' }),
    'model_index.json': json({ _class_name: 'LatentConsistencyModelPipeline', scheduler: ['diffusers', 'LCMScheduler'] }),
  }),
};

const modelCard = (repo: string) => Buffer.from(`---\nlicense: apache-2.0\n---\n# ${repo}\n`);

export const PUBLISHED_REPOS = Object.keys(DECLARED);

export function fixtureFolder(repo: string): string {
  return join(PUBLISHED_ROOT, repo.replace('/', '--'));
}

/** A fake hub repo for `repo`, from its committed fixture when there is one. */
export async function publishedRepo(repo: string, sha: string): Promise<{ repo: FakeRepo; fromFixture: boolean }> {
  const declared = DECLARED[repo] ?? {};
  const folder = fixtureFolder(repo);
  if (existsSync(folder)) {
    const served = await repoFromFolder(folder, { sha, license: 'apache-2.0' });
    // A fixture that ships a component as a real (tiny) file lists it once, as itself.
    const extra = Object.fromEntries(Object.entries(declared).filter(([p]) => !(p in served.files)));
    // The model card, which fixture folders leave out; its front matter carries the licence.
    served.files['README.md'] ??= modelCard(repo);
    return { repo: { ...served, declared: extra }, fromFixture: true };
  }
  const make = SYNTHESIZED[repo];
  if (!make) throw new Error(`no fixture folder ${folder} and no synthesized tree for ${repo}`);
  const files = { 'README.md': modelCard(repo), '.gitattributes': Buffer.from('*.onnx filter=lfs diff=lfs merge=lfs -text\n'), ...make() };
  const lfs = Object.keys(files).filter((p) => /\.(onnx|onnx_data|pb)$/.test(p));
  return { repo: { sha, files, lfs, declared, license: 'apache-2.0' }, fromFixture: false };
}
