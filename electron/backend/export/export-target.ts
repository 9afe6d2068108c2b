/**
 * Where an export may go, checked before any work. Paths are compared as real paths (symbolic
 * links resolved; for a target that does not exist yet, the real path of its nearest existing
 * folder), so a link to the project cannot smuggle an export into it. Refused:
 * - a target inside, equal to, or holding the project folder or any dataset's root folder (an
 *   export there could replace the database, the images, or the export's own sources);
 * - for file formats: a folder, a FIFO, socket or device, a missing parent folder, or an existing
 *   file that this project did not export there (the export log records every path), unless it is empty;
 * - for folder formats: a file, or a folder that is neither empty nor an earlier export of this
 *   project: its roundtrip-export.json must match an export the project's log records at that
 *   path (exportFolderKind; a marker alone, even `{}`, used to be enough, issue 16).
 */
import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isFolderFormat, type ExportFormat } from '../../../shared/contract/export-schemas.js';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { Project } from '../../storage/project.js';
import type { ExportRecord } from '../../storage/repos/exports-repo.js';
import { ioError } from '../../files/atomic-file.js';
import { EXPORT_MARKER, requireReplaceable, type FolderKind } from '../../files/atomic-folder.js';
import { isWithin } from '../../files/within.js';

/** The real path of `path`: symbolic links resolved as far as the path exists, the rest appended. */
export async function realTarget(path: string): Promise<string> {
  const rest: string[] = [];
  for (let at = resolve(path); ; ) {
    try {
      return join(await realpath(at), ...rest);
    } catch {
      const parent = dirname(at);
      if (parent === at) return resolve(path);
      rest.unshift(basename(at));
      at = parent;
    }
  }
}

/** The project folder and every dataset root, as real paths, each with what it is (for messages). */
async function protectedFolders(project: Project): Promise<{ path: string; what: string }[]> {
  const folders = [{ path: project.dir, what: 'the project folder' }, ...project.datasets.list().map((d) => ({ path: d.rootPath, what: `the folder of dataset "${d.name}"` }))];
  return Promise.all(folders.map(async (f) => ({ path: await realTarget(f.path), what: f.what })));
}

/** Throws unless `out` (absolute) stays clear of the project and its datasets' folders. */
export async function refuseProtectedTarget(project: Project, out: string): Promise<void> {
  const real = await realTarget(out);
  for (const folder of await protectedFolders(project)) {
    const how = isWithin(real, folder.path) ? 'is inside' : isWithin(folder.path, real) ? 'holds' : null;
    if (!how) continue;
    const via = real === out ? '' : ` (really ${real})`;
    throw new ApiError(ErrorCode.InvalidInput, `${out}${via} ${how} ${folder.what}, ${folder.path}; exports go outside the project and its datasets' folders. Choose another place (nothing was written).`);
  }
}

/** Every check of the target that can be made before the export is built. */
export async function checkExportTarget(project: Project, format: ExportFormat, out: string): Promise<void> {
  await refuseProtectedTarget(project, out);
  if (isFolderFormat(format)) await requireReplaceable(out, exportFolderKind(project));
  else await requireReplaceableFile(project, out);
}

async function requireReplaceableFile(project: Project, out: string): Promise<void> {
  const info = await stat(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
    throw ioError(out, error);
  });
  if (!info) {
    await requireReplaceable(out); // nothing there: says what is wrong with the parent folder, if anything
    return;
  }
  if (info.isDirectory()) throw new ApiError(ErrorCode.Conflict, `${out} is a folder; this format writes a file. Give a file name, e.g. ${join(out, 'export.json')}.`);
  // A FIFO, socket or device is "empty" (size 0) but is no file to replace: the rename would put
  // the export in its place (as root, over /dev/null). Issue 16's fault suite found this.
  if (!info.isFile()) throw new ApiError(ErrorCode.Conflict, `${out} is ${specialKind(info)}, not a regular file; choose another path for the export (nothing was written).`);
  if (info.size === 0 || project.exports.exportedTo([out, await realTarget(out)])) return;
  throw new ApiError(
    ErrorCode.Conflict,
    `${out} already exists and is not an earlier export of this project; choose another path, or delete the file first (nothing was written).`,
  );
}

function specialKind(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'a special file';
}

/** Folder exports of `project`: a folder may be replaced only when it is one of the project's own earlier exports. */
export function exportFolderKind(project: Project): FolderKind {
  return Object.freeze({
    marker: EXPORT_MARKER,
    what: 'export',
    owns: async (target: string, marker: Buffer) => {
      const records = project.exports.at([...new Set([target, await realTarget(target)])]);
      const written = parseMarker(marker);
      return written !== null && records.some((record) => markerMatches(written, record));
    },
  });
}

/**
 * Whether a folder's marker is the one written by the export `record` logs: same folder format,
 * same filters, written while that export ran. (The log is written after the folder, so it
 * cannot hold a hash of the marker; these fields are in both.)
 */
export function markerMatches(marker: Record<string, unknown>, record: ExportRecord): boolean {
  const at = marker.exported_at;
  return (
    isFolderFormat(record.format as ExportFormat) &&
    marker.format === record.format &&
    typeof at === 'string' &&
    record.startedAt <= at &&
    at <= record.finishedAt &&
    isDeepStrictEqual(marker.filters, record.filters)
  );
}

function parseMarker(bytes: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
