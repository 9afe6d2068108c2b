import { describe, expect, it } from 'vitest';
import { describePlan, describePlanSource, formatBytes } from './plan-text.js';

describe('describePlan', () => {
  const base = { repo: 'o/n', commit: 'c', family: 'lcm', list: [] };
  it('says the files and bytes, and what the cache saves', () => {
    expect(describePlan({ ...base, files: 9, bytes: 3.7e9, fromCache: { files: 0, bytes: 0 }, download: { files: 9, bytes: 3.7e9 } })).toBe('9 files, 3.45 GiB to download');
    expect(describePlan({ ...base, files: 2, bytes: 2048 + 10, fromCache: { files: 1, bytes: 2048 }, download: { files: 1, bytes: 10 } })).toBe(
      '2 files, 2.01 KiB: 1 from the Hugging Face cache (2.00 KiB), 1 to download (10 B)',
    );
    expect(describePlan({ ...base, files: 1, bytes: undefined, fromCache: { files: 1, bytes: 5 }, download: { files: 0, bytes: 0 } })).toBe(
      '1 file, size unknown: 1 from the Hugging Face cache (5 B), nothing to download',
    );
    expect(formatBytes(1.09 * 1024 ** 2)).toBe('1.09 MiB');
  });
});

describe('describePlanSource', () => {
  const base = { repo: 'o/m', commit: 'c'.repeat(40), family: 'clip', files: 1, bytes: 1, fromCache: { files: 1, bytes: 1 }, download: { files: 0, bytes: 0 }, list: [] };
  it('says nothing of a plan the hub answered, and names the ref or commit a cache-only plan used', () => {
    expect(describePlanSource(base)).toBeUndefined();
    expect(describePlanSource({ ...base, plannedFromCache: { revision: 'main', commit: 'c'.repeat(40) } })).toBe(
      `Planned from the Hugging Face cache (refs/main → ${'c'.repeat(40)}); the hub was not asked whether main has moved since. To pull another commit: --revision <commit sha>.`,
    );
    expect(describePlanSource({ ...base, plannedFromCache: { revision: 'c'.repeat(40), commit: 'c'.repeat(40) } })).toMatch(/^Planned from the Hugging Face cache \(commit c{40}\); the hub was not asked\. /);
  });
});
