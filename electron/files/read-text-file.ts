/** A text file a user pointed Roundtrip at: read as a regular file (read-regular-file.ts), decoded strictly (decode-text.ts). */
import { decodeText } from './decode-text.js';
import { DEFAULT_MAX_TEXT_BYTES, readRegularFile, type ReadOptions } from './read-regular-file.js';

/** Throws FileReadError (cannot be read) or TextDecodeError (not UTF-8 / UTF-16 with a BOM), each naming the file. */
export async function readTextFile(path: string, options: ReadOptions = {}): Promise<string> {
  const { data } = await readRegularFile(path, { maxBytes: DEFAULT_MAX_TEXT_BYTES, ...options });
  return decodeText(data, options.name ?? path);
}
