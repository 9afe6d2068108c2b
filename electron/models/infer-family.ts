/**
 * Which family a hub repo holds, from what its listing and a few small configs say, and the repos
 * Roundtrip refuses before anything large is downloaded: Stable Diffusion XL (MODELS.md appendix
 * §4 lists the SD layouts Roundtrip runs; SDXL adds a second text encoder, pooled text embeds and
 * `time_ids` conditioning that its generator does not have), inpainting (and any UNet that takes
 * other than 4 latent channels) and any family it cannot name.
 */
import { KNOWN_FAMILIES } from './families.js';

export interface RepoHints {
  /** `org/name`: distilled SD-turbo exports say what they are only in their name. */
  repo?: string;
  files: readonly string[];
  config?: { model_type?: unknown; decoder?: { model_type?: unknown } } | undefined;
  modelIndexText?: string | undefined;
  /** `unet/config.json` of a diffusers repo, when it has one. */
  unetConfig?: { in_channels?: unknown; [key: string]: unknown } | undefined;
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
const SD_PIPELINE = /^(Onnx|ORT)?(StableDiffusion|LatentConsistencyModel)(Img2Img)?Pipeline$/;

/** The latent channels Roundtrip's generator feeds the UNet (SD 1.x/2.x, SD-turbo, LCM). */
const UNET_LATENT_CHANNELS = 4;

/**
 * Throws when the repo is Stable Diffusion XL or an inpainting model, whatever family was asked
 * for: naming it `stable-diffusion` would download gigabytes and then fail at every run.
 */
export function refuseUnsupported(hints: RepoHints): void {
  refuseXl(hints);
  refuseOtherUnetInputs(hints);
}

/**
 * SD inpainting UNets take the masked image's latents and the mask beside the noisy latents
 * (in_channels 9; diffusers StableDiffusionInpaintPipeline), an upscaler's the low-resolution
 * image (7); Roundtrip feeds 4 and has no mask conditioning.
 */
function refuseOtherUnetInputs(hints: RepoHints): void {
  const who = hints.repo ?? 'this repo';
  const cls = modelIndexClass(hints.modelIndexText);
  if (cls?.includes('Inpaint')) {
    throw new UnsupportedModelError(
      `${who} is an inpainting pipeline (model_index.json names ${cls}): its UNet takes a mask and the masked image beside the latents, and Roundtrip's generator has no mask conditioning. Nothing was downloaded.`,
    );
  }
  const channels = hints.unetConfig?.in_channels;
  if (typeof channels === 'number' && channels !== UNET_LATENT_CHANNELS) {
    throw new UnsupportedModelError(
      `${who}: unet/config.json gives in_channels ${channels} (an inpainting UNet takes 9, an upscaler 7); Roundtrip's generator feeds the UNet ${UNET_LATENT_CHANNELS} latent channels. Nothing was downloaded.`,
    );
  }
}

function refuseXl(hints: RepoHints): void {
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
