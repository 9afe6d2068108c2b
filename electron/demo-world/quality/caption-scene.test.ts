import { describe, expect, it } from 'vitest';
import { captionScene } from '../captions.js';
import { describeScene, groupObjects } from '../noun-phrases.js';
import { Rng } from '../prng.js';
import { sceneKey } from '../scene.js';
import { sceneFromCaption } from './caption-scene.js';
import { splitRecords } from './split-records.js';

const records = splitRecords('test', 300);

describe('sceneFromCaption (the oracle generator’s reader)', () => {
  it('reads back the full description of every scene whose objects all differ', () => {
    const distinct = records.filter((r) => groupObjects(r.scene).every((g) => g.members.length === 1));
    expect(distinct.length).toBeGreaterThan(100);
    for (const r of distinct) expect(sceneKey(sceneFromCaption(describeScene(r.scene), new Rng(1)))).toBe(sceneKey(r.scene));
  });

  it('takes what a caption says and draws the rest from the seed', () => {
    const vague = sceneFromCaption('something red near a corner', new Rng(3));
    expect(vague.objects).toHaveLength(1);
    expect(vague.objects[0]!.colour).toBe('red');
    const counted = sceneFromCaption('three shapes on a beige background: a big green ball in the top left and two blue stars', new Rng(4));
    expect(counted.background).toBe('sand');
    expect(counted.objects.map((o) => [o.colour, o.shape])).toEqual([['green', 'circle'], ['blue', 'star'], ['blue', 'star']]);
    expect(counted.objects[0]).toMatchObject({ size: 'large', x: 0, y: 0 });
    expect(sceneFromCaption('a few shapes on a dark background', new Rng(5)).objects.length).toBeGreaterThanOrEqual(2);
    expect(sceneFromCaption('a yellow star with another thing', new Rng(6)).objects).toHaveLength(2);
    expect(sceneFromCaption('a dark blue image showing a red circle', new Rng(7))).toMatchObject({ background: 'navy', objects: [{ colour: 'red', shape: 'circle' }] });
    // same caption, same seed: same scene; another seed may fill the gaps differently
    expect(sceneFromCaption('a red star', new Rng(9))).toEqual(sceneFromCaption('a red star', new Rng(9)));
    const seeds = new Set(Array.from({ length: 10 }, (_, s) => sceneKey(sceneFromCaption('a red star', new Rng(s)))));
    expect(seeds.size).toBeGreaterThan(3);
  });

  it('keeps the main object’s stated colour and shape for nearly every reference caption', () => {
    let named = 0;
    let kept = 0;
    for (const r of records) {
      const main = r.scene.objects[0]!;
      for (const caption of captionScene(r.scene, new Rng(r.id))) {
        const words = caption.toLowerCase();
        if (!words.includes(main.colour === 'purple' ? 'purple' : main.colour)) continue;
        named++;
        if (sceneFromCaption(caption, new Rng(1)).objects.some((o) => o.colour === main.colour)) kept++;
      }
    }
    expect(kept / named).toBeGreaterThan(0.99);
  });
});
