/**
 * Where the round trip's signal is won or lost, on the candidates of one suggest run: the same
 * captions ranked four ways — by the app's pair (the generator's reconstruction, judged by the
 * image embedder), by the reconstruction judged with a plain pixel similarity, and with the scene
 * renderer standing in for the generator (an oracle that draws exactly what the caption says,
 * caption-scene.ts) judged both ways. Each ranking gives a selected caption per image and so a
 * Table 1 selection gain; comparing them tells a weak generator from a weak judge.
 */
import { mixSeed, Rng } from '../prng.js';
import { renderScene } from '../render.js';
import { IMAGE_SIZE } from '../palette.js';
import type { ImageEmbedder, RawRgbImage } from '../../inference/embedders/types.js';
import { cosine } from '../../inference/embedders/vectors.js';
import { type SelectionGain, selectionGain } from '../../engine/evaluation/selection-gain.js';
import { sceneFromCaption } from './caption-scene.js';

export interface DiagnosisCandidate {
  idx: number;
  text: string;
  /** What the app measured: the embedder's cosine between reconstruction and source. */
  similarity: number;
  reconstruction: RawRgbImage;
}

export interface DiagnosisImage {
  imageId: number;
  references: string[];
  source: RawRgbImage;
  candidates: DiagnosisCandidate[];
}

export const RANKERS = ['generator + embedder (the app)', 'generator + pixels', 'oracle + embedder', 'oracle + pixels'] as const;
export type Ranker = (typeof RANKERS)[number];

/** Side of the box-averaged grid the pixel similarity compares (64 → 16: 4×4 blocks). */
export const PIXEL_GRID = 16;

/** RGB averaged over square blocks to a `grid`×`grid` image (the side must divide evenly). */
export function boxDownsample(image: RawRgbImage, grid = PIXEL_GRID): Float64Array {
  const { rgb, width, height } = image;
  if (width % grid || height % grid) throw new Error(`boxDownsample: ${width}×${height} does not divide into ${grid}×${grid} blocks`);
  const [bw, bh] = [width / grid, height / grid];
  const out = new Float64Array(grid * grid * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (Math.floor(y / bh) * grid + Math.floor(x / bw)) * 3;
      const p = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) out[o + c]! += rgb[p + c]!;
    }
  }
  return out.map((v) => v / (bw * bh));
}

/** Minus the root-mean-square difference of the box-averaged images, in grey levels: higher is closer. */
export function pixelSimilarity(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return -Math.sqrt(s / a.length);
}

/** The oracle's picture of a caption: its scene as the renderer draws it, open details from `seed`. */
export function oracleImage(text: string, seed: number): RawRgbImage {
  return { rgb: renderScene(sceneFromCaption(text, new Rng(seed))), width: IMAGE_SIZE, height: IMAGE_SIZE };
}

export async function diagnoseSelection(images: readonly DiagnosisImage[], embedder: ImageEmbedder, seed = 1): Promise<Record<Ranker, SelectionGain>> {
  const references = new Map(images.map((i) => [i.imageId, i.references]));
  const scored = new Map<Ranker, Map<number, { idx: number; text: string; similarity: number }[]>>(RANKERS.map((r) => [r, new Map()]));
  for (const image of images) {
    const sourcePixels = boxDownsample(image.source);
    const oracles = image.candidates.map((c) => oracleImage(c.text, mixSeed(seed, image.imageId, c.idx)));
    const [sourceVector, ...oracleVectors] = await embedder.embedImages([image.source, ...oracles]);
    const put = (ranker: Ranker, similarity: (c: DiagnosisCandidate, k: number) => number) =>
      scored.get(ranker)!.set(image.imageId, image.candidates.map((c, k) => ({ idx: c.idx, text: c.text, similarity: similarity(c, k) })));
    put('generator + embedder (the app)', (c) => c.similarity);
    put('generator + pixels', (c) => pixelSimilarity(boxDownsample(c.reconstruction), sourcePixels));
    put('oracle + embedder', (_, k) => cosine(oracleVectors[k]!, sourceVector!));
    put('oracle + pixels', (_, k) => pixelSimilarity(boxDownsample(oracles[k]!), sourcePixels));
  }
  return Object.fromEntries(RANKERS.map((r) => [r, selectionGain(references, scored.get(r)!)])) as Record<Ranker, SelectionGain>;
}
