/** Small checks shared by the importers that read file names and entries from caption files. */
import { posix } from 'node:path';
import type { z } from 'zod';

/**
 * A POSIX path relative to a dataset root, or null if it is absolute or climbs out of the root
 * (a caption file must not make Roundtrip read files outside the folder the user chose).
 */
export function normalizeRelPath(name: string): string | null {
  const normalized = posix.normalize(name.replace(/\\/g, '/'));
  if (normalized === '.' || normalized === '..' || normalized.startsWith('../')) return null;
  if (normalized.startsWith('/') || /^[a-zA-Z]:/.test(normalized)) return null;
  return normalized.replace(/^\.\//, '');
}

/** zod issues as one readable line, e.g. `file_name: Invalid input: expected string, received number`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
