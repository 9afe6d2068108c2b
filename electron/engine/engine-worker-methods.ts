/**
 * The inference worker's method table: the models of a suggest run, opened and run inside the
 * worker process. Shared by the worker (which serves it) and the backend (which calls it), so
 * both sides are typed from one declaration.
 */
import type { SessionOptions } from '../inference/onnx/session.js';
import type { CaptionDecodingSettings, GenerationSettings, RgbImage } from './engine-models.js';
import { loadSuggestModels, type LoadedSuggestModels, type SuggestModelDirs } from './load-suggest-models.js';

export interface EngineWorkerMethods {
  [method: string]: (params: never) => Promise<unknown>;
  open(params: { dirs: SuggestModelDirs; options?: SessionOptions }): Promise<{ ok: true }>;
  caption(params: { images: string[]; decoding: CaptionDecodingSettings; seed: number }): Promise<{ text: string; score: number }[][]>;
  generate(params: { prompts: string[]; options: GenerationSettings & { seeds: number[] } }): Promise<RgbImage[]>;
  embedImages(params: { images: (string | RgbImage)[] }): Promise<Float32Array[]>;
  close(params: Record<string, never>): Promise<{ ok: true }>;
}

/** The method table as the worker serves it, over models it owns. */
export function engineWorkerMethods(): EngineWorkerMethods {
  let models: LoadedSuggestModels | null = null;
  const loaded = () => {
    if (!models) throw Object.assign(new Error('No models are open in the inference worker'), { code: 'NO_MODELS' });
    return models;
  };
  return {
    async open({ dirs, options }) {
      await models?.dispose();
      models = null;
      models = await loadSuggestModels(dirs, options);
      return { ok: true };
    },
    caption: ({ images, decoding, seed }) => loaded().captioner.caption(images, decoding, seed),
    generate: ({ prompts, options }) => loaded().generator.generate(prompts, options),
    embedImages: ({ images }) => loaded().embedder.embedImages(images),
    async close() {
      await models?.dispose();
      models = null;
      return { ok: true };
    },
  };
}

