/**
 * The pipelines' models as a proxy onto the inference worker: the pipeline code is the same
 * in-process and out-of-process, and onnxruntime's blocking run() never touches the process
 * that answers the UI.
 */
import { cosine } from '../inference/embedders/index.js';
import type { RpcClient } from '../inference/worker/rpc.js';
import type { EngineWorkerMethods } from './engine-worker-methods.js';
import type { ReferenceAuditModels } from './reference-audit-pipeline.js';
import type { SuggestModels } from './suggest-pipeline.js';
import type { VerifyImagesModels } from './verify-images-pipeline.js';

export function workerSuggestModels(client: RpcClient<EngineWorkerMethods>): SuggestModels {
  return {
    captioner: {
      caption: (images, decoding, seed) => {
        if (images.some((i) => typeof i !== 'string')) throw new Error('The inference worker reads source images by path');
        return client.call('caption', { images: images as string[], decoding, seed });
      },
    },
    ...workerReferenceAuditModels(client),
  };
}

/** Text → image → text: the suggest roles plus the text embedder (open the worker with `textEmbedder`). */
export function workerVerifyImagesModels(client: RpcClient<EngineWorkerMethods>): VerifyImagesModels {
  return {
    ...workerSuggestModels(client),
    textEmbedder: { embedTexts: (texts) => client.call('embedTexts', { texts }) },
  };
}

/** A reference audit needs only the generator and the image embedder (the worker may be opened without a captioner). */
export function workerReferenceAuditModels(client: RpcClient<EngineWorkerMethods>): ReferenceAuditModels {
  return {
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
