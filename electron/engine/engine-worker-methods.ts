/**
 * The inference worker's method table: the models of a run, opened and run inside the worker
 * process. Shared by the worker (which serves it) and the backend (which calls it), so both
 * sides are typed from one declaration. `open` takes the folders of the roles a run kind uses
 * (a suggest run: captioner, generator, image embedder; verify-images adds a text embedder; a
 * reference audit needs no captioner); calling a role that is not open fails with NO_MODELS.
 */
import type { SessionOptions } from '../inference/onnx/session.js';
import { openWithOnnxRuntime, type GraphInfo } from '../models/graph-check.js';
import type { CaptionDecodingSettings, GenerationSettings, RgbImage } from './engine-models.js';
import { loadEngineModels, type EngineModelDirs, type LoadedEngineModels, type RoleSession } from './load-engine-models.js';
import type { EngineModelDtypes } from './model-load-options.js';

export interface EngineWorkerMethods {
  [method: string]: (params: never) => Promise<unknown>;
  /** `dtypes`: the precision variant chosen per model (graph-variants.ts picks the rest). */
  open(params: { dirs: EngineModelDirs; options?: SessionOptions; dtypes?: EngineModelDtypes }): Promise<{ ok: true; sessions: RoleSession[] }>;
  caption(params: { images: string[]; decoding: CaptionDecodingSettings; seed: number }): Promise<{ text: string; score: number }[][]>;
  generate(params: { prompts: string[]; options: GenerationSettings & { seeds: number[] } }): Promise<RgbImage[]>;
  embedImages(params: { images: (string | RgbImage)[] }): Promise<Float32Array[]>;
  embedTexts(params: { texts: string[] }): Promise<Float32Array[]>;
  close(params: Record<string, never>): Promise<{ ok: true }>;
  /** A graph's declared inputs and outputs, for verifying a model off the thread that answers the API. */
  describeGraph(params: { path: string }): Promise<GraphInfo>;
}

/** The method table as the worker serves it, over models it owns. */
export function engineWorkerMethods(): EngineWorkerMethods {
  let models: LoadedEngineModels | null = null;
  const loaded = () => {
    if (!models) throw noModels('No models are open in the inference worker');
    return models;
  };
  const role = <K extends 'captioner' | 'textEmbedder'>(key: K): NonNullable<LoadedEngineModels[K]> => {
    const model = loaded()[key];
    if (!model) throw noModels(`No ${key === 'captioner' ? 'captioner' : 'text embedder'} is open in the inference worker`);
    return model;
  };
  return {
    async open({ dirs, options, dtypes }) {
      await models?.dispose();
      models = null;
      models = await loadEngineModels(dirs, options, dtypes);
      return { ok: true, sessions: models.sessions };
    },
    caption: ({ images, decoding, seed }) => role('captioner').caption(images, decoding, seed),
    generate: ({ prompts, options }) => loaded().generator.generate(prompts, options),
    embedImages: ({ images }) => loaded().embedder.embedImages(images),
    embedTexts: ({ texts }) => role('textEmbedder').embedTexts(texts),
    async close() {
      await models?.dispose();
      models = null;
      return { ok: true };
    },
    describeGraph: ({ path }) => openWithOnnxRuntime(path),
  };
}

function noModels(message: string): Error {
  return Object.assign(new Error(message), { code: 'NO_MODELS' });
}
