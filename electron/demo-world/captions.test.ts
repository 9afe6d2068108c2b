import { describe, expect, it } from 'vitest';
import { CAPTIONS_PER_IMAGE, captionScene } from './captions.js';
import { describeScene } from './noun-phrases.js';
import { mixSeed, Rng } from './prng.js';
import { generateScene, mainObject, type Scene } from './scene.js';
import { PRECISE_WORDS } from './vocabulary.js';

const N = 1500;
const items = Array.from({ length: N }, (_, i) => {
  const scene = generateScene(new Rng(mixSeed(3, i)));
  return { scene, captions: captionScene(scene, new Rng(mixSeed(4, i))) };
});
const words = (text: string) => text.split(/[^a-z]+/).filter(Boolean);

describe('captionScene', () => {
  it('writes five different lowercase captions per image, the same for the same seed', () => {
    for (const { scene, captions } of items.slice(0, 200)) {
      expect(captions).toHaveLength(CAPTIONS_PER_IMAGE);
      expect(new Set(captions).size).toBeGreaterThanOrEqual(4);
      for (const c of captions) expect(c).toMatch(/^[a-z][a-z ,:.]*$/);
      expect(captionScene(scene, new Rng(7))).toEqual(captionScene(scene, new Rng(7)));
    }
  });

  it("names the main object's colour in at least four of five captions", () => {
    for (const { scene, captions } of items) {
      const colour = mainObject(scene).colour;
      const naming = captions.filter((c) => words(c).includes(colour) || (colour === 'purple' && words(c).includes('violet')));
      expect(naming.length, captions.join(' | ')).toBeGreaterThanOrEqual(4);
    }
  });

  it('keeps the vocabulary small enough for tiny models', () => {
    const vocabulary = new Set(items.flatMap(({ captions }) => captions.flatMap(words)));
    expect(vocabulary.size).toBeGreaterThan(80);
    expect(vocabulary.size).toBeLessThanOrEqual(150);
  });

  it('often has one annotator use a precise word the others for the same image lack', () => {
    const precise = new Set<string>(PRECISE_WORDS);
    const withLoneExpert = items.filter(({ captions }) =>
      captions.some((c, i) => words(c).some((w) => precise.has(w) && captions.every((other, j) => j === i || !words(other).includes(w)))),
    );
    expect(withLoneExpert.length / N).toBeGreaterThan(0.4);
  });

  it('varies wording: the same scene content gets many different captions', () => {
    const starts = new Set(items.flatMap(({ captions }) => captions.map((c) => words(c).slice(0, 2).join(' '))));
    expect(starts.size).toBeGreaterThan(40);
  });
});

describe('describeScene', () => {
  it('names every object with size, colour, shape and place, and the background', () => {
    const scene: Scene = {
      background: 'grey',
      objects: [
        { shape: 'circle', colour: 'red', size: 'large', x: 0, y: 1, cx: 12, cy: 32 },
        { shape: 'square', colour: 'blue', size: 'small', x: 0, y: 0, cx: 12, cy: 12 },
        { shape: 'square', colour: 'blue', size: 'small', x: 2, y: 0, cx: 52, cy: 12 },
      ],
    };
    expect(describeScene(scene)).toBe('a large red circle on the left and two small blue squares along the top on a grey background');
  });
});
