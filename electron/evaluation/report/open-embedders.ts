/**
 * Opening the embedders of a report: an image embedder (CLIPScore, Fréchet distances) and a
 * text embedder (CLIPScore with the image tower of the same CLIP, text cosine to references).
 * What cannot be opened is left out with a note: the caption metrics never depend on it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelProvenance } from '../../engine/model-provenance.js';
import { loadImageEmbedder, loadTextEmbedder } from '../../inference/embedders/load.js';
import type { ImageEmbedder, TextEmbedder } from '../../inference/embedders/types.js';
import { CLIP_SCORE_PREFIX } from '../embedding/index.js';
import type { ReportEmbedders } from './caption-embeddings.js';
import { reportModel } from './run-data.js';

export interface OpenedEmbedders {
  embedders: ReportEmbedders | undefined;
  /** What was left out and why (null when both embedders opened). */
  note: string | null;
  dispose(): Promise<void>;
}

/**
 * With `required` (embedders the user named), one that cannot be opened is an error naming the
 * folder and the problem, not a note: a report without the metrics asked for is not what was asked.
 */
export async function openReportEmbedders(dirs: { image?: string | undefined; text?: string | undefined }, options: { required?: boolean } = {}): Promise<OpenedEmbedders> {
  const problems: string[] = [];
  const opened: { dispose(): Promise<void> }[] = [];
  const open = async <T extends { dispose(): Promise<void> }>(dir: string | undefined, what: string, load: (dir: string) => Promise<T>): Promise<T | undefined> => {
    if (!dir) return undefined;
    try {
      const model = await load(dir);
      opened.push(model);
      return model;
    } catch (error) {
      const problem = `${what} ${dir} could not be opened (${String((error as Error)?.message ?? error).split('\n')[0]})`;
      if (!options.required) {
        problems.push(problem);
        return undefined;
      }
      await Promise.all(opened.map((m) => m.dispose().catch(() => {})));
      throw new Error(`The ${problem}; pass a model folder that opens, or --no-embedder for caption metrics only.`);
    }
  };
  const image: ImageEmbedder | undefined = await open(dirs.image, 'image embedder', (d) => loadImageEmbedder(d));
  // A CLIP folder without a text tower is an image embedder only: say so, without an error.
  const text: TextEmbedder | undefined = dirs.text && hasTextTower(dirs.text) ? await open(dirs.text, 'text embedder', (d) => loadTextEmbedder(d)) : undefined;
  const dispose = async () => {
    await image?.dispose();
    await text?.dispose();
  };
  if (!image && !text) {
    return { embedders: undefined, note: `Caption metrics only: ${problems.length ? problems.join('; ') : 'no embedder'}.`, dispose };
  }
  const models = [
    ...(image && dirs.image ? [reportModel('imageEmbedder', await modelProvenance(dirs.image))] : []),
    ...(text && dirs.text ? [reportModel('textEmbedder', await modelProvenance(dirs.text))] : []),
  ];
  if (!text) problems.push('no text embedder: CLIPScore, RefCLIPScore and text cosine left out');
  else if (!image) problems.push('no image embedder: CLIPScore, RefCLIPScore and Fréchet distances left out');
  else if (image.dimension !== text.dimension) problems.push(`the image (${image.dimension}-d) and text (${text.dimension}-d) embedders are not one CLIP: CLIPScore left out`);
  const embedders: ReportEmbedders = { models, clipPrefix: dirs.text ? clipPrefixFor(dirs.text) : CLIP_SCORE_PREFIX };
  if (image) embedders.image = image;
  if (text) embedders.text = text;
  return { embedders, note: problems.length ? `${problems.join('; ')}.` : null, dispose };
}

/** A folder a text embedder can load from: a CLIP text tower, or a sentence encoder's single graph. */
function hasTextTower(dir: string): boolean {
  return ['onnx/text_model.onnx', 'text_model.onnx', 'onnx/model.onnx', 'model.onnx'].some((f) => existsSync(join(dir, f)));
}

/**
 * CLIPScore's "A photo depicts " prefix helps a CLIP that knows those words (the paper's); for
 * one whose vocabulary lacks them (the demo CLIP's word-level vocabulary) it only adds unknown
 * tokens, so it is left out there.
 */
export function clipPrefixFor(dir: string): string {
  try {
    const tokenizer = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as { model?: { vocab?: unknown } };
    const vocab = tokenizer.model?.vocab;
    const words = Array.isArray(vocab) ? vocab.map((v) => String(Array.isArray(v) ? v[0] : v)) : Object.keys((vocab as object) ?? {});
    const knows = (word: string) => words.some((w) => w.replace(/^(Ġ|▁)/, '').replace(/<\/w>$/, '').toLowerCase() === word);
    return knows('photo') ? CLIP_SCORE_PREFIX : '';
  } catch {
    return CLIP_SCORE_PREFIX;
  }
}
