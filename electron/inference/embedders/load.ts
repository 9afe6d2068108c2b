/**
 * Opening an embedder from a model folder in its public export layout. config.json's model_type
 * picks the family; every refusal names the file that does not fit and why.
 */
import { join } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { graphVariants } from '../graph-variants.js';
import { readModelJson } from '../model-files.js';
import { VisionEmbedder } from './image-embedders.js';
import { TextEncoderEmbedder } from './text-embedders.js';
import type { EmbedderOptions, ImageEmbedder, TextEmbedder } from './types.js';

const DINOV2_TYPES = new Set(['dinov2', 'dinov2_with_registers']);
/** Encoder families sentence-transformers exports as one `model.onnx` of token embeddings. */
const SENTENCE_TYPES = new Set(['bert', 'mpnet', 'roberta', 'xlm-roberta', 'distilbert', 'electra', 'deberta-v2', 'nomic_bert', 'modernbert']);

export type ImageEmbedderFamily = 'clip' | 'dinov2';
export type TextEmbedderFamily = 'clip' | 'sentence';

export function imageEmbedderFamily(dir: string): ImageEmbedderFamily {
  const type = modelType(dir);
  if (type === 'clip') return 'clip';
  if (DINOV2_TYPES.has(type)) return 'dinov2';
  throw unsupported(dir, type, 'an image embedder', ['clip', ...DINOV2_TYPES]);
}

export function textEmbedderFamily(dir: string): TextEmbedderFamily {
  const type = modelType(dir);
  if (type === 'clip') return 'clip';
  if (SENTENCE_TYPES.has(type)) return 'sentence';
  throw unsupported(dir, type, 'a text embedder', ['clip', ...SENTENCE_TYPES]);
}

export async function loadImageEmbedder(dir: string, options: EmbedderOptions = {}): Promise<ImageEmbedder> {
  if (imageEmbedderFamily(dir) === 'clip') {
    requireGraph(dir, 'vision_model', 'a CLIP image embedder needs the vision tower exported on its own');
    return VisionEmbedder.loadClip(dir, options);
  }
  requireGraph(dir, 'model', 'a DINOv2 embedder needs the backbone graph');
  return VisionEmbedder.loadDinov2(dir, options);
}

export async function loadTextEmbedder(dir: string, options: EmbedderOptions = {}): Promise<TextEmbedder> {
  if (textEmbedderFamily(dir) === 'clip') {
    requireGraph(dir, 'text_model', 'a CLIP text embedder needs the text tower exported on its own');
    return TextEncoderEmbedder.loadClip(dir, options);
  }
  requireGraph(dir, 'model', 'a sentence embedder needs the encoder as a single graph');
  return TextEncoderEmbedder.loadSentence(dir, options);
}

function modelType(dir: string): string {
  const config = readModelJson(dir, 'config.json') as Record<string, unknown> | null;
  const type = config && typeof config === 'object' ? config.model_type : undefined;
  if (typeof type !== 'string') throw new ApiError(ErrorCode.BadFormat, `${join(dir, 'config.json')}: no model_type`);
  return type;
}

function unsupported(dir: string, type: string, role: string, supported: string[]): ApiError {
  return new ApiError(ErrorCode.BadFormat, `${join(dir, 'config.json')}: model_type '${type}' is not supported as ${role} (supported: ${supported.join(', ')})`);
}

/** Any precision variant will do here; which one opens is graph-variants.ts's choice. */
function requireGraph(dir: string, graph: string, why: string): void {
  if (graphVariants(dir, graph).length > 0) return;
  throw new ApiError(ErrorCode.NotFound, `${join(dir, 'onnx', `${graph}.onnx`)}: missing file (${why})`);
}
