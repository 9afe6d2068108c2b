/**
 * The image and text embedders' retrieval quality on held-out images, evaluate.py's protocol
 * through onnxruntime-node: recall@1 among 100 (groups of 100 consecutive test images × caption
 * index 0..4), both ways, and image → text with each image's longest caption as its text.
 */
import type { ImageEmbedder, TextEmbedder } from '../../inference/embedders/index.js';
import type { DemoImage } from '../dataset.js';
import { groupedRecall } from './retrieval.js';
import type { RgbImage } from './split-records.js';

export interface EmbedderQuality {
  testImages: number;
  groupSize: number;
  trials: number;
  imageToText: number;
  textToImage: number;
  minImageToText: number;
  maxImageToText: number;
  imageToTextLongestCaption: number;
  seconds: number;
}

/** Python's max(captions, key=len): the first of the longest. */
function longest(captions: readonly string[]): string {
  return captions.reduce((best, c) => (c.length > best.length ? c : best), captions[0]!);
}

export async function measureEmbedders(images: ImageEmbedder, texts: TextEmbedder, test: readonly DemoImage[], testImages: readonly RgbImage[], groupSize = 100): Promise<EmbedderQuality> {
  const started = performance.now();
  const imageVectors = await images.embedImages(testImages);
  const perIndex = Math.min(...test.map((r) => r.captions.length));
  const textVectors: Float32Array[][] = [];
  for (let k = 0; k < perIndex; k++) textVectors.push(await texts.embedTexts(test.map((r) => r.captions[k]!)));
  const all = groupedRecall(imageVectors, textVectors, groupSize);
  const long = groupedRecall(imageVectors, [await texts.embedTexts(test.map((r) => longest(r.captions)))], groupSize);
  return {
    testImages: test.length,
    groupSize,
    trials: all.trials.length,
    imageToText: all.imageToText,
    textToImage: all.textToImage,
    minImageToText: all.minImageToText,
    maxImageToText: all.maxImageToText,
    imageToTextLongestCaption: long.imageToText,
    seconds: (performance.now() - started) / 1000,
  };
}
