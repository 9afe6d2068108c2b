/**
 * Writes demo-world splits in the on-disk format the training tools read:
 *   DIR/{split}/captions.json   COCO captions (+ each image's scene), DIR/{split}/images/NNNNNN.png
 * Each split has its own seed and id range, and scenes are assigned to splits by a hash of their
 * content, so no test scene (ignoring jitter) ever occurs in training, whatever the counts.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { CAPTIONS_PER_IMAGE, captionScene } from './captions.js';
import { IMAGE_SIZE } from './palette.js';
import { mixSeed, Rng } from './prng.js';
import { encodePng, renderScene } from './render.js';
import { generateScene, type Scene, sceneJson, sceneKey } from './scene.js';

export const GENERATOR_VERSION = 1;
export const SPLITS = ['train', 'val', 'test'] as const;
export type Split = (typeof SPLITS)[number];
export const DEFAULT_COUNTS: Record<Split, number> = { train: 20000, val: 1000, test: 1000 };
/** Image ids: train 1.., val 1000001.., test 2000001.. — unique across splits. */
const ID_BASE: Record<Split, number> = { train: 0, val: 1_000_000, test: 2_000_000 };
/** Out of 20 content buckets, test owns one, val one, train the other 18. */
const BUCKETS = 20;
const SPLIT_OF_BUCKET = (bucket: number): Split => (bucket === 0 ? 'test' : bucket === 1 ? 'val' : 'train');

export interface DemoImage {
  id: number;
  fileName: string;
  scene: Scene;
  captions: string[];
}

/** Which split a scene belongs to, decided by its content alone. */
export function splitOfScene(scene: Scene): Split {
  let h = 0;
  for (const ch of sceneKey(scene)) h = mixSeed(h, ch.charCodeAt(0));
  return SPLIT_OF_BUCKET(h % BUCKETS);
}

/**
 * The index-th image (0-based) of a split: its own random stream, so any image can be made
 * without the ones before it; scenes of other splits are drawn again.
 */
export function demoImage(split: Split, seed: number, index: number): DemoImage {
  const splitSeed = mixSeed(seed, SPLITS.indexOf(split) + 1);
  const rng = new Rng(mixSeed(splitSeed, index));
  let scene = generateScene(rng);
  while (splitOfScene(scene) !== split) scene = generateScene(rng);
  // Captions draw from their own stream so caption wording can change without moving scenes.
  const captions = captionScene(scene, new Rng(mixSeed(splitSeed, index, 0xca9)));
  return { id: ID_BASE[split] + index + 1, fileName: `${String(index + 1).padStart(6, '0')}.png`, scene, captions };
}

export interface WriteOptions {
  split: Split;
  count: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SplitFiles {
  /** The COCO captions file to write. */
  captionsFile: string;
  /** Folder the PNGs go into; captions.json's file_name values are relative to it. */
  imagesDir: string;
}

/** PNG encodes in flight at once: enough to keep sharp's threads busy on a 2-core machine. */
const IN_FLIGHT = 8;

/** Writes DIR/{split}/captions.json and DIR/{split}/images/. */
export function writeDemoDataset(outDir: string, options: WriteOptions): Promise<SplitFiles> {
  const dir = join(outDir, options.split);
  return writeDemoSplit({ captionsFile: join(dir, 'captions.json'), imagesDir: join(dir, 'images') }, options);
}

/** Writes one split to the given places; images stream to disk, captions.json appears last. */
export async function writeDemoSplit(files: SplitFiles, { split, count, seed, onProgress }: WriteOptions): Promise<SplitFiles> {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`count must be a whole number ≥ 0, not ${count}`);
  await mkdir(files.imagesDir, { recursive: true });
  const partial = `${files.captionsFile}.partial`;
  const out = createWriteStream(partial);
  const annotations: string[] = [];
  const info = { description: 'Roundtrip demo world: synthetic shapes scenes', generator: 'roundtrip-demo-world', generator_version: GENERATOR_VERSION, seed, split, count, width: IMAGE_SIZE, height: IMAGE_SIZE, captions_per_image: CAPTIONS_PER_IMAGE };
  await write(out, `{"info":${JSON.stringify(info)},\n"images":[`);

  const pending: Promise<unknown>[] = [];
  for (let index = 0; index < count; index++) {
    const image = demoImage(split, seed, index);
    const entry = { id: image.id, file_name: image.fileName, width: IMAGE_SIZE, height: IMAGE_SIZE, scene: sceneJson(image.scene) };
    await write(out, `${index ? ',' : ''}\n${JSON.stringify(entry)}`);
    image.captions.forEach((caption, k) => annotations.push(JSON.stringify({ id: image.id * 10 + k, image_id: image.id, caption })));
    pending.push(encodePng(renderScene(image.scene)).then((png) => writeFile(join(files.imagesDir, image.fileName), png)));
    if (pending.length >= IN_FLIGHT) await Promise.all(pending.splice(0));
    onProgress?.(index + 1, count);
  }
  await Promise.all(pending);
  await write(out, `\n],\n"annotations":[${annotations.map((a) => `\n${a}`).join(',')}\n]}\n`);
  out.end();
  await once(out, 'close');
  await rename(partial, files.captionsFile);
  return files;
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}
