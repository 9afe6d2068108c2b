import { describe, expect, it } from 'vitest';
import { expectLeavesNavPrefix, expectWellFormed } from '../keys/testing/check-key-table.js';
import { IMAGE_KEYS, imageKey } from './image-keys.js';

const k = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('imageKey', () => {
  it('maps digits to references and letters to decisions outside the editor', () => {
    expect(imageKey(k('1'), false)).toEqual({ kind: 'accept', referenceIndex: 0 });
    expect(imageKey(k('9'), false)).toEqual({ kind: 'accept', referenceIndex: 8 });
    expect(imageKey(k('0'), false)).toBeNull();
    expect(imageKey(k('r'), false)).toEqual({ kind: 'reject' });
    expect(imageKey(k('s'), false)).toEqual({ kind: 'skip' });
    expect(imageKey(k('z'), false)).toEqual({ kind: 'undo' });
    expect(imageKey(k('ArrowRight'), false)).toEqual({ kind: 'next' });
    expect(imageKey(k('Escape'), false)).toEqual({ kind: 'back' });
  });

  it('leaves plain keys to the text field while editing', () => {
    expect(imageKey(k('r'), true)).toBeNull();
    expect(imageKey(k('1'), true)).toBeNull();
    expect(imageKey(k('Enter'), true)).toBeNull();
    expect(imageKey(k('Enter', { ctrlKey: true }), true)).toEqual({ kind: 'save' });
    expect(imageKey(k('Enter', { metaKey: true }), true)).toEqual({ kind: 'save' });
    expect(imageKey(k('Escape'), true)).toEqual({ kind: 'blur-editor' });
  });

  it('does not steal browser shortcuts such as Ctrl+R or Ctrl+Z', () => {
    expect(imageKey(k('r', { ctrlKey: true }), false)).toBeNull();
    expect(imageKey(k('z', { metaKey: true }), false)).toBeNull();
  });

  it('reads every key from one table: no key means two things, every listed press reaches its action', () => {
    expectWellFormed(IMAGE_KEYS);
  });

  it('binds nothing to g, which the view switcher takes first', () => {
    expectLeavesNavPrefix(IMAGE_KEYS);
  });
});
