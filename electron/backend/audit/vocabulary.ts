/**
 * Vocabulary differences between a suggest run's captions and the human references, image by
 * image: a word the captions use for an image that none of its references use (the model's
 * "lemur" where people wrote "monkey"), and the reverse. Counted over images, with how often the
 * other side uses the word anywhere in the run (never: a word one side simply does not know) and
 * the other side's words most associated with it in the same images (what it says instead).
 */
import type { VocabularySide } from '../../../shared/contract/audit-schemas.js';
import type { AuditRunData } from './audit-data.js';
import { forEachSliced } from './slices.js';
import { contentWords } from './words.js';

export interface WordStat {
  word: string;
  images: number;
  uses: number;
  otherSideImages: number;
  instead: { word: string; images: number }[];
  /** The first image ids, in run order, to show as examples. */
  examples: number[];
  /** Every image id, in run order (for the grid's word filter). */
  imageIds: number[];
}

export interface VocabularyLists {
  images: number;
  lists: Record<VocabularySide, WordStat[]>;
}

export const EXAMPLES_PER_WORD = 12;
const INSTEAD_PER_WORD = 3;
/** Word ids stay below this, so a pair of ids is one number. */
const PAIR_BASE = 1 << 20;

interface Tally {
  images: number;
  uses: number;
  imageIds: number[];
}

class Side {
  /** Images whose captions on this side use the word at all, by word id. */
  readonly usedIn = new Map<number, number>();
  /** Words used by this side only, by word id. */
  readonly only = new Map<number, Tally>();

  count(image: number, uses: ReadonlyMap<number, number>, other: ReadonlyMap<number, number>): number[] {
    const only: number[] = [];
    for (const [word, n] of uses) {
      this.usedIn.set(word, (this.usedIn.get(word) ?? 0) + 1);
      if (other.has(word)) continue;
      only.push(word);
      const tally = this.only.get(word) ?? { images: 0, uses: 0, imageIds: [] };
      tally.images++;
      tally.uses += n;
      tally.imageIds.push(image);
      this.only.set(word, tally);
    }
    return only;
  }
}

export async function computeVocabulary(data: AuditRunData): Promise<VocabularyLists> {
  const ids = new Map<string, number>();
  const words: string[] = [];
  const idOf = (word: string) => {
    let id = ids.get(word);
    if (id === undefined && words.length < PAIR_BASE) {
      id = words.length;
      ids.set(word, id);
      words.push(word);
    }
    return id;
  };
  const usesIn = (texts: readonly string[]) => {
    const uses = new Map<number, number>();
    for (const text of texts) {
      for (const word of contentWords(text)) {
        const id = idOf(word);
        if (id !== undefined) uses.set(id, (uses.get(id) ?? 0) + 1);
      }
    }
    return uses;
  };

  const model = new Side();
  const reference = new Side();
  const pairs = new Map<number, number>();
  await forEachSliced(data.images, (image) => {
    const modelUses = usesIn(image.captions.map((c) => c.text));
    const referenceUses = usesIn(image.references);
    const modelOnly = model.count(image.imageId, modelUses, referenceUses);
    const referenceOnly = reference.count(image.imageId, referenceUses, modelUses);
    for (const m of modelOnly) for (const r of referenceOnly) pairs.set(m * PAIR_BASE + r, (pairs.get(m * PAIR_BASE + r) ?? 0) + 1);
  });

  const instead = { model: new Map<number, [number, number][]>(), reference: new Map<number, [number, number][]>() };
  for (const [key, n] of pairs) {
    const m = Math.floor(key / PAIR_BASE);
    const r = key % PAIR_BASE;
    push(instead.model, m, [r, n]);
    push(instead.reference, r, [m, n]);
  }
  const list = (side: Side, other: Side, associated: Map<number, [number, number][]>): WordStat[] =>
    [...side.only]
      .map(([id, tally]) => ({
        word: words[id]!,
        images: tally.images,
        uses: tally.uses,
        otherSideImages: other.usedIn.get(id) ?? 0,
        instead: strongest(associated.get(id) ?? [], tally.images, other).map(([w, n]) => ({ word: words[w]!, images: n })),
        examples: tally.imageIds.slice(0, EXAMPLES_PER_WORD),
        imageIds: tally.imageIds,
      }))
      .sort((a, b) => b.images - a.images || b.uses - a.uses || (a.word < b.word ? -1 : 1));
  return {
    images: data.images.length,
    lists: { model: list(model, reference, instead.model), reference: list(reference, model, instead.reference) },
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The other side's words seen with a word in the images where it is one side's only, strongest
 * association first (Ochiai: co-occurrences over the geometric mean of both words' image counts,
 * so words the other side says everywhere do not crowd out the one it says instead). A word seen
 * once with it counts only when the word itself is that rare.
 */
function strongest(pairs: [number, number][], images: number, other: Side): [number, number][] {
  const least = Math.min(2, images);
  const score = ([w, n]: [number, number]) => n / Math.sqrt(images * (other.only.get(w)?.images ?? n));
  return pairs
    .filter(([, n]) => n >= least)
    .sort((a, b) => score(b) - score(a) || b[1] - a[1] || a[0] - b[0])
    .slice(0, INSTEAD_PER_WORD);
}
