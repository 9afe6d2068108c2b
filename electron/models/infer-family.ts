/**
 * Which family a hub repo holds, from what its listing and two small configs say, and the repos
 * Roundtrip refuses before anything large is downloaded: Stable Diffusion XL (MODELS.md appendix
 * §4 lists the SD layouts Roundtrip runs; SDXL adds a second text encoder, pooled text embeds and
 * `time_ids` conditioning that its generator does not have) and any family it cannot name.
 */
import { KNOWN_FAMILIES } from './families.js';

export interface RepoHints {
  /** `org/name`: distilled SD-turbo exports say what they are only in their name. */
  repo?: string;
  files: readonly string[];
  config?: { model_type?: unknown; decoder?: { model_type?: unknown } } | undefined;
  modelIndexText?: string | undefined;
}

/** A repo Roundtrip knows it cannot run; refused before any model file is fetched. */
export class UnsupportedModelError extends Error {}

function modelIndexClass(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const name = (JSON.parse(text) as { _class_name?: unknown })._class_name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Pipelines whose graphs are the SD 1.x/2.x set Roundtrip runs (diffusers, its ONNX and Optimum ORT variants). */
const SD_PIPELINE = /^(Onnx|ORT)?(StableDiffusion|LatentConsistencyModel)(Img2Img|Inpaint)?Pipeline$/;

/**
 * Throws when the repo is Stable Diffusion XL, whatever family was asked for: naming it
 * `stable-diffusion` would download gigabytes and then fail at the first run.
 */
export function refuseUnsupported(hints: RepoHints): void {
  const cls = modelIndexClass(hints.modelIndexText);
  const second = ['text_encoder_2/', 'tokenizer_2/'].filter((p) => hints.files.some((f) => f.startsWith(p)));
  const turboXl = /sdxl-turbo/i.test(hints.repo ?? '');
  if (!(cls?.includes('StableDiffusionXL') || second.length > 0 || turboXl)) return;
  const seen = [cls?.includes('StableDiffusionXL') ? `model_index.json names ${cls}` : '', second.length ? `the repo has ${second.join(' and ')}` : '', turboXl ? 'its name says sdxl-turbo' : '']
    .filter(Boolean)
    .join('; ');
  throw new UnsupportedModelError(
    `${hints.repo ?? 'this repo'} is Stable Diffusion XL (${seen}). Roundtrip's generator runs SD 1.x/2.x, SD-turbo and LCM exports; ` +
      'it lacks what SDXL needs: the second text encoder (text_encoder_2) with its pooled text embeds, and the added time_ids conditioning (original size, crop, target size). Nothing was downloaded.',
  );
}

/** Guesses the family from model_index.json, config.json's `model_type`, the file list and the repo name. */
export function inferFamily(hints: RepoHints): string {
  refuseUnsupported(hints);
  const { files, config, modelIndexText } = hints;
  const cls = modelIndexClass(modelIndexText);
  if (modelIndexText !== undefined || files.includes('unet/model.onnx')) {
    if (cls !== undefined && !SD_PIPELINE.test(cls)) {
      throw new UnsupportedModelError(`cannot run this diffusion model: model_index.json names ${cls}, and Roundtrip's generator runs StableDiffusionPipeline and LatentConsistencyModelPipeline exports (pass --family only if its graphs are the SD 1.x set)`);
    }
    if (/LCMScheduler|LatentConsistency/.test(modelIndexText ?? '')) return 'lcm';
    // schmuell/sd-turbo-ort-web and onnxruntime/sd-turbo name a plain StableDiffusionPipeline (appendix §4).
    return /(^|\/|-)sd-turbo/i.test(hints.repo ?? '') ? 'sd-turbo' : 'stable-diffusion';
  }
  const type = typeof config?.model_type === 'string' ? config.model_type : undefined;
  if (type === 'vision-encoder-decoder') return 'vit-gpt2';
  if (type === 'florence2') return 'florence-2';
  if (type === 'blip' || type === 'clip' || type === 'dinov2') return type;
  if (files.includes('modules.json') || files.includes('sentence_bert_config.json')) return 'sentence-transformers';
  const seen = type ? `model_type '${type}' in config.json` : files.includes('config.json') ? 'config.json has no model_type' : 'no config.json or model_index.json';
  throw new UnsupportedModelError(`cannot tell which model family this is (${seen}); pass --family (one of ${KNOWN_FAMILIES.filter((f) => f !== 'demo').join(', ')})`);
}
