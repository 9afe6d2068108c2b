/**
 * The generator's quality on held-out captions, evaluate.py's protocol through onnxruntime-node:
 * for test captions that name the main object's colour and shape, seeded DDIM images judged for
 * that colour and for colour and shape; the same judges on the real test images and on their VAE
 * reconstructions (encode → decode, no diffusion) as ceilings; and how far apart two seeds'
 * images of the same caption are. Pixel judges: judge.ts (`judgeScene`, the app's rule) and
 * TemplateJudge (evaluate.py's rule, learned from training images), whose figures compare with
 * resources/demo/README.md; and, given one, the nearest-real-test-image judge.
 */
import type { Generator } from '../../inference/generator/generator.js';
import type { Latents } from '../../inference/generator/vae.js';
import type { DemoImage } from '../dataset.js';
import { judgeScene } from '../judge.js';
import type { SceneObject } from '../scene.js';
import { type GeneratorPrompt, selectGeneratorPrompts } from './generator-prompts.js';
import { type FactJudgement, type FactShare, factShares, judgeFacts } from './caption-facts.js';
import { meanAbsoluteDifference } from './pixel-difference.js';
import type { RgbImage } from './split-records.js';
import type { NearestRealJudge, NearestRealShares } from './nearest-real-judge.js';
import type { TemplateJudge } from './template-judge.js';

export interface GeneratorSettings {
  prompts: number;
  /** Real test images judged, and reconstructed by the VAE (evaluate.py: 200). */
  ceilingImages: number;
  steps: number;
  guidance: number;
  /** Image i of the main set uses seed seedBase + i. */
  seedBase: number;
  /** Prompts drawn with two seeds each for the seed-difference check. */
  pairs: number;
  batch: number;
  onProgress?: (what: string, done: number, total: number) => void;
}

/** evaluate.py's protocol; steps and guidance are the generator's app defaults (its manifest's runDefaults) where the caller has them. */
export const DEFAULT_GENERATOR_SETTINGS: GeneratorSettings = { prompts: 200, ceilingImages: 200, steps: 25, guidance: 4, seedBase: 1234, pairs: 20, batch: 50 };

/** Shares of images in which each judge finds what it is asked for. */
export interface JudgedShares {
  images: number;
  /** evaluate.py's rule (TemplateJudge): some blob has the colour / the colour and the shape. */
  pythonRule: { colour: number; colourAndShape: number };
  /** judge.ts read the same way (some detected object), and strictly (the detected main object). */
  tsJudge: { anyColour: number; anyColourAndShape: number; mainColour: number; mainColourAndShape: number };
  /** The nearest real test image (own source left out) has that main colour / colour and shape. */
  nearestReal?: NearestRealShares;
}

export interface GeneratorQuality {
  sampler: string;
  vaeScaleFactor: number;
  generated: JudgedShares;
  /** caption-facts.ts: each stated fact of the prompt, checked on the generated image / on the prompt's real image. */
  facts: { generated: Record<keyof FactJudgement, FactShare>; realImages: Record<keyof FactJudgement, FactShare> };
  realTestImages: JudgedShares;
  vaeReconstructions: JudgedShares;
  seedPairs: { pairs: number; meanAbsolutePixelDifference: number; shareDifferingByMoreThan2: number };
  examples: { prompt: string; main: string; pythonRule: boolean; tsJudge: boolean }[];
  seconds: { generation: number; perImage: number; ceilings: number; seedPairs: number };
  /** The generated images of the main set, for a contact sheet. */
  images: RgbImage[];
}

export function judgeShares(images: readonly RgbImage[], mains: readonly SceneObject[], template: TemplateJudge): JudgedShares {
  const n = images.length;
  const count = { pyColour: 0, pyBoth: 0, anyColour: 0, anyBoth: 0, mainColour: 0, mainBoth: 0 };
  images.forEach((image, i) => {
    const main = mains[i]!;
    const py = template.has(image, main.colour, main.shape);
    const ts = judgeScene(image.rgb, main);
    count.pyColour += +py.colour;
    count.pyBoth += +py.colourAndShape;
    count.anyColour += +ts.objects.some((o) => o.colour === main.colour);
    count.anyBoth += +ts.appears;
    count.mainColour += +ts.colourOk;
    count.mainBoth += +ts.ok;
  });
  const share = (k: number) => (n ? k / n : 0);
  return {
    images: n,
    pythonRule: { colour: share(count.pyColour), colourAndShape: share(count.pyBoth) },
    tsJudge: { anyColour: share(count.anyColour), anyColourAndShape: share(count.anyBoth), mainColour: share(count.mainColour), mainColourAndShape: share(count.mainBoth) },
  };
}

async function generateAll(generator: Generator, prompts: string[], seeds: number[], settings: GeneratorSettings, what: string): Promise<RgbImage[]> {
  const out: RgbImage[] = [];
  for (let i = 0; i < prompts.length; i += settings.batch) {
    const images = await generator.generate(prompts.slice(i, i + settings.batch), { seeds: seeds.slice(i, i + settings.batch), steps: settings.steps, guidanceScale: settings.guidance, scheduler: 'ddim' });
    out.push(...images);
    settings.onProgress?.(what, out.length, prompts.length);
  }
  return out;
}

/** Encode → decode every image (the VAE alone), batching the decoder. */
async function reconstruct(generator: Generator, images: readonly RgbImage[]): Promise<RgbImage[]> {
  const latents: Latents[] = [];
  for (const image of images) latents.push(await generator.encodeImage(image));
  if (latents.length === 0) return [];
  const [, c, h, w] = latents[0]!.dims;
  const data = new Float32Array(latents.length * c * h * w);
  latents.forEach((l, i) => data.set(l.data, i * c * h * w));
  return generator.decodeLatents({ data, dims: [latents.length, c, h, w] });
}

/** `nearestReal` judges against all of `testImages`; without it that judge is left out. */
export async function measureGenerator(
  generator: Generator,
  test: readonly DemoImage[],
  testImages: readonly RgbImage[],
  template: TemplateJudge,
  settings: GeneratorSettings = DEFAULT_GENERATOR_SETTINGS,
  nearestReal?: NearestRealJudge,
): Promise<GeneratorQuality> {
  const chosen: GeneratorPrompt[] = selectGeneratorPrompts(test, settings.prompts);
  const prompts = chosen.map((p) => p.prompt);
  const mains = chosen.map((p) => p.main);

  let started = performance.now();
  const images = await generateAll(generator, prompts, prompts.map((_, i) => settings.seedBase + i), settings, 'generate');
  const generationSeconds = (performance.now() - started) / 1000;
  const generated = judgeShares(images, mains, template);
  const facts = {
    generated: factShares(chosen.map((p, i) => judgeFacts(images[i]!, test[p.index]!.scene, p.prompt, template))),
    realImages: factShares(chosen.map((p) => judgeFacts(testImages[p.index]!, test[p.index]!.scene, p.prompt, template))),
  };
  if (nearestReal) generated.nearestReal = await nearestReal.shares(images, mains, chosen.map((p) => p.index));

  started = performance.now();
  const ceilingCount = Math.min(settings.ceilingImages, test.length);
  const real = testImages.slice(0, ceilingCount);
  const realMains = test.slice(0, ceilingCount).map((r) => r.scene.objects[0]!);
  const realTestImages = judgeShares(real, realMains, template);
  const reconstructions = await reconstruct(generator, real);
  const vaeReconstructions = judgeShares(reconstructions, realMains, template);
  if (nearestReal) {
    const own = real.map((_, i) => i);
    realTestImages.nearestReal = await nearestReal.shares(real, realMains, own);
    vaeReconstructions.nearestReal = await nearestReal.shares(reconstructions, realMains, own);
  }
  const ceilingSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const pairPrompts = prompts.slice(0, settings.pairs);
  const a = await generateAll(generator, pairPrompts, pairPrompts.map((_, i) => 2 * i + 1), settings, 'seed pairs a');
  const b = await generateAll(generator, pairPrompts, pairPrompts.map((_, i) => 2 * i + 2), settings, 'seed pairs b');
  const differences = a.map((image, i) => meanAbsoluteDifference(image.rgb, b[i]!.rgb));
  const seedSeconds = (performance.now() - started) / 1000;

  return {
    sampler: `DDIM ${settings.steps} steps, guidance ${settings.guidance}, seeded latents (seed ${settings.seedBase} + i)`,
    vaeScaleFactor: generator.vaeScaleFactor,
    generated,
    facts,
    realTestImages,
    vaeReconstructions,
    seedPairs: {
      pairs: differences.length,
      meanAbsolutePixelDifference: differences.length ? differences.reduce((s, d) => s + d, 0) / differences.length : 0,
      shareDifferingByMoreThan2: differences.length ? differences.filter((d) => d > 2).length / differences.length : 0,
    },
    examples: chosen.slice(0, 10).map((p, i) => ({
      prompt: p.prompt,
      main: `${p.main.size} ${p.main.colour} ${p.main.shape}`,
      pythonRule: template.has(images[i]!, p.main.colour, p.main.shape).colourAndShape,
      tsJudge: judgeScene(images[i]!.rgb, p.main).appears,
    })),
    seconds: { generation: generationSeconds, perImage: images.length ? generationSeconds / images.length : 0, ceilings: ceilingSeconds, seedPairs: seedSeconds },
    images,
  };
}
