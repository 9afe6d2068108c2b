/**
 * The run defaults a generator's publisher documents, written into its manifest at pull time
 * (`runDefaults`) so every run without explicit settings uses them and the Models view shows
 * them. Distilled models make these matter: SD-turbo and LCM were distilled for a few steps of
 * their own sampler and guidance, not for Roundtrip's general defaults (DDIM, 20 steps, guidance 4).
 */
import type { ModelManifest } from './manifest.js';
import { publishedScheduler } from './published-scheduler.js';

export type RunDefaults = NonNullable<ModelManifest['runDefaults']>;

/**
 * Per family: steps, guidance and the sampler, with where each comes from.
 * - sd-turbo: one step of Euler on trailing timesteps (t = 999), guidance 0 (no unconditional
 *   batch). diffusers docs/source/en/api/pipelines/stable_diffusion/sdxl_turbo.md l.24–25, 68–69
 *   ("disable guidance scale by setting guidance_scale=0.0", "timestep_spacing='trailing'",
 *   "A single inference step is enough"; SD-turbo is the same ADD distillation of SD 2.1), and
 *   ORT's sd-turbo web demo runs exactly one Euler step at σ(999) (MODELS.md appendix §4).
 * - lcm: the LCM sampler, 4 steps, guidance 8 — LCM_Dreamshaper_v7's model card calls the
 *   pipeline with num_inference_steps=4, guidance_scale=8.0, and diffusers' LCM docs
 *   (docs/source/en/api/pipelines/latent_consistency_models.md l.42, 61) give 4 steps,
 *   guidance 8.0 and a trained range of [3, 13]. Roundtrip feeds it as LCM pipelines do:
 *   timestep_cond = embedding of w = guidance − 1, no CFG batch (schedulers/lcm.ts).
 * - stable-diffusion: the sampler its scheduler_config.json names (SD 1.5: PNDM), 50 steps,
 *   guidance 7.5 — StableDiffusionPipeline.__call__'s defaults (diffusers src/diffusers/
 *   pipelines/stable_diffusion/pipeline_stable_diffusion.py l.785, 788 @58eb52c).
 */
const FAMILY_DEFAULTS: Readonly<Record<string, { steps: number; guidance: number; scheduler?: RunDefaults['scheduler']; note: string }>> = {
  'sd-turbo': { steps: 1, guidance: 0, scheduler: 'euler', note: 'SD-turbo as published: 1 Euler step (trailing, t = 999), no guidance' },
  lcm: { steps: 4, guidance: 8, scheduler: 'lcm', note: 'LCM as published: 4 LCM steps, guidance 8 through timestep_cond' },
  'stable-diffusion': { steps: 50, guidance: 7.5, note: 'diffusers StableDiffusionPipeline defaults: 50 steps, guidance 7.5' },
};

/**
 * Run defaults for a generator folder of `family` as its publisher documents them, or undefined
 * for families without documented ones (captioners, embedders, the demo, which measures its
 * own). The sampler of a plain SD folder is the one it names, when Roundtrip implements it;
 * otherwise the note says which class was named and the run falls back to DDIM.
 */
export function publishedRunDefaults(family: string, dir: string): RunDefaults | undefined {
  const known = Object.hasOwn(FAMILY_DEFAULTS, family) ? FAMILY_DEFAULTS[family]! : undefined;
  if (!known) return undefined;
  if (known.scheduler) return { steps: known.steps, guidance: known.guidance, scheduler: known.scheduler, note: known.note };
  const named = publishedScheduler(dir);
  if (named?.scheduler) {
    return { steps: known.steps, guidance: known.guidance, scheduler: named.scheduler, note: `${known.note}; sampler ${named.className} from ${named.source}` };
  }
  const why = named ? `${named.className} (named in ${named.source}) is not implemented, DDIM is used` : 'no scheduler class named, DDIM is used';
  return { steps: known.steps, guidance: known.guidance, note: `${known.note}; ${why}` };
}
