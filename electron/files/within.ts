import { isAbsolute, relative, sep } from 'node:path';

/**
 * True when `child` is `parent` or lies inside it (both absolute and resolved). A name such as
 * "..cat.png" is inside; only a ".." segment climbs out.
 */
export function isWithin(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
