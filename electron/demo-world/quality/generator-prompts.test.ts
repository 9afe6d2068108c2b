import { describe, expect, it } from 'vitest';
import type { DemoImage } from '../dataset.js';
import type { SceneObject } from '../scene.js';
import { selectGeneratorPrompts } from './generator-prompts.js';
import { splitRecords } from './split-records.js';

const object = (colour: SceneObject['colour'], shape: SceneObject['shape']): SceneObject => ({ colour, shape, size: 'large', x: 0, y: 0, cx: 12, cy: 12 });
const record = (main: SceneObject, captions: string[]): DemoImage => ({ id: 1, fileName: 'x.png', scene: { background: 'black', objects: [main] }, captions });

describe('selectGeneratorPrompts (evaluate.py)', () => {
  it("takes the first caption from (i mod 5) on that names the main object's colour and shape", () => {
    const caps = ['a red disc', 'something red', 'a red ball.', 'a circle', 'a red circle'];
    const picked = selectGeneratorPrompts([record(object('red', 'circle'), caps), record(object('red', 'circle'), caps), record(object('red', 'circle'), caps)], 5);
    // image 0 starts at caption 0, image 1 at caption 1 (skips "something red"), image 2 at caption 2.
    expect(picked.map((p) => p.prompt)).toEqual(['a red disc', 'a red ball.', 'a red ball.']);
  });

  it('accepts violet for purple, skips images whose captions never qualify, stops at the count', () => {
    const records = [record(object('purple', 'star'), ['a violet star']), record(object('blue', 'square'), ['a blue thing', 'a square']), record(object('green', 'diamond'), ['a green rhombus']), record(object('red', 'star'), ['a red star'])];
    expect(selectGeneratorPrompts(records, 2).map((p) => [p.index, p.prompt])).toEqual([
      [0, 'a violet star'],
      [2, 'a green rhombus'],
    ]);
  });

  it('finds prompts for most test images', () => {
    const records = splitRecords('test', 100);
    const picked = selectGeneratorPrompts(records, 100);
    expect(picked.length).toBeGreaterThan(60);
    for (const p of picked) expect(p.main).toBe(records[p.index]!.scene.objects[0]);
  });
});
