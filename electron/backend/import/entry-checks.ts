/** Small checks shared by the importers that read file names and entries from caption files. */
import { posix } from 'node:path';
import type { z } from 'zod';
import { MAX_CAPTION_CHARS } from '../../../shared/contract/limits.js';
import { loneSurrogateIndex } from '../../../shared/well-formed.js';

/**
 * A POSIX path relative to a dataset root, or null if it is absolute or climbs out of the root
 * (a caption file must not make Roundtrip read files outside the folder the user chose).
 */
export function normalizeRelPath(name: string): string | null {
  if (loneSurrogateIndex(name) !== -1) return null;
  const normalized = posix.normalize(name.replace(/\\/g, '/'));
  if (normalized === '.' || normalized === '..' || normalized.startsWith('../')) return null;
  if (normalized.startsWith('/') || /^[a-zA-Z]:/.test(normalized)) return null;
  return normalized.replace(/^\.\//, '');
}

/** zod issues as one readable line, e.g. `file_name: Invalid input: expected string, received number`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/**
 * Why a caption cannot be stored, or null: longer than MAX_CAPTION_CHARS (issue 16: metrics are
 * quadratic in caption length), or holding a lone surrogate (not representable as UTF-8).
 */
export function captionProblem(text: string): string | null {
  if (text.length > MAX_CAPTION_CHARS) {
    return `the caption is ${text.length.toLocaleString('en-US')} characters long; the limit is ${MAX_CAPTION_CHARS.toLocaleString('en-US')}`;
  }
  const lone = loneSurrogateIndex(text);
  if (lone !== -1) return `the caption holds half of a UTF-16 surrogate pair at character ${lone} (a "\\u${text.charCodeAt(lone).toString(16)}" escape without its other half)`;
  return null;
}
