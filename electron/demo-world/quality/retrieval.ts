/**
 * Retrieval recall@1 as evaluate.py measures the demo embedders: within each group of
 * `groupSize` consecutive test images, similarity = dot product of the (L2-normalised)
 * embeddings of every image with every caption of the same index k; image → text is right when
 * an image's best caption is its own, text → image when a caption's best image is its own.
 * One trial per (group, caption index); figures are means over trials.
 */

export interface RecallTrial {
  group: number;
  captionIndex: number;
  imageToText: number;
  textToImage: number;
}

export interface RecallSummary {
  trials: RecallTrial[];
  imageToText: number;
  textToImage: number;
  minImageToText: number;
  maxImageToText: number;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Recall@1 both ways for images[i] ↔ texts[i] (argmax: first best on ties, as numpy). */
export function recallAt1(images: readonly Float32Array[], texts: readonly Float32Array[]): { imageToText: number; textToImage: number } {
  const n = images.length;
  if (n === 0 || texts.length !== n) throw new RangeError(`recall needs as many texts as images (got ${texts.length} for ${n})`);
  const sim = images.map((image) => texts.map((text) => dot(image, text)));
  let i2t = 0;
  let t2i = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < n; j++) if (sim[i]![j]! > sim[i]![best]!) best = j;
    if (best === i) i2t++;
    let bestImage = 0;
    for (let j = 1; j < n; j++) if (sim[j]![i]! > sim[bestImage]![i]!) bestImage = j;
    if (bestImage === i) t2i++;
  }
  return { imageToText: i2t / n, textToImage: t2i / n };
}

/**
 * @param images one embedding per test image
 * @param textsByIndex textsByIndex[k][i] = embedding of caption k of image i
 */
export function groupedRecall(images: readonly Float32Array[], textsByIndex: readonly (readonly Float32Array[])[], groupSize = 100): RecallSummary {
  const groups = Math.floor(images.length / groupSize);
  if (groups === 0) throw new RangeError(`need at least ${groupSize} images for recall among ${groupSize}, got ${images.length}`);
  const trials: RecallTrial[] = [];
  for (let g = 0; g < groups; g++) {
    const slice = [g * groupSize, (g + 1) * groupSize] as const;
    textsByIndex.forEach((texts, k) => {
      const r = recallAt1(images.slice(...slice), texts.slice(...slice));
      trials.push({ group: g, captionIndex: k, ...r });
    });
  }
  const mean = (f: (t: RecallTrial) => number) => trials.reduce((s, t) => s + f(t), 0) / trials.length;
  const i2t = trials.map((t) => t.imageToText);
  return { trials, imageToText: mean((t) => t.imageToText), textToImage: mean((t) => t.textToImage), minImageToText: Math.min(...i2t), maxImageToText: Math.max(...i2t) };
}
