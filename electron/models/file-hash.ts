import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * Feeds a file into one or more hashes chunk by chunk (model files are gigabytes, never read them
 * whole), and says how many bytes it read.
 */
export async function hashFileInto(hash: Hash | readonly Hash[], path: string): Promise<number> {
  const hashes = Array.isArray(hash) ? hash : [hash as Hash];
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    for (const h of hashes) h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return bytes;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(hash, path);
  return hash.digest('hex');
}
