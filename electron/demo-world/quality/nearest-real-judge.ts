/**
 * The second way to judge a generated image: by its nearest real test image. An image
 * counts as showing the caption's main object when the real test image closest to it — cosine of
 * the demo image embedder's features, the source image of its own caption left out — has a main
 * object of that colour (and shape). The pixel rules (judge.ts, TemplateJudge) need crisp blobs of
 * at least 12 pixels, so the autoencoder's blur alone costs them about 30% of real images; this rule
 * asks instead which real scene a picture most resembles, the way a person sorting them would.
 * Leaving the source out keeps it strict: matching the caption's own photograph by background and
 * layout earns nothing — the neighbour has to be another scene whose main object agrees.
 */
import type { ImageEmbedder } from '../../inference/embedders/index.js';
import type { SceneObject } from '../scene.js';
import type { RgbImage } from './split-records.js';

export interface NearestRealShares {
  images: number;
  colour: number;
  colourAndShape: number;
}

export class NearestRealJudge {
  private constructor(
    private readonly embedder: ImageEmbedder,
    private readonly realVectors: readonly Float32Array[],
    private readonly realMains: readonly SceneObject[],
  ) {}

  /** `realImages[i]`'s main object is `realMains[i]` (scene.objects[0]). */
  static async build(embedder: ImageEmbedder, realImages: readonly RgbImage[], realMains: readonly SceneObject[]): Promise<NearestRealJudge> {
    if (realImages.length !== realMains.length) throw new Error(`nearest-real judge: ${realImages.length} images but ${realMains.length} main objects`);
    if (realImages.length < 2) throw new Error('nearest-real judge: needs at least two real images');
    return new NearestRealJudge(embedder, await embedder.embedImages(realImages), realMains);
  }

  /** Index of the real image nearest to `vector`, skipping `exclude`. Embeddings are unit length. */
  nearest(vector: Float32Array, exclude: number): number {
    let [best, bestScore] = [-1, -Infinity];
    this.realVectors.forEach((real, i) => {
      if (i === exclude) return;
      let dot = 0;
      for (let d = 0; d < real.length; d++) dot += real[d]! * vector[d]!;
      if (dot > bestScore) [best, bestScore] = [i, dot];
    });
    return best;
  }

  /** `sources[i]`: the index among the real images of the scene image i was made from (left out). */
  async shares(images: readonly RgbImage[], wanted: readonly SceneObject[], sources: readonly number[]): Promise<NearestRealShares> {
    const vectors = images.length ? await this.embedder.embedImages(images) : [];
    let [colour, both] = [0, 0];
    vectors.forEach((vector, i) => {
      const main = this.realMains[this.nearest(vector, sources[i]!)]!;
      const sameColour = main.colour === wanted[i]!.colour;
      colour += +sameColour;
      both += +(sameColour && main.shape === wanted[i]!.shape);
    });
    const n = vectors.length;
    return { images: n, colour: n ? colour / n : 0, colourAndShape: n ? both / n : 0 };
  }
}
