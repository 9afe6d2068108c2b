/**
 * Florence-2 as onnx-community publishes it (MODELS.md appendix §3): four graphs under `onnx/`,
 * run the way transformers.js runs them (models/florence2/modeling_florence2.js):
 *  1. the task token becomes its prompt (task-prompts.ts), tokenized as `<s>…</s>`;
 *  2. `vision_encoder(pixel_values)` → `image_features`, `embed_tokens(input_ids)` → `inputs_embeds`;
 *  3. `[image_features ; inputs_embeds]` along the sequence, with an all-ones attention mask;
 *  4. `encoder_model(inputs_embeds, attention_mask)` → `last_hidden_state`;
 *  5. our decode loop from `decoder_start_token_id` over the merged decoder (seq2seq-stepper.ts),
 *     with the generation_config's forced `<s>` first, forced `</s>` at the length limit and
 *     no-repeat-ngram size, as the publisher configures them;
 *  6. the text decoded with special tokens kept, then `<s>`, `</s>`, `<pad>` stripped (pure_text).
 */
import type { Tokenizer } from '@huggingface/tokenizers';
import { join } from 'node:path';
import type ort from 'onnxruntime-node';
import { ApiError, ErrorCode } from '../../../../shared/contract/errors.js';
import { generate, type RandomSource } from '../../decoding/index.js';
import { chooseGraphVariant, type LoadOptions } from '../../graph-variants.js';
import { pixelBatch } from '../../image/pixel-batch.js';
import { parsePreprocessorConfig, type PreprocessorConfig } from '../../image/preprocess.js';
import { loadTokenizer, readModelJson, readOptionalModelJson, type JsonObject as Json } from '../../model-files.js';
import { float32Values, floatTensor, tokenIdsTensor } from '../../onnx/feeds.js';
import { OnnxSession } from '../../onnx/session.js';
import { captionGenerateOptions, captionsPerImage } from '../caption-batch.js';
import { readGenerationDefaults, readSpecialTokens, type GenerationDefaults, type SpecialTokens } from '../special-tokens.js';
import type { Caption, CaptionRequest, ImageCaptioner } from '../types.js';
import { Seq2SeqEmbedsStepper } from './seq2seq-stepper.js';
import { captionPrompt, cleanPureText, DEFAULT_FLORENCE2_TASK, readTaskPrompts, type TaskPrompts } from './task-prompts.js';

/** transformers.js's florence2 session set, in the order they are opened. */
const GRAPHS = ['vision_encoder', 'embed_tokens', 'encoder_model', 'decoder_model_merged'] as const;
type Graph = (typeof GRAPHS)[number];


export class Florence2Captioner implements ImageCaptioner {
  private constructor(
    readonly dir: string,
    private readonly graphs: Record<Graph, OnnxSession>,
    private readonly tokenizer: Tokenizer,
    private readonly preprocessor: PreprocessorConfig,
    private readonly prompts: TaskPrompts,
    private readonly special: SpecialTokens,
    private readonly publisher: GenerationDefaults,
    readonly vocabSize: number,
  ) {}

  static async load(dir: string, options: LoadOptions = {}): Promise<Florence2Captioner> {
    const config = readModelJson(dir, 'config.json') as Json;
    if (config.model_type !== 'florence2') {
      throw new ApiError(ErrorCode.BadFormat, `${join(dir, 'config.json')}: model_type is ${JSON.stringify(config.model_type)}, not "florence2"`);
    }
    const preprocessorJson = readModelJson(dir, 'preprocessor_config.json') as Json;
    const preprocessor = parsePreprocessorConfig(preprocessorJson, join(dir, 'preprocessor_config.json'));
    const prompts = readTaskPrompts([
      { file: join(dir, 'processor_config.json'), json: readOptionalModelJson(dir, 'processor_config.json') as Json | undefined },
      { file: join(dir, 'preprocessor_config.json'), json: preprocessorJson },
    ]);
    const tokenizer = loadTokenizer(dir);
    // Every file is found before any is opened, so a missing graph is named at once.
    const files = GRAPHS.map((graph) => ({ graph, choice: chooseGraphVariant(dir, graph, options) }));
    const opened: OnnxSession[] = [];
    try {
      for (const { choice } of files) opened.push(await OnnxSession.open(choice.file, { ...options, dtype: choice.dtype }));
      const graphs = Object.fromEntries(GRAPHS.map((g, i) => [g, opened[i]!])) as Record<Graph, OnnxSession>;
      graphs.vision_encoder.input('pixel_values');
      graphs.vision_encoder.output('image_features');
      graphs.encoder_model.input('inputs_embeds');
      graphs.encoder_model.output('last_hidden_state');
      const vocabSize = logitsWidth(graphs.decoder_model_merged, config);
      const special = readSpecialTokens(dir, vocabSize);
      return new Florence2Captioner(dir, graphs, tokenizer, preprocessor, prompts, special, readGenerationDefaults(dir), vocabSize);
    } catch (error) {
      await Promise.all(opened.map((s) => s.dispose()));
      throw error;
    }
  }

  get sessions(): OnnxSession['info'][] {
    return GRAPHS.map((g) => this.graphs[g].info);
  }

  /** The prompt a task is run with (for provenance and tests). */
  promptFor(task: string = DEFAULT_FLORENCE2_TASK): string {
    return captionPrompt(task, this.prompts, this.dir);
  }

  async caption(images: (string | Buffer)[], request: CaptionRequest, rng?: RandomSource): Promise<Caption[][]> {
    const { task, ...decoding } = request;
    const promptIds = this.tokenizer.encode(this.promptFor(task ?? DEFAULT_FLORENCE2_TASK)).ids;
    const encoded = await this.encode(images, promptIds);
    // The publisher's forced tokens and n-gram size (only the keys it sets) under the request's decoding.
    const options = captionGenerateOptions(decoding, this.special, images.length, rng, this.publisher);
    const stepper = new Seq2SeqEmbedsStepper(this.graphs.decoder_model_merged, this.graphs.embed_tokens, encoded, this.vocabSize);
    return captionsPerImage(await generate(stepper, options), images.length, (tokens) => this.decode(tokens));
  }

  /** Generated ids → caption: special tokens kept by the tokenizer, then the pure_text clean-up. */
  decode(tokens: number[]): string {
    if (tokens.length === 0) return '';
    return cleanPureText(this.tokenizer.decode(tokens, { skip_special_tokens: false }));
  }

  async dispose(): Promise<void> {
    await Promise.all(GRAPHS.map((g) => this.graphs[g].dispose()));
  }

  /** Steps 2–4: the encoder's output for each image with the shared prompt after its image tokens. */
  private async encode(images: (string | Buffer)[], promptIds: number[]): Promise<ort.Tensor> {
    const { vision_encoder: vision, embed_tokens: embed, encoder_model: encoder } = this.graphs;
    const pixels = await pixelBatch(images, this.preprocessor);
    const imageOut = await vision.run({ pixel_values: floatTensor(vision.input('pixel_values'), pixels.data, pixels.dims) });
    const textOut = await embed.run({ input_ids: tokenIdsTensor(embed.input('input_ids'), [promptIds]) });
    const imageFeatures = imageOut.image_features!;
    const [, imageTokens = 0, hidden = 0] = imageFeatures.dims;
    const textEmbeds = float32Values(textOut.inputs_embeds!, 'inputs_embeds');
    if (textOut.inputs_embeds!.dims[2] !== hidden) {
      throw new ApiError(ErrorCode.BadFormat, `${embed.info.file}: inputs_embeds width ${textOut.inputs_embeds!.dims[2]} differs from image_features width ${hidden} of ${vision.info.file}`);
    }
    const imageValues = float32Values(imageFeatures, 'image_features');
    const length = imageTokens + promptIds.length;
    const merged = new Float32Array(images.length * length * hidden);
    for (let b = 0; b < images.length; b++) {
      merged.set(imageValues.subarray(b * imageTokens * hidden, (b + 1) * imageTokens * hidden), b * length * hidden);
      merged.set(textEmbeds, (b * length + imageTokens) * hidden);
    }
    const feeds: Record<string, ort.Tensor> = { inputs_embeds: floatTensor(encoder.input('inputs_embeds'), merged, [images.length, length, hidden]) };
    if (encoder.hasInput('attention_mask')) {
      feeds.attention_mask = tokenIdsTensor(encoder.input('attention_mask'), Array.from({ length: images.length }, () => new Array<number>(length).fill(1)));
    }
    return (await encoder.run(feeds)).last_hidden_state!;
  }
}

/** The logits' vocabulary width, from the graph or, when symbolic there, config.json. */
function logitsWidth(decoder: OnnxSession, config: Json): number {
  const declared = decoder.output('logits').shape.at(-1);
  if (typeof declared === 'number') return declared;
  const text = (config.text_config ?? {}) as Json;
  const fromConfig = typeof text.vocab_size === 'number' ? text.vocab_size : config.vocab_size;
  if (typeof fromConfig !== 'number') throw new ApiError(ErrorCode.BadFormat, `${decoder.info.file}: logits have no fixed vocabulary dimension and config.json gives no vocab_size`);
  return fromConfig;
}
