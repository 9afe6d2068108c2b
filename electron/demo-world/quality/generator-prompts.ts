/**
 * evaluate.py's prompt choice for the generator measurement: for each test image in order, the
 * first of its captions — starting at caption (i mod 5) so every annotator style gets used — that
 * names the main object's colour and a word for its shape; images whose captions never do are
 * skipped, and the first `count` prompts are kept.
 */
import type { DemoImage } from '../dataset.js';
import type { Colour, Shape } from '../palette.js';
import type { SceneObject } from '../scene.js';
import { captionWords } from './caption-words.js';

/** The words evaluate.py accepts for each shape (SHAPE_WORDS). */
export const SHAPE_WORDS: Record<Shape, readonly string[]> = {
  circle: ['circle', 'circles', 'ball', 'balls', 'disc', 'discs'],
  square: ['square', 'squares', 'box', 'boxes', 'block', 'blocks'],
  triangle: ['triangle', 'triangles'],
  diamond: ['diamond', 'diamonds', 'rhombus', 'rhombuses'],
  star: ['star', 'stars'],
};

/** Purple objects may be called violet. */
function colourWords(colour: Colour): string[] {
  return colour === 'purple' ? ['purple', 'violet'] : [colour];
}

export interface GeneratorPrompt {
  /** Index of the image in the split. */
  index: number;
  prompt: string;
  /** The scene's main object (objects[0]), which the judge looks for. */
  main: SceneObject;
}

export function selectGeneratorPrompts(records: readonly DemoImage[], count: number): GeneratorPrompt[] {
  const prompts: GeneratorPrompt[] = [];
  for (let i = 0; i < records.length && prompts.length < count; i++) {
    const { scene, captions } = records[i]!;
    const main = scene.objects[0]!;
    for (let k = 0; k < captions.length; k++) {
      const caption = captions[(i + k) % captions.length]!;
      const words = new Set(captionWords(caption));
      if (colourWords(main.colour).some((w) => words.has(w)) && SHAPE_WORDS[main.shape].some((w) => words.has(w))) {
        prompts.push({ index: i, prompt: caption, main });
        break;
      }
    }
  }
  return prompts;
}
