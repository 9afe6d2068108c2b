/**
 * What every captioner runtime offers, whatever its graphs: the two-graph vision encoder + text
 * decoder (`Captioner`: ViT-GPT2, BLIP, the demo) and Florence-2's four graphs
 * (`Florence2Captioner`). `loadCaptioner` picks one from the folder's config.json.
 */
import type { GenerateOptions, RandomSource } from '../decoding/index.js';
import type { SessionInfo } from '../onnx/session.js';

/** The decode loop's settings a caller chooses; token ids, batch size and rng come from the captioner. */
export type CaptionDecoding = Omit<GenerateOptions, 'bosTokenId' | 'eosTokenId' | 'padTokenId' | 'batchSize' | 'rng' | 'prompt'>;

export interface Caption {
  text: string;
  tokens: number[];
  /** Sum of token log-probabilities (length-penalised for beam search). */
  score: number;
}

/** Decoding settings plus the task, for captioners that have tasks. */
export type CaptionRequest = CaptionDecoding & {
  /**
   * Florence-2's task token (`<CAPTION>`, `<DETAILED_CAPTION>`, `<MORE_DETAILED_CAPTION>`;
   * default `<CAPTION>`). Captioners without tasks ignore it.
   */
  task?: string | undefined;
};

export interface ImageCaptioner {
  readonly dir: string;
  readonly vocabSize: number;
  /** The provider each graph runs on, and why a requested GPU provider is not in use. */
  readonly sessions: SessionInfo[];
  /**
   * `numReturnSequences` captions per image, decoded in one batch. Sampling needs `rng`; the
   * same rng state gives the same captions.
   */
  caption(images: (string | Buffer)[], request: CaptionRequest, rng?: RandomSource): Promise<Caption[][]>;
  dispose(): Promise<void>;
}
