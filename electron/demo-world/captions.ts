/**
 * Five reference captions per scene, written the way five different people would: each caption
 * comes from an annotator style (a small template grammar) drawn without replacement, so an
 * image's captions differ in word order, synonyms, detail, vagueness and precision.
 */
import type { Rng } from './prng.js';
import type { Scene } from './scene.js';
import { type Group, groupObjects, groupPosition, joinList, nounPhrase, stripArticle } from './noun-phrases.js';
import { backgroundPhrase, backgroundWord, colourWord, countWord, genericNoun, positionPhrase, type Register, shapeNoun, withArticle } from './vocabulary.js';

export const CAPTIONS_PER_IMAGE = 5;

type Style = (scene: Scene, groups: Group[], rng: Rng) => string;

/** Most annotators speak plainly but now and then use an expert's or a lazy word. */
function everyday(rng: Rng): Register {
  return rng.weighted<Register>([
    ['plain', 0.85],
    ['precise', 0.08],
    ['vague', 0.07],
  ]);
}

function objectCount(groups: Group[]): number {
  return groups.reduce((sum, g) => sum + g.members.length, 0);
}

/** "a large red circle on the left, a small blue box at the top and a green star" */
const thorough: Style = (scene, groups, rng) => {
  const register = everyday(rng);
  const size = rng.chance(0.8);
  const text = joinList(groups.map((g) => nounPhrase(g, { register, size, position: true }, rng)), rng);
  return rng.chance(0.5) ? `${text} ${backgroundPhrase(scene.background, 'plain', rng)}` : text;
};

/** "on the left there is a red circle, and a blue square sits near the top" */
const thereIs: Style = (_scene, [main, ...rest], rng) => {
  const register = everyday(rng);
  const where = groupPosition(main!, register, rng);
  const be = main!.members.length > 1 ? 'are' : 'is';
  const subject = nounPhrase(main!, { register, size: rng.chance(0.5), position: false }, rng);
  let text = where ? `${where} there ${be} ${subject}` : `there ${be} ${subject}`;
  for (const g of rest) {
    const gWhere = groupPosition(g, register, rng);
    const plural = g.members.length > 1;
    const form = rng.int(0, 2);
    if (form === 0 && gWhere) text += `, and ${nounPhrase(g, { register, size: rng.chance(0.5), position: false }, rng)} ${plural ? 'sit' : 'sits'} ${gWhere}`;
    else if (form === 1) text += ` and ${nounPhrase(g, { register, size: rng.chance(0.5), position: true }, rng)}`;
    else text += `. there ${plural ? 'are' : 'is'} also ${nounPhrase(g, { register, size: rng.chance(0.5), position: true }, rng)}`;
  }
  return text;
};

/** Only the main object: "a big red ball", "red circle on the left" */
const mainOnly: Style = (scene, [main], rng) => {
  let text = nounPhrase(main!, { register: everyday(rng), size: rng.chance(0.5), position: rng.chance(0.6) }, rng);
  if (rng.chance(0.2)) text = stripArticle(text);
  return rng.chance(0.3) ? `${text} ${backgroundPhrase(scene.background, 'plain', rng)}` : text;
};

/** The lazy annotator: "something red on the side and some other shapes" */
const vague: Style = (scene, groups, rng) => {
  const main = groups[0]!;
  const total = objectCount(groups);
  if (rng.chance(0.15)) {
    // No colour at all: the one caption in five that may not name the main object's colour.
    const things = total === 1 ? withArticle(genericNoun(rng)) : `${countWord(total, 'vague', rng)} ${genericNoun(rng, true)}`;
    return `${things} ${backgroundPhrase(scene.background, 'vague', rng)}`;
  }
  const colour = colourWord(main.colour, 'plain');
  const first = main.members[0]!;
  const where = rng.chance(0.6) ? ` ${positionPhrase(first.x, first.y, 'vague', rng)}` : '';
  let text =
    main.members.length > 1
      ? `${countWord(main.members.length, 'vague', rng)} ${colour} ${shapeNoun(main.shape, 'vague', rng, true)}`
      : rng.chance(0.4)
        ? `something ${colour}${where}`
        : `${withArticle(`${colour} ${shapeNoun(main.shape, 'vague', rng)}`)}${where}`;
  const other = groups[1];
  if (other) {
    text += rng.pick([
      ` and some other ${genericNoun(rng, true)}`,
      ` and ${withArticle(`${colourWord(other.colour, 'plain')} ${shapeNoun(other.shape, 'vague', rng)}`)}`,
      ` with another ${genericNoun(rng)}`,
    ]);
  }
  return text;
};

/** The expert: "a large violet rhombus in the top left corner and a small red circle in the exact centre" */
const precise: Style = (scene, groups, rng) => {
  const text = joinList(groups.map((g) => nounPhrase(g, { register: 'precise', size: true, position: true }, rng)), rng);
  return rng.chance(0.7) ? `${text} ${backgroundPhrase(scene.background, 'precise', rng)}` : text;
};

/** Counts first: "three shapes: a red circle, a blue box and a yellow triangle" */
const counting: Style = (scene, groups, rng) => {
  const register = everyday(rng);
  const total = objectCount(groups);
  const size = rng.chance(0.5);
  if (total === 1) {
    const lead = rng.pick(['a single', 'just one', 'only one']);
    return `${lead} ${stripArticle(nounPhrase(groups[0]!, { register, size, position: true }, rng))}`;
  }
  const head = `${countWord(total, 'plain', rng)} ${genericNoun(rng, true)}`;
  const list = joinList(groups.map((g) => nounPhrase(g, { register, size, position: rng.chance(0.5) }, rng)), rng);
  return rng.chance(0.3) ? `${head} ${backgroundPhrase(scene.background, 'plain', rng)}: ${list}` : `${head}: ${list}`;
};

/** Relative positions: "a red circle to the left of a small blue square" */
const relational: Style = (_scene, groups, rng) => {
  const register = everyday(rng);
  const [main, other, ...rest] = groups;
  if (!other) {
    const alone = main!.members.length === 1 ? ` ${rng.pick(['on its own', 'alone'])}` : '';
    return `${nounPhrase(main!, { register, size: rng.chance(0.5), position: false }, rng)}${alone} ${groupPosition(main!, register, rng) ?? ''}`.trim();
  }
  const mainPhrase = nounPhrase(main!, { register, size: rng.chance(0.5), position: false }, rng);
  const otherPhrase = nounPhrase(other, { register, size: rng.chance(0.5), position: false }, rng);
  let text: string;
  if (main!.members.length === 1 && other.members.length === 1) {
    const a = main!.members[0]!;
    const b = other.members[0]!;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const relation = Math.abs(dx) >= Math.abs(dy) ? (dx > 0 ? 'to the left of' : 'to the right of') : dy > 0 ? 'above' : 'below';
    text = `${mainPhrase} ${relation} ${otherPhrase}`;
  } else {
    text = `${mainPhrase} and ${otherPhrase}`;
  }
  for (const g of rest) text += ` and ${nounPhrase(g, { register, size: rng.chance(0.5), position: true }, rng)}`;
  return text;
};

/** The background first: "a grey picture with a red circle on the left and a blue square" */
const backgroundFirst: Style = (scene, groups, rng) => {
  const register = everyday(rng);
  const bg = backgroundWord(scene.background, register, rng);
  const lead = rng.pick([`${withArticle(bg)} picture with`, `${withArticle(bg)} background with`, `${withArticle(bg)} image showing`]);
  const position = rng.chance(0.7);
  return `${lead} ${joinList(groups.map((g) => nounPhrase(g, { register, size: rng.chance(0.5), position }, rng)), rng)}`;
};

export const STYLES: Record<string, Style> = { thorough, thereIs, mainOnly, vague, precise, counting, relational, backgroundFirst };

/** Five captions by five different annotator styles, in a random order. */
export function captionScene(scene: Scene, rng: Rng): string[] {
  const groups = groupObjects(scene);
  const styles = rng.shuffle(Object.values(STYLES)).slice(0, CAPTIONS_PER_IMAGE);
  return styles.map((style) => {
    const text = style(scene, groups, rng).replace(/\s+/g, ' ').trim();
    return rng.chance(0.15) ? `${text}.` : text;
  });
}
