/** Text-to-image: Stable Diffusion-family ONNX folders run with our own UNet loop. */
export { Generator, type GenerateOptions } from './generator.js';
export { type GeneratedImage, toPng } from './image-output.js';
export type { GeneratorStats } from './batching.js';
export type { Latents } from './vae.js';
export { clipTokenizerJson, loadPromptTokenizer, type PromptTokenizer } from './clip-bpe-tokenizer.js';
