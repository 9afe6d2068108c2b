/**
 * A demo-world split in memory, exactly as `roundtrip demo-data` writes it (the writer loops
 * `demoImage(split, seed, index)` for index 0..count−1, renders and PNG-encodes each scene), so
 * the measurements see the same ids, scenes, captions and pixels without a round trip through
 * disk — and the training split's captions can be read without rendering its 20,000 images.
 */
import { DEFAULT_COUNTS, type DemoImage, demoImage, type Split } from '../dataset.js';
import { IMAGE_SIZE } from '../palette.js';
import { renderScene } from '../render.js';
import { normalisedCaption } from './caption-words.js';

/** `roundtrip demo-data`'s default seed. */
export const DEFAULT_DATASET_SEED = 1;

/** 8-bit RGB, row-major: what the embedders, the VAE and the judges read. */
export interface RgbImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** The first `count` images of a split (scenes and captions; nothing rendered). */
export function splitRecords(split: Split, count: number = DEFAULT_COUNTS[split], seed = DEFAULT_DATASET_SEED): DemoImage[] {
  return Array.from({ length: count }, (_, index) => demoImage(split, seed, index));
}

export function renderRecord(record: DemoImage): RgbImage {
  return { rgb: renderScene(record.scene), width: IMAGE_SIZE, height: IMAGE_SIZE };
}

export interface CaptionCounts {
  /** The most frequent normalised caption (ties: the first seen). */
  mostFrequent: string;
  count: number;
  /** Every normalised caption, to tell samples that repeat a training caption word for word. */
  all: Set<string>;
}

/** evaluate.py's baseline: `Counter(" ".join(tok(c)) ...).most_common(1)` over every caption. */
export function captionCounts(captionsPerImage: readonly (readonly string[])[]): CaptionCounts {
  const counts = new Map<string, number>();
  for (const captions of captionsPerImage) {
    for (const caption of captions) {
      const key = normalisedCaption(caption);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  // most_common(1) is max() over insertion order: among equal counts the first seen wins.
  let [mostFrequent, best] = ['', 0];
  for (const [key, n] of counts) if (n > best) [mostFrequent, best] = [key, n];
  return { mostFrequent, count: best, all: new Set(counts.keys()) };
}
