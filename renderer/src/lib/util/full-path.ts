/**
 * Paths typed into the app go to a backend that may have been started anywhere (browser mode
 * serves from a terminal's folder), so a relative one would land somewhere the user never meant.
 * The forms ask for full paths and say so, before anything is sent.
 */
import { ApiError, ErrorCode } from '../../../../shared/contract/errors.js';

/** POSIX `/…`, Windows `C:\…` or `C:/…`, or a UNC share `\\server\…`. */
export function isFullPath(path: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\[^\\])/.test(path.trim());
}

/** Throws an INVALID_INPUT error naming the field when `path` is not a full path. */
export function requireFullPath(field: string, path: string): string {
  if (isFullPath(path)) return path.trim();
  const hint = path.trim().startsWith('~') ? ' (~ is not expanded: write the home folder out)' : '';
  throw new ApiError(ErrorCode.InvalidInput, `${field}: "${path}" is not a full path${hint}. Give it from the root, e.g. /home/me/data or C:\\data.`);
}
