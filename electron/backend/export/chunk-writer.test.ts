import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openChunkWriter } from './chunk-writer.js';

describe('openChunkWriter', () => {
  const warnings: Error[] = [];
  const record = (warning: Error) => warnings.push(warning);
  afterEach(() => {
    process.off('warning', record);
  });

  // A 2 MB Karpathy export warned "Possible EventEmitter memory leak detected. 11 error listeners
  // added to [WriteStream]": every wait for 'drain' left an 'error' listener behind (found by the
  // issue 16 fault suite). A large export waits thousands of times.
  it('waits for the stream to drain without piling up listeners', async () => {
    process.on('warning', record);
    const path = join(mkdtempSync(join(tmpdir(), 'rt-chunks-')), 'out.txt');
    const writer = openChunkWriter(path);
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 40; i++) await writer.write(chunk);
    await writer.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    expect(readFileSync(path, 'utf8')).toHaveLength(40 * chunk.length);
  });
});
