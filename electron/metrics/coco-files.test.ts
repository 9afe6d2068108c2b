/**
 * Issue 16, defect 6: `roundtrip metrics` ran for hours on a 1 MB caption (ROUGE-L is quadratic).
 * Its files are now held to what an import accepts: captions up to MAX_CAPTION_CHARS without lone
 * surrogates, at most MAX_REFERENCES_PER_IMAGE references per image, regular files decoded strictly.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_CAPTION_CHARS, MAX_REFERENCES_PER_IMAGE } from '../../shared/contract/limits.js';
import { tempDir } from '../backend/import/test-images.js';
import { readReferences, readResults } from './coco-files.js';

const dir = tempDir('metrics-files');
const write = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value));
  return path;
};
const refsFile = (captions: string[]) => ({ images: [{ id: 1 }], annotations: captions.map((caption, i) => ({ image_id: 1, id: i + 1, caption })) });

describe('metrics input files', () => {
  it('refuse a caption over the limit, naming the entry, at once', async () => {
    const long = 'word '.repeat(200_000);
    const refs = write('long-refs.json', refsFile(['a cat', long]));
    await expect(readReferences(refs)).rejects.toMatchObject({
      code: 'BAD_FORMAT',
      message: `${refs}: annotations[1]: the caption is 1,000,000 characters long; the limit is ${MAX_CAPTION_CHARS.toLocaleString('en-US')}`,
    });
    const ok = await readReferences(write('refs.json', refsFile(['a cat on a mat'])));
    const results = write('long-results.json', [{ image_id: 1, caption: 'x'.repeat(MAX_CAPTION_CHARS + 1) }]);
    await expect(readResults(results, ok)).rejects.toMatchObject({ message: `${results}: [0]: the caption is 10,001 characters long; the limit is 10,000` });
  });

  it('refuse lone surrogates and more references per image than the limit', async () => {
    const lone = write('lone.json', '[{"image_id": 1, "caption": "a \\udead cat"}]');
    const ok = await readReferences(write('refs2.json', refsFile(['a cat'])));
    await expect(readResults(lone, ok)).rejects.toMatchObject({ message: `${lone}: [0]: the caption holds half of a UTF-16 surrogate pair at character 2` });
    const many = write('many.json', refsFile(Array.from({ length: MAX_REFERENCES_PER_IMAGE + 1 }, (_, i) => `caption ${i}`)));
    await expect(readReferences(many)).rejects.toMatchObject({ message: `${many}: image 1 has more than ${MAX_REFERENCES_PER_IMAGE} reference captions, the limit per image` });
  });

  it('read UTF-16 with a byte order mark, and refuse invalid UTF-8 and FIFOs by name', async () => {
    const json = JSON.stringify(refsFile(['un café']));
    const utf16 = write('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]));
    expect(await readReferences(utf16)).toEqual(new Map([['1', ['un café']]]));
    const latin1 = write('latin1.json', Buffer.from(json, 'latin1'));
    await expect(readReferences(latin1)).rejects.toMatchObject({ code: 'BAD_FORMAT', message: expect.stringContaining(`${latin1} is not valid UTF-8: byte ${Buffer.from(json, 'latin1').indexOf(0xe9)}`) });
    const fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    await expect(readReferences(fifo)).rejects.toMatchObject({ message: `${fifo} is a FIFO (named pipe), not a regular file; Roundtrip reads only regular files.` });
  });
});
