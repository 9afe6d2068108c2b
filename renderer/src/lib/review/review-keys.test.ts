import { describe, expect, it } from 'vitest';
import { expectLeavesNavPrefix, expectWellFormed } from '../keys/testing/check-key-table.js';
import { REVIEW_KEYS, reviewKey } from './review-keys.js';

const k = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('reviewKey', () => {
  it('picks candidates with digits and decides with Enter and letters', () => {
    expect(reviewKey(k('1'), false)).toEqual({ kind: 'pick', index: 0 });
    expect(reviewKey(k('9'), false)).toEqual({ kind: 'pick', index: 8 });
    expect(reviewKey(k('0'), false)).toBeNull();
    expect(reviewKey(k('Enter'), false)).toEqual({ kind: 'accept' });
    expect(reviewKey(k('e'), false)).toEqual({ kind: 'edit' });
    expect(reviewKey(k('r'), false)).toEqual({ kind: 'reject' });
    expect(reviewKey(k('s'), false)).toEqual({ kind: 'skip' });
    expect(reviewKey(k('z'), false)).toEqual({ kind: 'undo' });
    expect(reviewKey(k('ArrowLeft'), false)).toEqual({ kind: 'previous' });
    expect(reviewKey(k('ArrowRight'), false)).toEqual({ kind: 'next' });
    expect(reviewKey(k('v'), false)).toEqual({ kind: 'compare' });
    expect(reviewKey(k('c'), false)).toEqual({ kind: 'compare-mode' });
    expect(reviewKey(k('['), false)).toEqual({ kind: 'slide', by: -10 });
    expect(reviewKey(k(']'), false)).toEqual({ kind: 'slide', by: 10 });
    expect(reviewKey(k('n'), false)).toEqual({ kind: 'note' });
    expect(reviewKey(k('?'), false)).toEqual({ kind: 'help' });
    expect(reviewKey(k('Escape'), false)).toEqual({ kind: 'escape' });
  });

  it('leaves typing to the editor, where Enter saves and Esc cancels', () => {
    for (const key of ['1', 'r', 'z', 'e', 'ArrowLeft', '?']) expect(reviewKey(k(key), true)).toBeNull();
    expect(reviewKey(k('Enter'), true)).toEqual({ kind: 'save' });
    expect(reviewKey(k('Enter', { shiftKey: true }), true)).toEqual({ kind: 'save' });
    expect(reviewKey(k('Escape'), true)).toEqual({ kind: 'cancel-edit' });
  });

  it('accepts a reference with Shift and a digit key, whatever the layout types for it', () => {
    expect(reviewKey({ ...k('!', { shiftKey: true }), code: 'Digit1' }, false)).toEqual({ kind: 'accept-reference', index: 0 });
    expect(reviewKey({ ...k('"', { shiftKey: true }), code: 'Digit2' }, false)).toEqual({ kind: 'accept-reference', index: 1 });
    // AZERTY types digits with Shift: a typed digit still picks; "?" on a digit key is still help.
    expect(reviewKey({ ...k('3', { shiftKey: true }), code: 'Digit3' }, false)).toEqual({ kind: 'pick', index: 2 });
    expect(reviewKey({ ...k('?', { shiftKey: true }), code: 'Digit7' }, false)).toEqual({ kind: 'help' });
    expect(reviewKey({ ...k('0', { shiftKey: true }), code: 'Digit0' }, false)).toBeNull();
    expect(reviewKey({ ...k('!', { shiftKey: true }), code: 'Digit1' }, true)).toBeNull();
  });

  it('does not steal browser shortcuts such as Ctrl+R or Ctrl+Z', () => {
    expect(reviewKey(k('r', { ctrlKey: true }), false)).toBeNull();
    expect(reviewKey(k('z', { metaKey: true }), false)).toBeNull();
    expect(reviewKey(k('Enter', { altKey: true }), false)).toBeNull();
  });

  it('reads every key from one table: no key means two things, every listed press reaches its action', () => {
    expectWellFormed(REVIEW_KEYS);
  });

  it('binds nothing to g, which the view switcher takes first', () => {
    expectLeavesNavPrefix(REVIEW_KEYS);
  });
});
