/**
 * Opens the models a run needs from their folders, whichever roles the run kind uses: a
 * reference audit needs no captioner, only text → image → text needs a text embedder. Anything
 * already opened is released again if a later model fails to open.
 */
import { loadCaptioner } from '../inference/captioner/load-captioner.js';
import { cosine, loadImageEmbedder, loadTextEmbedder } from '../inference/embedders/index.js';
import { Generator } from '../inference/generator/index.js';
import type { ModelSlot } from '../../shared/contract/run-schemas.js';
import type { SessionInfo, SessionOptions } from '../inference/onnx/session.js';
import { Xoshiro128 } from '../inference/random/index.js';
import type { CaptionModel, ImageEmbedderModel, ImageGeneratorModel, TextEmbedderModel } from './engine-models.js';
import { type EngineModelDtypes, type EngineRole, modelLoadOptions } from './model-load-options.js';

export interface EngineModelDirs {
  captioner?: string | undefined;
  generator: string;
  embedder: string;
  textEmbedder?: string | undefined;
}

export type RoleSession = SessionInfo & { role: ModelSlot };

export interface LoadedEngineModels {
  captioner?: CaptionModel;
  generator: ImageGeneratorModel;
  embedder: ImageEmbedderModel;
  textEmbedder?: TextEmbedderModel;
  cosine: (a: Float32Array, b: Float32Array) => number;
  /**
   * Every ONNX session opened, with the execution provider it actually got (and why, if it fell
   * back), tagged with the role it serves: one CLIP folder serves as image and text embedder.
   */
  sessions: RoleSession[];
  dispose(): Promise<void>;
}

/** The opened models typed by what was asked for: a captioner when `dirs.captioner` is given, etc. */
export type LoadedFor<D extends EngineModelDirs> = LoadedEngineModels &
  (D extends { captioner: string } ? { captioner: CaptionModel } : unknown) &
  (D extends { textEmbedder: string } ? { textEmbedder: TextEmbedderModel } : unknown);

/**
 * `dtypes`: the precision variant chosen per model (run settings); each folder's manifest dtype
 * and then the best variant present for the provider fill in the rest (model-load-options.ts).
 */
export async function loadEngineModels<D extends EngineModelDirs>(dirs: D, options: SessionOptions = {}, dtypes: EngineModelDtypes = {}): Promise<LoadedFor<D>> {
  const opened: { dispose(): Promise<void> }[] = [];
  const open = async <T extends { dispose(): Promise<void> }>(load: Promise<T>): Promise<T> => {
    const model = await load;
    opened.push(model);
    return model;
  };
  try {
    const optionsFor = (dir: string, role: EngineRole) => modelLoadOptions(dir, options, dtypes[role]);
    const captioner = dirs.captioner === undefined ? undefined : await open(loadCaptioner(dirs.captioner, await optionsFor(dirs.captioner, 'captioner')));
    const generator = await open(Generator.load(dirs.generator, await optionsFor(dirs.generator, 'generator')));
    const embedder = await open(loadImageEmbedder(dirs.embedder, await optionsFor(dirs.embedder, 'embedder')));
    const textEmbedder = dirs.textEmbedder === undefined ? undefined : await open(loadTextEmbedder(dirs.textEmbedder, await optionsFor(dirs.textEmbedder, 'textEmbedder')));
    const models: LoadedEngineModels = {
      generator,
      embedder,
      cosine,
      sessions: [
        ...tagged('captioner', captioner?.sessions),
        ...tagged('generator', generator.sessions),
        ...tagged('imageEmbedder', embedder.sessions),
        ...tagged('textEmbedder', textEmbedder?.sessions),
      ],
      dispose: async () => void (await Promise.all(opened.map((m) => m.dispose()))),
    };
    if (captioner) models.captioner = { caption: (images, decoding, seed) => captioner.caption(images, decoding, new Xoshiro128(seed)) };
    if (textEmbedder) models.textEmbedder = { embedTexts: (texts) => textEmbedder.embedTexts(texts) };
    return models as LoadedFor<D>;
  } catch (error) {
    await Promise.all(opened.map((m) => m.dispose()));
    throw error;
  }
}

function tagged(role: ModelSlot, sessions: readonly SessionInfo[] | undefined): RoleSession[] {
  return (sessions ?? []).map((session) => ({ ...session, role }));
}
