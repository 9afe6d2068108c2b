import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount } from './format.js';

describe('format', () => {
  it('formats byte sizes with sensible units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MB');
  });
  it('groups thousands', () => {
    for (const n of [0, 7, 999, 1000, 100000, 1234567, -4321, 12.5]) expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
  });
});
