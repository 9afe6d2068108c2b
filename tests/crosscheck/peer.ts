/**
 * transformers.js, the peer implementation Roundtrip is measured against (DESIGN.md §3): the same
 * model folder, loaded by its classes, fully offline. Used by tests only (a dev dependency).
 *
 * Offline set-up as MODELS.md §2.3 found it: `allowRemoteModels = false` never touches the
 * network; local files are read in place and never copied into a cache, and `useFSCache = false`
 * with a temporary `cacheDir` makes sure nothing is written into node_modules or the repository.
 * Folders are passed by absolute path, which transformers.js uses as is (an id such as
 * `org/name` would be looked up under `localModelPath` instead; MODELS.md appendix §0).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoModelForVision2Seq,
  AutoProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  env,
  Florence2ForConditionalGeneration,
  RawImage,
  Tensor,
} from '@huggingface/transformers';

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useFSCache = false;
// Never created: with useFSCache off nothing is cached; set only so no default points into node_modules.
env.cacheDir = join(tmpdir(), 'rt-tjs-cache-unused');
env.localModelPath = join(tmpdir(), 'rt-tjs-no-models');

/** CPU always: `auto` would try CUDA on Linux and throw without it (MODELS.md §0.5). fp32 unless a test asks. */
const LOAD = { device: 'cpu', dtype: 'fp32' } as const;

/** transformers.js's dtype names, which Roundtrip's `OnnxDtype` shares (shared/contract/onnx-dtypes.ts). */
export type PeerDtype = 'fp32' | 'fp16' | 'q8';

async function rawImage(png: Buffer): Promise<RawImage> {
  return RawImage.fromBlob(new Blob([new Uint8Array(png)]));
}

function rows(tensor: Tensor): number[][] {
  return (tensor.tolist() as (bigint | number)[][]).map((row) => row.map(Number));
}

export interface PeerCaptions {
  /** Each row as transformers.js's `generate` returns it: decoder start, tokens, end token if any. */
  ids: number[][];
  texts: string[];
  /**
   * Σ log-softmax of the raw logits at each generated token, from the logits transformers.js's
   * own cached steps produced: what Roundtrip reports as a greedy caption's score. It depends on
   * every input (pixels, prompt, cache), where the argmax ids of a tiny random-weight model often
   * do not.
   */
  logProbs: number[];
}

type Forward = (inputs: Record<string, unknown>) => Promise<{ logits: Tensor }>;

/**
 * Records the raw logits of the last position of every decoder step `generate` runs, by wrapping
 * the model's `forward` (logits processors change the logits in place after it, so a processor
 * could only see them processed). Batch 1: one row per step.
 */
function recordSteps(model: { forward: Forward }): { steps: Float32Array[]; restore(): void } {
  const original = model.forward;
  const steps: Float32Array[] = [];
  model.forward = async (inputs) => {
    const out = await original.call(model, inputs);
    const [, length, vocab] = out.logits.dims as [number, number, number];
    // fp16 graphs give float16 logits (raw bits in a Uint16Array on Node 20); generate reads them
    // through the same conversion.
    const logits = out.logits.type === 'float32' ? out.logits : out.logits.to('float32');
    steps.push(Float32Array.from((logits.data as Float32Array).subarray((length - 1) * vocab, length * vocab)));
    return out;
  };
  return { steps, restore: () => void (model.forward = original) };
}

function logSoftmaxAt(logits: Float32Array, token: number): number {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  let z = 0;
  for (const v of logits) z += Math.exp(v - max);
  return logits[token]! - max - Math.log(z);
}

/**
 * Greedy generation of one image's inputs: the row, and the log-probability of its tokens after
 * the first `promptLength` under the raw logits of the steps that produced them.
 */
async function generateRow(model: { forward: Forward; generate(options: object): Promise<unknown> }, inputs: object, options: object, promptLength: number): Promise<{ row: number[]; logProb: number }> {
  const recorder = recordSteps(model);
  try {
    const row = rows((await model.generate({ ...inputs, ...options })) as Tensor)[0]!;
    let logProb = 0;
    for (let t = promptLength; t < row.length; t++) logProb += logSoftmaxAt(recorder.steps[t - promptLength]!, row[t]!);
    return { row, logProb };
  } finally {
    recorder.restore();
  }
}

/**
 * Greedy captions of a Vision2Seq folder (ViT-GPT2 layout), one image at a time, with the
 * generation settings of the folder's generation_config.json except sampling and beams.
 */
export async function peerGreedyCaptions(dir: string, images: Buffer[], maxNewTokens: number, dtype: PeerDtype = 'fp32'): Promise<PeerCaptions> {
  const model = await AutoModelForVision2Seq.from_pretrained(dir, { ...LOAD, dtype });
  const processor = await AutoProcessor.from_pretrained(dir);
  const tokenizer = await AutoTokenizer.from_pretrained(dir);
  try {
    const result: PeerCaptions = { ids: [], texts: [], logProbs: [] };
    for (const png of images) {
      const inputs = await processor(await rawImage(png));
      const { row, logProb } = await generateRow(model as never, inputs, { do_sample: false, num_beams: 1, max_new_tokens: maxNewTokens }, 1);
      result.ids.push(row);
      result.texts.push(tokenizer.decode(row, { skip_special_tokens: true }).trim());
      result.logProbs.push(logProb);
    }
    return result;
  } finally {
    await model.dispose();
  }
}

/**
 * Greedy Florence-2 captions for a task, one image at a time, as transformers.js's Florence-2
 * example runs them: `processor(image, task)` builds the prompt (construct_prompts), `generate`
 * decodes from decoder_start_token_id, the text is decoded with special tokens and cleaned by
 * `post_process_generation`. Everything else comes from generation_config.json, which for the
 * publisher's folders means forced `<s>` first, forced `</s>` at the limit, no_repeat_ngram_size
 * 3 — and num_beams 3, which `overrides` must set to 1 for greedy (transformers.js's "beam
 * search" keeps only the first beam anyway, MODELS.md §1.2). `overrides` may switch others off.
 */
export async function peerFlorence2Captions(
  dir: string,
  images: Buffer[],
  task: string,
  maxNewTokens: number,
  dtype: PeerDtype = 'fp32',
  overrides: Record<string, unknown> = {},
): Promise<PeerCaptions> {
  const model = await Florence2ForConditionalGeneration.from_pretrained(dir, { ...LOAD, dtype });
  const processor = (await AutoProcessor.from_pretrained(dir)) as unknown as {
    (image: RawImage, text: string): Promise<object>;
    batch_decode(ids: Tensor | number[][], options: object): string[];
    post_process_generation(text: string, task: string, size: [number, number]): Record<string, unknown>;
  };
  try {
    const result: PeerCaptions = { ids: [], texts: [], logProbs: [] };
    for (const png of images) {
      const image = await rawImage(png);
      const inputs = await processor(image, task);
      const options = { do_sample: false, num_beams: 1, max_new_tokens: maxNewTokens, ...overrides };
      const { row, logProb } = await generateRow(model as never, inputs, options, 1);
      const raw = processor.batch_decode([row], { skip_special_tokens: false })[0]!;
      result.ids.push(row);
      result.texts.push(String(processor.post_process_generation(raw, task, image.size)[task]));
      result.logProbs.push(logProb);
    }
    return result;
  } finally {
    await model.dispose();
  }
}

/** The `pixel_values` transformers.js's processor makes of an image (for preprocessing checks). */
export async function peerPixelValues(dir: string, png: Buffer): Promise<Float32Array> {
  const processor = await AutoProcessor.from_pretrained(dir);
  const { pixel_values } = (await processor(await rawImage(png))) as { pixel_values: Tensor };
  return pixel_values.data as Float32Array;
}

/**
 * CLIP image and text embeddings as the projection heads return them (not normalised), one
 * image or text at a time. Texts are padded to the tokenizer's `model_max_length`, as Roundtrip's
 * CLIP text embedder does (text-embedders.ts). For OpenAI CLIP the padding length changes nothing
 * (causal attention, pooled at the end token); the demo CLIP's text tower attends to its padding
 * and was trained on rows of 32, so with transformers.js's CLIP pipeline default (`padding: true`,
 * pad to the longest text) its vectors move by up to 0.16 — `'max_length'` is the right call there.
 */
export async function peerClipEmbeddings(
  dir: string,
  images: Buffer[],
  texts: string[],
  padding: 'max_length' | true = 'max_length',
  dtype: PeerDtype = 'fp32',
): Promise<{ images: Float32Array[]; texts: Float32Array[] }> {
  const vision = await CLIPVisionModelWithProjection.from_pretrained(dir, { ...LOAD, dtype });
  const text = await CLIPTextModelWithProjection.from_pretrained(dir, { ...LOAD, dtype });
  const processor = await AutoProcessor.from_pretrained(dir);
  const tokenizer = await AutoTokenizer.from_pretrained(dir);
  try {
    const imageEmbeds: Float32Array[] = [];
    for (const png of images) {
      const { image_embeds } = (await vision(await processor(await rawImage(png)))) as { image_embeds: Tensor };
      imageEmbeds.push(Float32Array.from(image_embeds.data as Float32Array));
    }
    const textEmbeds: Float32Array[] = [];
    for (const t of texts) {
      const { text_embeds } = (await text(tokenizer([t], { padding, truncation: true }))) as { text_embeds: Tensor };
      textEmbeds.push(Float32Array.from(text_embeds.data as Float32Array));
    }
    return { images: imageEmbeds, texts: textEmbeds };
  } finally {
    await Promise.all([vision.dispose(), text.dispose()]);
  }
}
