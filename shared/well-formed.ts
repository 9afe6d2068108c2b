/**
 * Lone surrogates: a string holding half of a UTF-16 surrogate pair cannot be written as UTF-8,
 * and SQLite stored it as invalid UTF-8 that other readers of the project refuse (issue 16). JSON
 * lets a file or a request spell one as "\ud800", so every boundary where text enters checks here.
 */

// With the `u` flag a regex sees code points: a well-formed pair is one code point outside this range.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** The UTF-16 index of the first lone surrogate in `text`, or -1. */
export function loneSurrogateIndex(text: string): number {
  const match = LONE_SURROGATE.exec(text);
  return match ? match.index : -1;
}

export const isWellFormedText = (text: string): boolean => !LONE_SURROGATE.test(text);

/**
 * The path (e.g. `finalText` or `tags.2`) of the first string in `value` that holds a lone
 * surrogate, searching objects and arrays (keys too), or null when every string is well formed.
 */
export function findIllFormedString(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return isWellFormedText(value) ? null : path.join('.') || '(the value)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findIllFormedString(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (!isWellFormedText(key)) return [...path, '(a key)'].join('.');
      const found = findIllFormedString(item, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}
