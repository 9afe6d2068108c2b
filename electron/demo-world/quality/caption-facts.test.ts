import { describe, expect, it } from 'vitest';
import { GRID_CENTRES } from '../palette.js';
import type { Scene, SceneObject } from '../scene.js';
import { PLAIN_POSITIONS } from '../vocabulary.js';
import { backgroundOf, factShares, judgeFacts, statedCells, statesBackground, statesCount, statesMainPosition, thirdOf } from './caption-facts.js';
import { renderRecord, splitRecords } from './split-records.js';
import { TemplateJudge } from './template-judge.js';

const object = (colour: SceneObject['colour'], x: SceneObject['x'], y: SceneObject['y'], shape: SceneObject['shape'] = 'star'): SceneObject => ({ shape, colour, size: 'small', x, y, cx: 12 + 20 * x, cy: 12 + 20 * y });
const scene = (background: Scene['background'], ...objects: SceneObject[]): Scene => ({ background, objects });

describe('what a caption states', () => {
  it('background: only specific words, "dark blue" for navy but not "dark" alone', () => {
    expect(statesBackground('a red star on a dark blue background', 'navy')).toBe(true);
    expect(statesBackground('a red star on a dark background', 'navy')).toBe(false);
    expect(statesBackground('a red star on a dark background', 'black')).toBe(false);
    expect(statesBackground('a gray picture with a red star', 'grey')).toBe(true);
    expect(statesBackground('a red star against a sand coloured background', 'sand')).toBe(true);
    expect(statesBackground('a red star on a pale background', 'sand')).toBe(false);
  });

  it('cells: longest phrase first, so "at the top left" is not also "at the top"', () => {
    expect([...statedCells('a red star at the top left and a blue box at the top')].sort()).toEqual(['0,0', '1,0']);
    expect([...statedCells('a red star in the middle of the left side')]).toEqual(['0,1']);
    expect([...statedCells('a red star near a corner')]).toEqual([]);
    const s = scene('grey', object('red', 1, 0), object('blue', 0, 0));
    expect(statesMainPosition('a blue star at the top left and a red star', s)).toBe(false);
    expect(statesMainPosition('a red star at the top and a blue star at the top left', s)).toBe(true);
  });

  it('count: counting leads, or every object named by colour with count words multiplying', () => {
    const three = scene('grey', object('red', 0, 0), object('red', 1, 0), object('blue', 2, 2));
    expect(statesCount('three shapes: two red stars and a blue star', three)).toBe(true);
    expect(statesCount('two red stars and a blue star', three)).toBe(true);
    expect(statesCount('a red star and a blue star', three)).toBe(false);
    expect(statesCount('a pair of things: a red star and a blue star', three)).toBe(false);
    expect(statesCount('a single red star', scene('grey', object('red', 0, 0)))).toBe(true);
    expect(statesCount('a red star on a dark blue background', scene('navy', object('red', 0, 0)))).toBe(true);
    expect(statesCount('something red with another thing', scene('grey', object('red', 0, 0), object('blue', 1, 1)))).toBe(false);
  });
});

describe('judging the facts on pixels', () => {
  const train = splitRecords('train', 400);
  const judge = TemplateJudge.learn(train.map((r) => ({ image: renderRecord(r), scene: r.scene })));
  const test = splitRecords('test', 300);

  it('every stated fact holds on the real test renders, and each fact is stated by some captions', () => {
    const judged = test.flatMap((r) => r.captions.map((c) => judgeFacts(renderRecord(r), r.scene, c, judge)));
    const shares = factShares(judged);
    for (const key of ['background', 'position', 'count'] as const) {
      expect(shares[key].judged).toBeGreaterThan(150);
      expect(shares[key].share).toBe(1);
    }
    expect(shares.colourAndShape.share).toBeGreaterThan(0.97);
  });

  it('a wrong background, a moved main object or a missing object fails its fact', () => {
    const record = test.find((r) => r.scene.objects.length === 2 && r.scene.objects[0]!.colour !== r.scene.objects[1]!.colour)!;
    const [main, other] = record.scene.objects as [SceneObject, SceneObject];
    const truth: Scene = { background: 'black', objects: [main, other] };
    const caption = `a ${main.colour} ${main.shape} ${PLAIN_POSITIONS[main.y]![main.x]![0]} and a ${other.colour} ${other.shape} on a black background`;
    const draw = (s: Scene) => judgeFacts(renderRecord({ ...record, scene: s }), truth, caption, judge);
    expect(draw(truth)).toEqual({ colourAndShape: true, background: true, position: true, count: true });
    expect(draw({ ...truth, background: 'sand' })).toEqual({ colourAndShape: true, background: false, position: true, count: true });
    const free = [0, 1, 2, 3, 4, 5, 6, 7, 8].find((c) => c !== main.y * 3 + main.x && c !== other.y * 3 + other.x && Math.abs((c % 3) - other.x) + Math.abs(Math.floor(c / 3) - other.y) > 1)!;
    const [x, y] = [free % 3, Math.floor(free / 3)] as [SceneObject['x'], SceneObject['y']];
    const moved = { ...main, x, y, cx: GRID_CENTRES[x], cy: GRID_CENTRES[y] };
    expect(draw({ ...truth, objects: [moved, other] })).toEqual({ colourAndShape: true, background: true, position: false, count: true });
    expect(draw({ ...truth, objects: [main] }).count).toBe(false);
    expect(draw({ ...truth, objects: [other] }).colourAndShape).toBe(false);
    expect(backgroundOf(renderRecord({ ...record, scene: { ...truth, background: 'navy' } }))).toBe('navy');
    expect([thirdOf(21.3, 64), thirdOf(21.4, 64), thirdOf(63, 64)]).toEqual([0, 1, 2]);
  });
});
