/**
 * Reference captions stored next to images by other tools: kohya-style `.txt` sidecars
 * (`photo.jpg` → `photo.txt`) and a Hugging Face imagefolder `metadata.jsonl` in the folder
 * root (`{"file_name": ..., "text": ...}` per line). Roundtrip exports both, so these readers
 * are what makes those exports re-importable.
 */
import { posix } from 'node:path';
import { z } from 'zod';
import type { ImportProblem } from '../../../shared/contract/schemas.js';
import { readTextFile } from '../../files/read-text-file.js';
import { captionProblem, describeIssues, normalizeRelPath } from './entry-checks.js';
import { fileProblem } from './file-errors.js';
import { jsonErrorMessage } from '../../../shared/json-error.js';

export const METADATA_FILE = 'metadata.jsonl';

/** The sidecar of an image: the same path with a `.txt` extension. */
export function sidecarPath(imageRelPath: string): string {
  const ext = posix.extname(imageRelPath);
  return `${imageRelPath.slice(0, imageRelPath.length - ext.length)}.txt`;
}

/**
 * Each non-empty line is one caption. kohya reads the first line by default and treats every
 * line as an alternative in wildcard mode; keeping every line loses nothing either way.
 */
export async function readSidecar(
  absPath: string,
  item: string,
  signal?: AbortSignal,
): Promise<{ captions: string[]; problems: ImportProblem[] } | { problem: ImportProblem }> {
  let text: string;
  try {
    text = await readTextFile(absPath, { name: item, ...(signal ? { signal } : {}) });
  } catch (error) {
    return { problem: fileProblem(error, item) };
  }
  const captions: string[] = [];
  const problems: ImportProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const unusable = captionProblem(line);
    if (unusable) problems.push({ item: `${item} line ${index + 1}`, code: 'invalid-entry', message: `${item} line ${index + 1}: ${unusable}.` });
    else captions.push(line);
  });
  return { captions, problems };
}

const MetadataLine = z.object({ file_name: z.string().min(1), text: z.string() });

export interface MetadataCaptions {
  /** Captions by image path relative to the folder root, in file order. */
  captions: Map<string, string[]>;
  problems: ImportProblem[];
}

/** Reads `metadata.jsonl`; a malformed line becomes an `invalid-entry` problem and the rest still count. */
export async function readMetadataJsonl(absPath: string, signal?: AbortSignal): Promise<MetadataCaptions> {
  const captions = new Map<string, string[]>();
  const problems: ImportProblem[] = [];
  let text: string;
  try {
    text = await readTextFile(absPath, { name: METADATA_FILE, ...(signal ? { signal } : {}) });
  } catch (error) {
    problems.push(fileProblem(error, METADATA_FILE));
    return { captions, problems };
  }
  text.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    const item = `${METADATA_FILE} line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push({ item, code: 'invalid-entry', message: `${item} is not valid JSON: ${jsonErrorMessage(error)}` });
      return;
    }
    const parsed = MetadataLine.safeParse(value);
    if (!parsed.success) {
      problems.push({ item, code: 'invalid-entry', message: `${item}: ${describeIssues(parsed.error)}` });
      return;
    }
    const file = normalizeRelPath(parsed.data.file_name);
    const caption = parsed.data.text.trim();
    if (file === null) {
      problems.push({ item, code: 'invalid-entry', message: `${item}: file_name ${JSON.stringify(parsed.data.file_name)} must be a path inside the folder.` });
      return;
    }
    if (!caption) return;
    const unusable = captionProblem(caption);
    if (unusable) {
      problems.push({ item, code: 'invalid-entry', message: `${item}: ${unusable}.` });
      return;
    }
    const list = captions.get(file) ?? [];
    list.push(caption);
    captions.set(file, list);
  });
  return { captions, problems };
}
