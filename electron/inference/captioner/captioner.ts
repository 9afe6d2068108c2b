/**
 * A captioner in the public two-graph layout (ViT-GPT2 as exported for transformers.js; BLIP
 * exported to the same shape; the demo captioner): a vision encoder and an autoregressive text
 * decoder, run with our own decode loop (greedy, beam, top-k, top-p, … — see ../decoding).
 */
import type { Tokenizer } from '@huggingface/tokenizers';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { generate, type GenerateOptions, type RandomSource } from '../decoding/index.js';
import { float32Tensor } from '../onnx/feeds.js';
import { OnnxSession, type SessionOptions } from '../onnx/session.js';
import { outputSize, parsePreprocessorConfig, pixelValues, type PreprocessorConfig } from '../image/preprocess.js';
import { findOnnxFile, loadTokenizer, readModelJson, readOptionalModelJson, requireOnnxFile } from '../model-files.js';
import { FullSequenceDecoderStepper, MergedDecoderStepper } from './decoder-steppers.js';

export type CaptionDecoding = Omit<GenerateOptions, 'bosTokenId' | 'eosTokenId' | 'padTokenId' | 'batchSize' | 'rng' | 'prompt'>;

export interface Caption {
  text: string;
  tokens: number[];
  /** Sum of token log-probabilities (length-penalised for beam search). */
  score: number;
}

interface SpecialTokens {
  bos: number;
  eos: number;
  pad: number;
}

export class Captioner {
  private constructor(
    readonly dir: string,
    private readonly encoder: OnnxSession,
    private readonly decoder: OnnxSession,
    private readonly merged: boolean,
    private readonly tokenizer: Tokenizer,
    private readonly preprocessor: PreprocessorConfig,
    private readonly special: SpecialTokens,
    readonly vocabSize: number,
  ) {}

  static async load(dir: string, options: SessionOptions = {}): Promise<Captioner> {
    const preprocessor = parsePreprocessorConfig(readModelJson(dir, 'preprocessor_config.json'), `${dir}/preprocessor_config.json`);
    const special = specialTokens(dir);
    const tokenizer = loadTokenizer(dir);
    const mergedFile = findOnnxFile(dir, 'decoder_model_merged.onnx');
    const encoder = await OnnxSession.open(requireOnnxFile(dir, 'encoder_model.onnx'), options);
    let decoder: OnnxSession;
    try {
      decoder = await OnnxSession.open(mergedFile ?? requireOnnxFile(dir, 'decoder_model.onnx'), options);
      encoder.input('pixel_values');
      encoder.output('last_hidden_state');
      decoder.output('logits');
    } catch (error) {
      await encoder.dispose();
      throw error;
    }
    const vocabSize = decoder.output('logits').shape.at(-1);
    if (typeof vocabSize !== 'number') throw new ApiError(ErrorCode.BadFormat, `${decoder.info.file}: logits must have a fixed vocabulary dimension`);
    return new Captioner(dir, encoder, decoder, mergedFile !== null, tokenizer, preprocessor, special, vocabSize);
  }

  /** The provider each graph runs on, and why a requested GPU provider is not in use. */
  get sessions(): OnnxSession['info'][] {
    return [this.encoder.info, this.decoder.info];
  }

  /**
   * Captions for each image: `numReturnSequences` per image (N candidates), decoded in one batch.
   * Sampling needs `rng`; the same rng state gives the same captions.
   */
  async caption(images: (string | Buffer)[], decoding: CaptionDecoding, rng?: RandomSource): Promise<Caption[][]> {
    const { height, width } = outputSize(this.preprocessor);
    const planes = await Promise.all(images.map((image) => pixelValues(image, this.preprocessor)));
    const pixels = new Float32Array(planes.length * 3 * height * width);
    planes.forEach((p, i) => pixels.set(p, i * p.length));
    const encoded = await this.encoder.run({ pixel_values: float32Tensor(pixels, [images.length, 3, height, width]) });
    const hidden = encoded.last_hidden_state!;
    const options: GenerateOptions = {
      ...decoding,
      bosTokenId: this.special.bos,
      eosTokenId: this.special.eos,
      padTokenId: this.special.pad,
      batchSize: images.length,
      ...(rng ? { rng } : {}),
    };
    const result = this.merged
      ? await generate(new MergedDecoderStepper(this.decoder, hidden, this.vocabSize), options)
      : await generate(new FullSequenceDecoderStepper(this.decoder, hidden, this.vocabSize), options);
    const perImage = result.sequences.length / images.length;
    return images.map((_, i) =>
      result.sequences.slice(i * perImage, (i + 1) * perImage).map((tokens, j) => ({
        tokens,
        text: this.decode(tokens),
        score: result.scores[i * perImage + j]!,
      })),
    );
  }

  decode(tokens: number[]): string {
    // An immediate end-of-sequence is a legitimate (empty) caption; the tokenizer refuses [].
    if (tokens.length === 0) return '';
    return this.tokenizer.decode(tokens, { skip_special_tokens: true }).trim();
  }

  async dispose(): Promise<void> {
    await Promise.all([this.encoder.dispose(), this.decoder.dispose()]);
  }
}

/** bos/eos/pad from generation_config.json, else config.json (and its decoder sub-config). */
function specialTokens(dir: string): SpecialTokens {
  const gen = (readOptionalModelJson(dir, 'generation_config.json') ?? {}) as Record<string, unknown>;
  const cfg = readModelJson(dir, 'config.json') as Record<string, unknown>;
  const dec = (cfg.decoder ?? {}) as Record<string, unknown>;
  const pick = (...keys: string[]) => {
    for (const source of [gen, cfg, dec]) for (const k of keys) if (typeof source[k] === 'number') return source[k] as number;
    return undefined;
  };
  const bos = pick('decoder_start_token_id', 'bos_token_id');
  const eos = pick('eos_token_id');
  if (bos === undefined || eos === undefined) {
    throw new ApiError(ErrorCode.BadFormat, `${dir}: config.json / generation_config.json name no decoder_start_token_id or eos_token_id`);
  }
  return { bos, eos, pad: pick('pad_token_id') ?? eos };
}
