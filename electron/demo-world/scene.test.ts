import { describe, expect, it } from 'vitest';
import { allowedColours, SIZE_PX } from './palette.js';
import { mixSeed, Rng } from './prng.js';
import { compareMain, generateScene, mainObject, sceneKey } from './scene.js';

const scenes = Array.from({ length: 2000 }, (_, i) => generateScene(new Rng(mixSeed(5, i))));

describe('generateScene', () => {
  it('is deterministic from the seed', () => {
    expect(generateScene(new Rng(99))).toEqual(generateScene(new Rng(99)));
    expect(sceneKey(generateScene(new Rng(99)))).not.toBe(sceneKey(generateScene(new Rng(100))));
  });

  it('places 1–3 objects in distinct cells, apart, in colours the background allows', () => {
    for (const scene of scenes) {
      expect(scene.objects.length).toBeGreaterThanOrEqual(1);
      expect(scene.objects.length).toBeLessThanOrEqual(3);
      expect(new Set(scene.objects.map((o) => `${o.x}${o.y}`)).size).toBe(scene.objects.length);
      for (const o of scene.objects) expect(allowedColours(scene.background)).toContain(o.colour);
      for (const a of scene.objects) {
        for (const b of scene.objects) {
          if (a === b) continue;
          const reach = (SIZE_PX[a.size] + SIZE_PX[b.size]) / 2;
          expect(Math.abs(a.cx - b.cx) >= reach || Math.abs(a.cy - b.cy) >= reach).toBe(true);
        }
      }
    }
  });

  it('covers every count and sometimes repeats an object exactly', () => {
    const counts = new Set(scenes.map((s) => s.objects.length));
    expect([...counts].sort()).toEqual([1, 2, 3]);
    const repeats = scenes.filter((s) => new Set(s.objects.map((o) => `${o.size} ${o.colour} ${o.shape}`)).size < s.objects.length);
    expect(repeats.length / scenes.length).toBeGreaterThan(0.1);
  });

  it('puts the main object (largest, then leftmost, then topmost) first', () => {
    for (const scene of scenes) {
      const main = mainObject(scene);
      for (const other of scene.objects) expect(compareMain(main, other)).toBeLessThanOrEqual(0);
    }
  });
});
