/**
 * A captioner in the public two-graph layout (ViT-GPT2 as exported for transformers.js; BLIP
 * exported to the same shape; the demo captioner): a vision encoder and an autoregressive text
 * decoder, run with our own decode loop (greedy, beam, top-k, top-p, … — see ../decoding).
 */
import type { Tokenizer } from '@huggingface/tokenizers';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { generate, type RandomSource } from '../decoding/index.js';
import { chooseFirstGraphVariant, chooseGraphVariant, type LoadOptions } from '../graph-variants.js';
import { asInputDtype, floatTensor } from '../onnx/feeds.js';
import { OnnxSession } from '../onnx/session.js';
import { pixelBatch } from '../image/pixel-batch.js';
import { parsePreprocessorConfig, type PreprocessorConfig } from '../image/preprocess.js';
import { loadTokenizer, readModelJson } from '../model-files.js';
import { captionGenerateOptions, captionsPerImage } from './caption-batch.js';
import { FullSequenceDecoderStepper, MergedDecoderStepper } from './decoder-steppers.js';
import { readSpecialTokens, type SpecialTokens } from './special-tokens.js';
import type { Caption, CaptionRequest, ImageCaptioner } from './types.js';

export type { Caption, CaptionDecoding } from './types.js';

export class Captioner implements ImageCaptioner {
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

  /**
   * Opens the encoder and the decoder (the KV-cached merged one, else the no-cache one) in the
   * precision variant `options` asks for, else the best present (graph-variants.ts).
   */
  static async load(dir: string, options: LoadOptions = {}): Promise<Captioner> {
    const preprocessor = parsePreprocessorConfig(readModelJson(dir, 'preprocessor_config.json'), `${dir}/preprocessor_config.json`);
    const tokenizer = loadTokenizer(dir);
    const encoderFile = chooseGraphVariant(dir, 'encoder_model', options);
    const decoderFile = chooseFirstGraphVariant(dir, ['decoder_model_merged', 'decoder_model'], options);
    const encoder = await OnnxSession.open(encoderFile.file, { ...options, dtype: encoderFile.dtype });
    try {
      const decoder = await OnnxSession.open(decoderFile.file, { ...options, dtype: decoderFile.dtype });
      try {
        encoder.input('pixel_values');
        encoder.output('last_hidden_state');
        decoder.output('logits');
        const vocabSize = decoder.output('logits').shape.at(-1);
        if (typeof vocabSize !== 'number') throw new ApiError(ErrorCode.BadFormat, `${decoder.info.file}: logits must have a fixed vocabulary dimension`);
        const special = readSpecialTokens(dir, vocabSize);
        return new Captioner(dir, encoder, decoder, decoderFile.graph === 'decoder_model_merged', tokenizer, preprocessor, special, vocabSize);
      } catch (error) {
        await decoder.dispose();
        throw error;
      }
    } catch (error) {
      await encoder.dispose();
      throw error;
    }
  }

  /** The provider each graph runs on, and why a requested GPU provider is not in use. */
  get sessions(): OnnxSession['info'][] {
    return [this.encoder.info, this.decoder.info];
  }

  /**
   * Captions for each image: `numReturnSequences` per image (N candidates), decoded in one batch.
   * Sampling needs `rng`; the same rng state gives the same captions. These models have no
   * tasks: a request's `task` is dropped here, never handed to the decode loop.
   */
  async caption(images: (string | Buffer)[], request: CaptionRequest, rng?: RandomSource): Promise<Caption[][]> {
    const { task: _noTasks, ...decoding } = request;
    const pixels = await pixelBatch(images, this.preprocessor);
    const encoded = await this.encoder.run({ pixel_values: floatTensor(this.encoder.input('pixel_values'), pixels.data, pixels.dims) });
    // An fp16 encoder may feed an fp32 decoder (or the other way round) when only one has the variant.
    const hidden = asInputDtype(encoded.last_hidden_state!, this.decoder.input('encoder_hidden_states'));
    const options = captionGenerateOptions(decoding, this.special, images.length, rng);
    const result = this.merged
      ? await generate(new MergedDecoderStepper(this.decoder, hidden, this.vocabSize), options)
      : await generate(new FullSequenceDecoderStepper(this.decoder, hidden, this.vocabSize), options);
    return captionsPerImage(result, images.length, (tokens) => this.decode(tokens));
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
