/** Opens the three models a suggest run needs, releasing any already opened if one fails. */
import { loadCaptioner } from '../inference/captioner/load-captioner.js';
import { cosine, loadImageEmbedder } from '../inference/embedders/index.js';
import { Generator } from '../inference/generator/index.js';
import type { SessionOptions } from '../inference/onnx/session.js';
import { Xoshiro128 } from '../inference/random/index.js';
import type { SuggestModels } from './suggest-pipeline.js';

export interface SuggestModelDirs {
  captioner: string;
  generator: string;
  embedder: string;
}

export interface LoadedSuggestModels extends SuggestModels {
  dispose(): Promise<void>;
}

export async function loadSuggestModels(dirs: SuggestModelDirs, options: SessionOptions = {}): Promise<LoadedSuggestModels> {
  const opened: { dispose(): Promise<void> }[] = [];
  const open = async <T extends { dispose(): Promise<void> }>(load: Promise<T>): Promise<T> => {
    const model = await load;
    opened.push(model);
    return model;
  };
  try {
    const captioner = await open(loadCaptioner(dirs.captioner, options));
    const generator = await open(Generator.load(dirs.generator, options));
    const embedder = await open(loadImageEmbedder(dirs.embedder, options));
    return {
      captioner: { caption: (images, decoding, seed) => captioner.caption(images, decoding, new Xoshiro128(seed)) },
      generator,
      embedder,
      cosine,
      dispose: async () => void (await Promise.all(opened.map((m) => m.dispose()))),
    };
  } catch (error) {
    await Promise.all(opened.map((m) => m.dispose()));
    throw error;
  }
}
