import { describe, expect, it } from 'vitest';
import { keyConflicts, overlayRows, resolveKey, type KeyTable } from './key-table.js';

const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean; code: string }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

const TABLE: KeyTable<string> = [
  { keys: 'x', description: 'Do x', presses: [{ scope: 'view', key: 'x', action: 'x' }] },
  { keys: 'Shift + 1', description: 'By position', presses: [{ scope: 'view', code: 'Digit1', shift: true, action: 'first' }] },
  { keys: '?', description: 'Help', presses: [{ scope: 'view', key: '?', action: 'help' }] },
  {
    keys: 'Ctrl + Enter',
    description: 'Save',
    presses: [
      { scope: 'editor', key: 'Enter', modifiers: 'ctrl-or-meta', action: 'save' },
      { scope: 'editor', key: 'Escape', modifiers: 'any', action: 'leave' },
    ],
  },
];

describe('resolveKey', () => {
  it('finds a press by what is typed, in its scope only', () => {
    expect(resolveKey(TABLE, press('x'), 'view')).toBe('x');
    expect(resolveKey(TABLE, press('x'), 'editor')).toBeNull();
    expect(resolveKey(TABLE, press('y'), 'view')).toBeNull();
  });

  it('leaves chords with Ctrl, ⌘ or Alt to the browser unless a press allows them', () => {
    expect(resolveKey(TABLE, press('x', { ctrlKey: true }), 'view')).toBeNull();
    expect(resolveKey(TABLE, press('x', { altKey: true }), 'view')).toBeNull();
    expect(resolveKey(TABLE, press('Enter'), 'editor')).toBeNull();
    expect(resolveKey(TABLE, press('Enter', { metaKey: true }), 'editor')).toBe('save');
    expect(resolveKey(TABLE, press('Escape', { ctrlKey: true, altKey: true }), 'editor')).toBe('leave');
  });

  it('matches by where the key sits when nothing matches what it types, and Shift when asked for', () => {
    expect(resolveKey(TABLE, press('!', { shiftKey: true, code: 'Digit1' }), 'view')).toBe('first');
    expect(resolveKey(TABLE, press('1', { code: 'Digit1' }), 'view')).toBeNull();
    // What is typed wins: a layout that types "?" on Shift+1 asks for help.
    expect(resolveKey(TABLE, press('?', { shiftKey: true, code: 'Digit1' }), 'view')).toBe('help');
  });
});

describe('overlayRows', () => {
  it('lists every binding once, in the table order, with its keys and description', () => {
    expect(overlayRows(TABLE)).toEqual([
      { keys: 'x', description: 'Do x' },
      { keys: 'Shift + 1', description: 'By position' },
      { keys: '?', description: 'Help' },
      { keys: 'Ctrl + Enter', description: 'Save' },
    ]);
  });
});

describe('keyConflicts', () => {
  it('finds none in a table where every press means one thing', () => {
    expect(keyConflicts(TABLE)).toEqual([]);
  });

  it('finds a key bound twice in one scope', () => {
    const table: KeyTable<string> = [...TABLE, { keys: 'x again', description: 'Other x', presses: [{ scope: 'view', key: 'x', action: 'other' }] }];
    expect(keyConflicts(table)).toEqual(['x (view): "Do x" and "Other x"']);
  });

  it('finds overlapping modifiers (Shift free vs Shift held) but not a key kept apart by scope or modifiers', () => {
    const overlap: KeyTable<string> = [...TABLE, { keys: '1', description: 'Digit', presses: [{ scope: 'view', code: 'Digit1', action: 'digit' }] }];
    expect(keyConflicts(overlap)).toEqual(['Digit1 (view): "By position" and "Digit"']);
    const apart: KeyTable<string> = [
      ...TABLE,
      { keys: 'x in editor', description: 'Editor x', presses: [{ scope: 'editor', key: 'x', action: 'ex' }] },
      { keys: 'Enter', description: 'Plain Enter', presses: [{ scope: 'editor', key: 'Enter', action: 'plain' }] },
    ];
    expect(keyConflicts(apart)).toEqual([]);
    const shiftApart: KeyTable<string> = [
      { keys: 'Space', description: 'One', presses: [{ scope: 'view', key: ' ', shift: false, action: 'one' }] },
      { keys: 'Shift + Space', description: 'Range', presses: [{ scope: 'view', key: ' ', shift: true, action: 'range' }] },
    ];
    expect(keyConflicts(shiftApart)).toEqual([]);
    expect(resolveKey(shiftApart, press(' ', { shiftKey: true }), 'view')).toBe('range');
    expect(resolveKey(shiftApart, press(' '), 'view')).toBe('one');
  });

  it('finds two overlay rows showing the same keys', () => {
    const table: KeyTable<string> = [...TABLE, { keys: 'x', description: 'Twice', presses: [{ scope: 'view', key: 'w', action: 'w' }] }];
    expect(keyConflicts(table)).toEqual(['"x" is listed twice']);
  });
});
