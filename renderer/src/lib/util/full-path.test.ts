import { describe, expect, it } from 'vitest';
import { isFullPath, requireFullPath } from './full-path.js';

describe('full paths', () => {
  it('accepts POSIX, Windows drive and UNC paths', () => {
    for (const ok of ['/data/images', ' /data ', 'C:\\data', 'd:/x', '\\\\server\\share']) expect(isFullPath(ok), ok).toBe(true);
  });

  it('refuses relative paths with a message naming the field', () => {
    for (const bad of ['data', './data', '../x', '~/data', 'C:data', '', '\\\\']) expect(isFullPath(bad), bad).toBe(false);
    expect(() => requireFullPath('Images folder', 'val2017')).toThrow('Images folder: "val2017" is not a full path.');
    expect(() => requireFullPath('Output file', '~/out.json')).toThrow('~ is not expanded');
    expect(requireFullPath('Output file', ' /tmp/out.json ')).toBe('/tmp/out.json');
  });
});
