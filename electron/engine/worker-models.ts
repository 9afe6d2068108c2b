/**
 * The suggest pipeline's models as a proxy onto the inference worker: the pipeline code is the
 * same in-process and out-of-process, and onnxruntime's blocking run() never touches the
 * process that answers the UI.
 */
import { cosine } from '../inference/embedders/index.js';
import type { RpcClient } from '../inference/worker/rpc.js';
import type { EngineWorkerMethods } from './engine-worker-methods.js';
import type { SuggestModels } from './suggest-pipeline.js';

export function workerSuggestModels(client: RpcClient<EngineWorkerMethods>): SuggestModels {
  return {
    captioner: {
      caption: (images, decoding, seed) => {
        if (images.some((i) => typeof i !== 'string')) throw new Error('The inference worker reads source images by path');
        return client.call('caption', { images: images as string[], decoding, seed });
      },
    },
    generator: { generate: (prompts, options) => client.call('generate', { prompts, options }) },
    embedder: {
      embedImages: (images) => {
        if (images.some((i) => Buffer.isBuffer(i))) throw new Error('The inference worker reads source images by path');
        return client.call('embedImages', { images: images as (string | { width: number; height: number; rgb: Uint8Array })[] });
      },
    },
    cosine,
  };
}
