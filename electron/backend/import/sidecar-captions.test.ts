import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeRelPath } from './entry-checks.js';
import { readMetadataJsonl, readSidecar, sidecarPath } from './sidecar-captions.js';
import { tempDir, writeFiles } from './test-images.js';

describe('caption files', () => {
  it('finds the sidecar of an image', () => {
    expect(sidecarPath('a/b.photo.JPG')).toBe('a/b.photo.txt');
    expect(sidecarPath('c.png')).toBe('c.txt');
  });

  it('reads sidecars line by line, with a BOM and CRLF, and refuses non-UTF-8', async () => {
    const dir = tempDir('sidecar');
    writeFiles(dir, { 'a.txt': '\uFEFFfirst caption\r\n\r\n  second  \r\n', 'b.txt': Buffer.from([0x63, 0xff, 0xfe]) });
    expect(await readSidecar(join(dir, 'a.txt'), 'a.txt')).toEqual({ captions: ['first caption', 'second'], problems: [] });
    expect(await readSidecar(join(dir, 'b.txt'), 'b.txt')).toMatchObject({ problem: { item: 'b.txt', code: 'invalid-entry' } });
    expect(await readSidecar(join(dir, 'c.txt'), 'c.txt')).toMatchObject({ problem: { item: 'c.txt', code: 'missing-file' } });
  });

  it('reads metadata.jsonl, normalising paths and reporting bad lines by number', async () => {
    const dir = tempDir('sidecar');
    writeFiles(dir, {
      'metadata.jsonl': [
        '{"file_name": "./a.png", "text": "one", "extra": 1}',
        '{"file_name": "sub\\\\b.png", "text": "two"}',
        '{"file_name": "a.png", "text": "three"}',
        '{"file_name": "../up.png", "text": "outside"}',
        '[1, 2]',
        '{"file_name": "c.png", "text": "   "}',
      ].join('\r\n'),
    });
    const { captions, problems } = await readMetadataJsonl(join(dir, 'metadata.jsonl'));
    expect([...captions]).toEqual([
      ['a.png', ['one', 'three']],
      ['sub/b.png', ['two']],
    ]);
    expect(problems.map((p) => [p.item, p.code])).toEqual([
      ['metadata.jsonl line 4', 'invalid-entry'],
      ['metadata.jsonl line 5', 'invalid-entry'],
    ]);
  });

  it('keeps relative paths inside the root', () => {
    expect(normalizeRelPath('a/./b/../c.jpg')).toBe('a/c.jpg');
    expect(normalizeRelPath('/etc/passwd')).toBeNull();
    expect(normalizeRelPath('C:\\x.jpg')).toBeNull();
    expect(normalizeRelPath('a/../../x.jpg')).toBeNull();
    expect(normalizeRelPath('.')).toBeNull();
  });
});
