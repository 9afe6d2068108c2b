/**
 * Noun phrases for the objects of a scene: identical objects are grouped ("two red circles"),
 * and each group can be said with or without size and position, in any register. Also the
 * canonical description of a scene, which always takes the first, plainest word.
 */
import type { Cell, Colour, Shape, Size } from './palette.js';
import { Rng } from './prng.js';
import type { Scene, SceneObject } from './scene.js';
import { backgroundWord, colourWord, countWord, linePhrase, positionPhrase, type Register, shapeNoun, sizeWord, withArticle } from './vocabulary.js';

export interface Group {
  shape: Shape;
  colour: Colour;
  size: Size;
  members: SceneObject[];
}

/** Identical objects (same shape, colour and size) as one group; the main object's group first. */
export function groupObjects(scene: Scene): Group[] {
  const groups: Group[] = [];
  for (const o of scene.objects) {
    const same = groups.find((g) => g.shape === o.shape && g.colour === o.colour && g.size === o.size);
    if (same) same.members.push(o);
    else groups.push({ shape: o.shape, colour: o.colour, size: o.size, members: [o] });
  }
  return groups;
}

export interface PhraseOptions {
  register: Register;
  size: boolean;
  position: boolean;
}

export function nounPhrase(group: Group, { register, size, position }: PhraseOptions, rng: Rng): string {
  const n = group.members.length;
  const words = [...(size ? [sizeWord(group.size, rng)] : []), colourWord(group.colour, register), shapeNoun(group.shape, register, rng, n > 1)];
  let phrase = n === 1 ? withArticle(words.join(' ')) : `${countWord(n, register === 'vague' ? 'vague' : 'plain', rng)} ${words.join(' ')}`;
  if (position) {
    const where = groupPosition(group, register, rng);
    if (where) phrase += ` ${where}`;
  }
  return phrase;
}

/** Where a group is: one object's cell, or the line several share; undefined if scattered. */
export function groupPosition(group: Group, register: Register, rng: Rng): string | undefined {
  const [first, ...others] = group.members;
  if (others.length === 0) return positionPhrase(first!.x as Cell, first!.y as Cell, register, rng);
  return linePhrase(group.members, rng);
}

export function joinList(items: readonly string[], rng: Rng): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length === 2) return `${items[0]} ${rng.pick(['and', 'and', 'with'])} ${items[1]}`;
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function stripArticle(phrase: string): string {
  return phrase.replace(/^an? /, '');
}

/** Always takes the first option and says yes to every "maybe": the plainest, fullest wording. */
class FirstChoice extends Rng {
  constructor() {
    super(0);
  }

  override next(): number {
    return 0;
  }
}

/**
 * The scene in one fixed sentence naming every object's size, colour, shape and place, e.g.
 * "a large red circle on the left and two small blue squares along the top on a grey background".
 * Used to judge generated images and as a readable label in tests.
 */
export function describeScene(scene: Scene): string {
  const rng = new FirstChoice();
  const list = groupObjects(scene).map((g) => nounPhrase(g, { register: 'plain', size: true, position: true }, rng));
  return `${list.length === 2 ? `${list[0]} and ${list[1]}` : joinList(list, rng)} on a ${backgroundWord(scene.background, 'plain', rng)} background`;
}
