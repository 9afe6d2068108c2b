/**
 * A view's keyboard shortcuts as one table. Each row is what the shortcuts overlay shows (keys, what
 * they do) together with the key presses that do it, and the view's keydown handler resolves presses
 * through the same rows, so the overlay cannot drift from what the keys do. (They used to be a
 * switch and a list of strings kept "in step" by a comment.)
 */

/** The parts of a KeyboardEvent a table looks at. */
export interface KeyLike {
  key: string;
  /** Where the key sits, whatever the layout types for it ("Digit1"). */
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
}

/** Where a press applies: over the view, or in its text field, where plain keys must type text. */
export type KeyScope = 'view' | 'editor';

/**
 * Which of Ctrl, ⌘ and Alt a press allows. `none` (the default) leaves every chord with them to the
 * browser (Ctrl+R, Ctrl+Z); Shift is free unless a press asks for it.
 */
export type Modifiers = 'none' | 'ctrl-or-meta' | 'no-alt' | 'any';

export interface KeyPress<A> {
  scope: KeyScope;
  /** What the layout types (KeyboardEvent.key); exactly one of key and code. */
  key?: string;
  /** Where the key sits (KeyboardEvent.code), for keys that type different things on different layouts. */
  code?: string;
  modifiers?: Modifiers;
  /** true: Shift must be held; false: it must not be; left out: either. */
  shift?: boolean;
  action: A;
}

export interface KeyBinding<A> {
  /** As the overlay shows them ("1 – 9", "← / →"). */
  keys: string;
  description: string;
  presses: readonly KeyPress<A>[];
}

export type KeyTable<A> = readonly KeyBinding<A>[];

export const ONE_TO_NINE: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9];

function modifiersAllow(m: Modifiers, e: KeyLike): boolean {
  switch (m) {
    case 'none':
      return !e.ctrlKey && !e.metaKey && !e.altKey;
    case 'ctrl-or-meta':
      return e.ctrlKey || e.metaKey;
    case 'no-alt':
      return !e.altKey;
    case 'any':
      return true;
  }
}

function allows(p: KeyPress<unknown>, e: KeyLike): boolean {
  return modifiersAllow(p.modifiers ?? 'none', e) && (p.shift === undefined || p.shift === (e.shiftKey === true));
}

/**
 * The action a key press means in `scope`, or null. What the layout types wins over where the key
 * sits: on a layout that types "?" with Shift and a digit key, that is "?", not Shift+digit.
 */
export function resolveKey<A>(table: KeyTable<A>, e: KeyLike, scope: KeyScope): A | null {
  const presses = table.flatMap((b) => b.presses).filter((p) => p.scope === scope && allows(p, e));
  const byKey = presses.find((p) => p.key !== undefined && p.key === e.key);
  if (byKey) return byKey.action;
  const byCode = presses.find((p) => p.code !== undefined && p.code === e.code);
  return byCode ? byCode.action : null;
}

/** The rows the shortcuts overlay lists: one per binding, in the table's order. */
export function overlayRows(table: KeyTable<unknown>): { keys: string; description: string }[] {
  return table.map(({ keys, description }) => ({ keys, description }));
}

const MODIFIER_STATES: readonly KeyLike[] = Array.from({ length: 16 }, (_, bits) => ({
  key: '',
  ctrlKey: (bits & 1) !== 0,
  metaKey: (bits & 2) !== 0,
  altKey: (bits & 4) !== 0,
  shiftKey: (bits & 8) !== 0,
}));

/**
 * Pairs of presses one key press could mean at once (same scope, same key or code, modifiers
 * both allow), each said in words; empty when the table is unambiguous. Overlay rows that show
 * the same keys twice count too, since the overlay keys its rows by them.
 */
export function keyConflicts(table: KeyTable<unknown>): string[] {
  const found: string[] = [];
  const seenKeys = new Set<string>();
  for (const b of table) {
    if (seenKeys.has(b.keys)) found.push(`"${b.keys}" is listed twice`);
    seenKeys.add(b.keys);
  }
  const all = table.flatMap((b) => b.presses.map((p) => ({ p, b })));
  for (const [i, x] of all.entries()) {
    for (const y of all.slice(i + 1)) {
      if (x.p.scope !== y.p.scope) continue;
      const sameKey = x.p.key !== undefined && x.p.key === y.p.key;
      const sameCode = x.p.code !== undefined && x.p.code === y.p.code;
      if (!sameKey && !sameCode) continue;
      if (!MODIFIER_STATES.some((m) => allows(x.p, m) && allows(y.p, m))) continue;
      found.push(`${x.p.key ?? x.p.code} (${x.p.scope}): "${x.b.description}" and "${y.b.description}"`);
    }
  }
  return found;
}
