/** A file written chunk by chunk with backpressure, for files inside a folder export (the folder is what is swapped atomically). */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { ioError, type WriteChunk } from '../../files/atomic-file.js';

export interface ChunkWriter {
  write: WriteChunk;
  /** Flushes and closes the file; rejects with the first write error. */
  close(): Promise<void>;
}

export function openChunkWriter(path: string): ChunkWriter {
  const stream = createWriteStream(path, { flags: 'wx', encoding: 'utf8' });
  let failure: Error | undefined;
  stream.on('error', (error) => (failure ??= error));
  return {
    async write(chunk) {
      if (failure) throw ioError(path, failure);
      // once() rejects on 'error' and takes its listeners off either way (racing a second once(stream, 'error') left one behind per wait).
      if (!stream.write(chunk)) await once(stream, 'drain').catch(() => {});
      if (failure) throw ioError(path, failure);
    },
    async close() {
      if (!stream.closed) await new Promise<void>((resolve) => stream.end(resolve));
      if (failure) throw ioError(path, failure);
    },
  };
}
