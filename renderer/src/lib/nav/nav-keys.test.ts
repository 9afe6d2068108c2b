import { describe, expect, it } from 'vitest';
import { navKey, SEQUENCE_MS } from './nav-keys.js';

const key = (k: string, extra: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean; editable: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  editable: false,
  ...extra,
});

describe('navKey', () => {
  it('goes to a view on g then its letter, within the sequence time', () => {
    expect(navKey(key('g'), null, 0)).toEqual({ kind: 'prefix' });
    expect(navKey(key('a'), 0, 100)).toEqual({ kind: 'go', view: 'audit' });
    expect(navKey(key('g'), 0, 100)).toEqual({ kind: 'go', view: 'grid' });
    expect(navKey(key('M'), 0, 100)).toEqual({ kind: 'go', view: 'models' });
    expect(navKey(key('a'), 0, SEQUENCE_MS + 1)).toEqual({ kind: 'none' });
    expect(navKey(key('x'), 0, 100)).toEqual({ kind: 'none' });
  });

  it('leaves single keys, typing and modified keys alone', () => {
    expect(navKey(key('a'), null, 0)).toEqual({ kind: 'none' });
    expect(navKey(key('g', { editable: true }), null, 0)).toEqual({ kind: 'none' });
    expect(navKey(key('a', { ctrlKey: true }), 0, 10)).toEqual({ kind: 'none' });
    expect(navKey(key('g', { altKey: true }), null, 0)).toEqual({ kind: 'none' });
  });
});
