import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCachedSmall } from './hf-cache.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-hf-cache-unit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readCachedSmall', () => {
  it('reads a small file whole, and will not read one over the limit (its size is checked before reading)', async () => {
    const small = join(dir, 'config.json');
    await writeFile(small, '{"model_type":"clip"}');
    const hash = { sha256: 'a'.repeat(64) };
    expect((await readCachedSmall({ path: 'config.json', source: small, size: 21, expect: hash }, 1024))?.toString()).toBe('{"model_type":"clip"}');
    // A 4 GiB sparse file: reading it would take gigabytes of memory, refusing it takes none.
    const huge = join(dir, 'huge');
    await writeFile(huge, '');
    await truncate(huge, 4 * 1024 ** 3);
    expect(await readCachedSmall({ path: 'config.json', source: huge, size: 21, expect: hash }, 1024)).toBeUndefined();
    expect(await readCachedSmall({ path: 'config.json', source: join(dir, 'gone'), size: 21, expect: hash }, 1024)).toBeUndefined();
  });
});
