import { describe, expect, it } from 'vitest';
import { judgeScene } from '../judge.js';
import { renderRecord, splitRecords } from './split-records.js';
import { blobs, maskFeature, TemplateJudge } from './template-judge.js';

const train = splitRecords('train', 600);
const judge = TemplateJudge.learn(train.map((r) => ({ image: renderRecord(r), scene: r.scene })));
const test = splitRecords('test', 150);

describe('blobs (evaluate.py components)', () => {
  it('finds one blob per object of a clean render, with the object colour as its median', () => {
    for (const record of test.slice(0, 40)) {
      const found = blobs(renderRecord(record));
      expect(found).toHaveLength(record.scene.objects.length);
    }
    const image = { rgb: new Uint8Array(16 * 16 * 3), width: 16, height: 16 };
    for (let y = 4; y < 8; y++) for (let x = 2; x < 7; x++) image.rgb.set([200, 10, 10], (y * 16 + x) * 3);
    image.rgb.set([250, 0, 0], (4 * 16 + 2) * 3);
    expect(blobs(image)).toMatchObject([{ width: 5, height: 4, pixels: 20, colour: [200, 10, 10], cx: 4, cy: 5.5 }]);
  });

  it('drops blobs under 12 pixels and takes the most common border colour as background', () => {
    const image = { rgb: new Uint8Array(16 * 16 * 3).fill(120), width: 16, height: 16 };
    for (let x = 0; x < 11; x++) image.rgb.set([255, 255, 255], (8 * 16 + 2 + x) * 3); // 11 px: noise
    expect(blobs(image)).toEqual([]);
  });
});

describe('maskFeature', () => {
  it('is the 8×8 box-resized fill pattern in [0, 1]', () => {
    const full = maskFeature({ mask: new Uint8Array(12 * 12).fill(1), width: 12, height: 12 });
    expect(Array.from(full)).toEqual(new Array(64).fill(1));
  });
});

describe('TemplateJudge (evaluate.py Judge)', () => {
  it('learns all seven colours and five shapes, and finds the main object in clean test renders', () => {
    expect(judge.palette.size).toBe(7);
    expect(judge.templates.size).toBe(5);
    const found = test.filter((r) => judge.has(renderRecord(r), r.scene.objects[0]!.colour, r.scene.objects[0]!.shape).colourAndShape);
    expect(found.length / test.length).toBeGreaterThanOrEqual(0.97);
  });

  it('rejects a wrong colour or a wrong shape', () => {
    const record = test.find((r) => r.scene.objects.length === 1)!;
    const main = record.scene.objects[0]!;
    const image = renderRecord(record);
    const otherColour = main.colour === 'red' ? 'green' : 'red';
    const otherShape = main.shape === 'star' ? 'square' : 'star';
    expect(judge.has(image, otherColour, main.shape)).toEqual({ colour: false, colourAndShape: false });
    expect(judge.has(image, main.colour, otherShape)).toEqual({ colour: true, colourAndShape: false });
  });

  it('agrees with judge.ts on clean renders (the two rules differ on blurred, noisy images)', () => {
    const agree = test.filter((r) => {
      const image = renderRecord(r);
      const main = r.scene.objects[0]!;
      return judge.has(image, main.colour, main.shape).colourAndShape === judgeScene(image.rgb, main).appears;
    });
    expect(agree.length / test.length).toBeGreaterThanOrEqual(0.95);
  });
});
