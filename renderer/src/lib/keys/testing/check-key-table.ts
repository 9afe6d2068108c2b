/** Test support: what every view's key table must satisfy, asserted the same way for each. */
import { expect } from 'vitest';
import { keyConflicts, resolveKey, type KeyLike, type KeyPress, type KeyTable } from '../key-table.js';

/** A key press that `press` matches, with the fewest modifiers it allows. */
function examplePress(press: KeyPress<unknown>): KeyLike {
  return {
    // A press matched by where the key sits types something no table binds.
    key: press.key ?? 'Unidentified',
    ...(press.code !== undefined ? { code: press.code } : {}),
    ctrlKey: press.modifiers === 'ctrl-or-meta',
    metaKey: false,
    altKey: false,
    shiftKey: press.shift === true,
  };
}

/** No key means two things, and every press listed reaches its own action (none is shadowed). */
export function expectWellFormed(table: KeyTable<unknown>): void {
  expect(keyConflicts(table)).toEqual([]);
  for (const binding of table) {
    expect(binding.presses.length, binding.keys).toBeGreaterThan(0);
    for (const press of binding.presses) {
      expect(resolveKey(table, examplePress(press), press.scope), `${binding.keys}: ${press.key ?? press.code}`).toBe(press.action);
    }
  }
}

/** The view switcher's `g` prefix (nav-keys.ts) reaches no view: a view must not bind it. */
export function expectLeavesNavPrefix(table: KeyTable<unknown>): void {
  const g = { key: 'g', ctrlKey: false, metaKey: false, altKey: false };
  expect(resolveKey(table, g, 'view')).toBeNull();
}
