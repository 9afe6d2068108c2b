/**
 * `mkdir -p` that always ends. Node's recursive mkdir takes ENOENT to mean "the parent is
 * missing", makes the parent (EEXIST: fine) and tries the child again, forever, when a folder
 * that exists refuses the child with ENOENT, as /proc does: `project:create` of /proc/x froze
 * browser mode at 100% CPU (issue 16, found by the fault suite). Here the missing folders are made
 * one by one, below the nearest one that exists, and the first failure is the answer.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeFolderSync(path: string): void {
  const missing: string[] = [];
  for (let at = resolve(path); ; ) {
    try {
      statSync(at);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        missing.unshift(at); // its mkdir reports why (ENOTDIR, EACCES…)
        break;
      }
    }
    const parent = dirname(at);
    missing.unshift(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      // A dangling link by that name also says EEXIST; making its child then fails with ENOENT.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
