/**
 * What the pipelines need from the models, as interfaces: the runtimes in electron/inference
 * implement them in-process, and a worker proxy implements them over RPC, so a pipeline runs
 * the same either way.
 */
import type { SchedulerName } from '../../shared/contract/run-schemas.js';

/** Decoded 8-bit RGB, row-major, no padding. */
export interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

export interface CaptionDecodingSettings {
  strategy: 'greedy' | 'beam' | 'sample';
  numReturnSequences?: number;
  /**
   * Suggest runs: candidate 1 is the greedy caption (beam width 1) and the other
   * numReturnSequences − 1 are drawn with `strategy`. Not a decoder option: the suggest
   * pipeline makes two captioner calls.
   */
  greedyFirst?: boolean;
  numBeams?: number;
  topK?: number;
  topP?: number;
  temperature?: number;
  repetitionPenalty?: number;
  lengthPenalty?: number;
  minNewTokens?: number;
  maxNewTokens: number;
  /** Florence-2's task token (run settings' captionTask); captioners without tasks ignore it. */
  task?: string;
}

export interface CaptionModel {
  /** `seed` seeds the sampler (a number, not a generator object, so the call can cross a process boundary). */
  caption(images: (string | Buffer)[], decoding: CaptionDecodingSettings, seed: number): Promise<{ text: string; score: number }[][]>;
}

export interface GenerationSettings {
  steps: number;
  guidanceScale: number;
  scheduler: SchedulerName;
}

export interface ImageGeneratorModel {
  generate(prompts: string[], options: GenerationSettings & { seeds: number[] }): Promise<RgbImage[]>;
}

export interface ImageEmbedderModel {
  embedImages(images: (string | Buffer | RgbImage)[]): Promise<Float32Array[]>;
}

export interface TextEmbedderModel {
  /** One vector per text (L2-normalised by the runtimes, so cosine is a dot product). */
  embedTexts(texts: string[]): Promise<Float32Array[]>;
}
