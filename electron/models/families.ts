/**
 * What each model family's folder must hold: its ONNX graphs with the tensor names and dtypes of
 * the public exports (MODELS.md §1.4, §4, §5.2), and the config/tokenizer files its runtime
 * reads. One frozen table, in the spirit of transformers.js's task registry, consulted by both
 * `verify` (is this folder usable?) and `pull` (which files of a hub repo to fetch).
 */
import { DTYPE_SUFFIX } from '../../shared/contract/onnx-dtypes.js';
import type { OnnxDtype, Role } from './manifest.js';

/** onnxruntime's `Tensor.Type` names. */
export type TensorDtype = 'float32' | 'float16' | 'int32' | 'int64' | 'bool' | 'uint8' | 'int8' | 'string';

export interface TensorSpec {
  /** Exact name, or a series such as `past_key_values.{i}.key` (at least index 0 must exist). */
  readonly name: string;
  readonly dtypes: readonly TensorDtype[];
  readonly optional?: boolean;
}

export interface GraphSpec {
  /** Path as the fp32 export names it; transformers.js layouts add a dtype suffix. */
  readonly path: string;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Checked when present, never required and never pulled (e.g. the no-cache decoder). */
  readonly optional?: boolean;
}

export interface FamilyDescriptor {
  readonly family: string;
  /** Roles a folder of this family can fill; CLIP serves both embedder roles from one folder. */
  readonly roles: readonly Role[];
  /** `onnx-dir`: transformers.js style `onnx/<name>[_suffix].onnx`; `subfolders`: Optimum diffusers layout. */
  readonly layout: 'onnx-dir' | 'subfolders';
  readonly graphs: readonly GraphSpec[];
  /** Non-graph files the runtime cannot do without; a trailing `/` means "a non-empty folder". */
  readonly requiredFiles: readonly string[];
  /** Fetched and kept when the repo has them. */
  readonly optionalFiles: readonly string[];
}

const FLOAT: readonly TensorDtype[] = ['float32', 'float16'];
const INT64: readonly TensorDtype[] = ['int64'];
const t = (name: string, dtypes: readonly TensorDtype[], optional = false): TensorSpec => ({ name, dtypes, ...(optional ? { optional } : {}) });

const TOKENIZER_EXTRAS = ['tokenizer_config.json', 'special_tokens_map.json', 'vocab.json', 'merges.txt', 'vocab.txt', 'added_tokens.json'];

function visionEncoderDecoder(family: string): FamilyDescriptor {
  return {
    family,
    roles: ['captioner'],
    layout: 'onnx-dir',
    graphs: [
      { path: 'onnx/encoder_model.onnx', inputs: [t('pixel_values', FLOAT)], outputs: [t('last_hidden_state', FLOAT)] },
      {
        path: 'onnx/decoder_model_merged.onnx',
        inputs: [
          t('input_ids', INT64),
          t('encoder_hidden_states', FLOAT),
          t('past_key_values.{i}.key', FLOAT),
          t('past_key_values.{i}.value', FLOAT),
          t('use_cache_branch', ['bool']),
          t('attention_mask', INT64, true),
          t('encoder_attention_mask', INT64, true),
        ],
        outputs: [t('logits', FLOAT), t('present.{i}.key', FLOAT), t('present.{i}.value', FLOAT)],
      },
      {
        path: 'onnx/decoder_model.onnx',
        optional: true,
        inputs: [t('input_ids', INT64), t('encoder_hidden_states', FLOAT), t('attention_mask', INT64, true), t('encoder_attention_mask', INT64, true)],
        outputs: [t('logits', FLOAT), t('present.{i}.key', FLOAT, true), t('present.{i}.value', FLOAT, true)],
      },
    ],
    // special-tokens.ts reads config.json (token ids, BLIP's text_config), captioner.ts the image
    // preprocessing; generation_config.json has a fallback in config.json, so it stays optional.
    requiredFiles: ['tokenizer.json', 'config.json', 'preprocessor_config.json'],
    optionalFiles: ['generation_config.json', ...TOKENIZER_EXTRAS],
  };
}

function stableDiffusion(family: string, lcm: boolean): FamilyDescriptor {
  return {
    family,
    roles: ['generator'],
    layout: 'subfolders',
    graphs: [
      // Legacy diffusers exports feed int32 ids, Optimum int64 (MODELS.md §5.2).
      { path: 'text_encoder/model.onnx', inputs: [t('input_ids', ['int32', 'int64'])], outputs: [t('last_hidden_state', FLOAT), t('pooler_output', FLOAT, true)] },
      {
        path: 'unet/model.onnx',
        inputs: [
          t('sample', FLOAT),
          // int64 [1] before Optimum a7a807c9 (Nov 2024), float32 scalar after.
          t('timestep', ['int64', 'float32', 'float16']),
          t('encoder_hidden_states', FLOAT),
          t('timestep_cond', FLOAT, !lcm),
        ],
        outputs: [t('out_sample', FLOAT)],
      },
      { path: 'vae_decoder/model.onnx', inputs: [t('latent_sample', FLOAT)], outputs: [t('sample', FLOAT)] },
      { path: 'vae_encoder/model.onnx', optional: true, inputs: [t('sample', FLOAT)], outputs: [] },
    ],
    requiredFiles: ['scheduler/scheduler_config.json', 'tokenizer/'],
    optionalFiles: ['model_index.json', 'text_encoder/config.json', 'unet/config.json', 'vae_decoder/config.json'],
  };
}

const DESCRIPTORS: readonly FamilyDescriptor[] = [
  visionEncoderDecoder('vit-gpt2'),
  // No public BLIP ONNX export exists (MODELS.md §0.1); ours uses the same two-graph shape.
  visionEncoderDecoder('blip'),
  stableDiffusion('stable-diffusion', false),
  // Distilled SD-turbo runs the same three graphs; the family exists for its run defaults (MODELS.md appendix §4).
  stableDiffusion('sd-turbo', false),
  stableDiffusion('lcm', true),
  {
    // onnx-community/Florence-2-base-ft / -large-ft: transformers.js's florence2 session set with
    // encoder_model (is_encoder_decoder), seq2seq caches `.decoder`/`.encoder` (MODELS.md appendix
    // §0, §3). decoder_model / decoder_with_past_model are published too; Roundtrip never opens them.
    family: 'florence-2',
    roles: ['captioner'],
    layout: 'onnx-dir',
    graphs: [
      { path: 'onnx/vision_encoder.onnx', inputs: [t('pixel_values', FLOAT)], outputs: [t('image_features', FLOAT)] },
      { path: 'onnx/embed_tokens.onnx', inputs: [t('input_ids', INT64)], outputs: [t('inputs_embeds', FLOAT)] },
      { path: 'onnx/encoder_model.onnx', inputs: [t('inputs_embeds', FLOAT), t('attention_mask', INT64)], outputs: [t('last_hidden_state', FLOAT)] },
      {
        path: 'onnx/decoder_model_merged.onnx',
        inputs: [
          t('inputs_embeds', FLOAT),
          t('encoder_hidden_states', FLOAT),
          t('encoder_attention_mask', INT64),
          t('past_key_values.{i}.decoder.key', FLOAT),
          t('past_key_values.{i}.decoder.value', FLOAT),
          t('past_key_values.{i}.encoder.key', FLOAT),
          t('past_key_values.{i}.encoder.value', FLOAT),
          t('use_cache_branch', ['bool']),
        ],
        outputs: [t('logits', FLOAT), t('present.{i}.decoder.key', FLOAT), t('present.{i}.decoder.value', FLOAT)],
      },
    ],
    // The runtime reads model_type, the task prompts and the image size from these two configs.
    requiredFiles: ['tokenizer.json', 'config.json', 'preprocessor_config.json'],
    optionalFiles: ['generation_config.json', 'processor_config.json', ...TOKENIZER_EXTRAS],
  },
  {
    family: 'clip',
    roles: ['image-embedder', 'text-embedder'],
    layout: 'onnx-dir',
    graphs: [
      { path: 'onnx/vision_model.onnx', inputs: [t('pixel_values', FLOAT)], outputs: [t('image_embeds', FLOAT), t('last_hidden_state', FLOAT, true)] },
      { path: 'onnx/text_model.onnx', inputs: [t('input_ids', INT64), t('attention_mask', INT64, true)], outputs: [t('text_embeds', FLOAT), t('last_hidden_state', FLOAT, true)] },
    ],
    // The embedders read model_type and projection_dim from config.json, the image preprocessing from preprocessor_config.json.
    requiredFiles: ['tokenizer.json', 'config.json', 'preprocessor_config.json'],
    optionalFiles: [...TOKENIZER_EXTRAS],
  },
  {
    family: 'dinov2',
    roles: ['image-embedder'],
    layout: 'onnx-dir',
    graphs: [{ path: 'onnx/model.onnx', inputs: [t('pixel_values', FLOAT)], outputs: [t('last_hidden_state', FLOAT), t('pooler_output', FLOAT, true)] }],
    // model_type and hidden_size from config.json; the image preprocessing from preprocessor_config.json.
    requiredFiles: ['config.json', 'preprocessor_config.json'],
    optionalFiles: [],
  },
  {
    family: 'sentence-transformers',
    roles: ['text-embedder'],
    layout: 'onnx-dir',
    graphs: [
      {
        path: 'onnx/model.onnx',
        inputs: [t('input_ids', INT64), t('attention_mask', INT64), t('token_type_ids', INT64, true)],
        outputs: [t('last_hidden_state', FLOAT), t('sentence_embedding', FLOAT, true)],
      },
    ],
    // load.ts tells the embedder by config.json's model_type; text-embedders.ts reads hidden_size.
    requiredFiles: ['tokenizer.json', 'config.json'],
    optionalFiles: ['modules.json', 'sentence_bert_config.json', '1_Pooling/config.json', ...TOKENIZER_EXTRAS],
  },
];

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export const FAMILIES: ReadonlyMap<string, FamilyDescriptor> = new Map(DESCRIPTORS.map((d) => [d.family, deepFreeze(d)]));

/** The demo models are trained by us but exported in the public layouts, one per role. */
const DEMO_LAYOUT: Record<Role, string> = { captioner: 'vit-gpt2', generator: 'stable-diffusion', 'image-embedder': 'clip', 'text-embedder': 'clip' };

export const KNOWN_FAMILIES: readonly string[] = [...FAMILIES.keys(), 'demo'];

/** The descriptor a folder of `family` is checked against; `undefined` for an unknown family. */
export function descriptorFor(family: string, role?: Role): FamilyDescriptor | undefined {
  if (family === 'demo') return role ? FAMILIES.get(DEMO_LAYOUT[role]) : undefined;
  return FAMILIES.get(family);
}

/** Where a graph lives for a dtype: `onnx/encoder_model.onnx` → `onnx/encoder_model_fp16.onnx`. */
export function graphPath(descriptor: FamilyDescriptor, graph: GraphSpec, dtype: OnnxDtype = 'fp32'): string {
  if (descriptor.layout !== 'onnx-dir') return graph.path;
  return graph.path.replace(/\.onnx$/, `${DTYPE_SUFFIX[dtype]}.onnx`);
}
