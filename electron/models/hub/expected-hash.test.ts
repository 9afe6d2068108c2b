import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectedHashFromName, expectedHashOf, gitBlobSha1, hashFile, matchesBytes, matchesHashes } from './expected-hash.js';

// `printf 'hello\n' | git hash-object --stdin` and `sha256sum`.
const HELLO = Buffer.from('hello\n');
const HELLO_GIT = 'ce013625030ba8dba906f756967f9e9ca394464a';
const HELLO_SHA256 = '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('expected hashes', () => {
  it("computes git's blob id and sha256, for bytes and for a file in one read", async () => {
    expect(gitBlobSha1(HELLO)).toBe(HELLO_GIT);
    dir = await mkdtemp(join(tmpdir(), 'rt-expected-hash-'));
    await writeFile(join(dir, 'f'), HELLO);
    expect(await hashFile(join(dir, 'f'), { git: true })).toEqual({ sha256: HELLO_SHA256, gitSha1: HELLO_GIT, bytes: 6 });
    expect(await hashFile(join(dir, 'f'))).toEqual({ sha256: HELLO_SHA256, bytes: 6 });
  });

  it('prefers the LFS sha256 to the blob id, and reads a hash from a blob name', () => {
    expect(expectedHashOf({ sha256: HELLO_SHA256, blobId: HELLO_GIT })).toEqual({ sha256: HELLO_SHA256 });
    expect(expectedHashOf({ blobId: HELLO_GIT })).toEqual({ gitSha1: HELLO_GIT });
    expect(expectedHashOf({})).toBeUndefined();
    expect(expectedHashFromName(HELLO_GIT)).toEqual({ gitSha1: HELLO_GIT });
    expect(expectedHashFromName('not-a-hash')).toBeUndefined();
  });

  it('matches content against either kind', () => {
    expect(matchesBytes(HELLO, { gitSha1: HELLO_GIT })).toBe(true);
    expect(matchesBytes(HELLO, { sha256: HELLO_SHA256 })).toBe(true);
    expect(matchesBytes(Buffer.from('hello!'), { sha256: HELLO_SHA256 })).toBe(false);
    expect(matchesHashes({ sha256: HELLO_SHA256, bytes: 6 }, { gitSha1: HELLO_GIT })).toBe(false);
  });
});
