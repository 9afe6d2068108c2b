/**
 * Putting images into a folder export: names that cannot clash and cannot leave the folder, and
 * the file itself as a copy (the default; copy-on-write where the file system supports it, so
 * a trainer rewriting an exported image never changes the source), a hard link (no extra space,
 * the same file as the source; a copy where the file system cannot link, e.g. across drives),
 * or a symbolic link to the source's real path (a link to a link breaks when the middle one goes).
 */
import { constants } from 'node:fs';
import { copyFile, link, mkdir, realpath, symlink } from 'node:fs/promises';
import { dirname, posix, resolve } from 'node:path';
import type { LinkMode } from '../../../shared/contract/export-schemas.js';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { ExportImage } from '../../storage/repos/export-source-repo.js';
import { ioError } from '../../files/atomic-file.js';
import { describeImage } from './export-context.js';
import { isWithin } from '../../files/within.js';

/**
 * Names of images in a folder export: the path relative to the dataset root when one dataset is
 * exported (so a re-import sees the same file names), else under a folder per dataset, named
 * after it (with its id when two exported datasets share a name).
 */
export class ExportNames {
  private readonly prefixes = new Map<number, string>();

  constructor(datasets: readonly { id: number; name: string }[]) {
    if (datasets.length <= 1) return;
    const uses = new Map<string, number>();
    for (const d of datasets) uses.set(d.name, (uses.get(d.name) ?? 0) + 1);
    for (const d of datasets) {
      const safe = d.name.replace(/[\\/:*?"<>|]/g, '_').replace(/^\.+/, '_') || 'dataset';
      this.prefixes.set(d.id, (uses.get(d.name) ?? 0) > 1 || safe !== d.name ? `${safe}-${d.id}` : safe);
    }
  }

  /** POSIX path of the image inside the export. */
  of(image: ExportImage): string {
    const prefix = this.prefixes.get(image.datasetId);
    return prefix === undefined ? image.relPath : posix.join(prefix, image.relPath);
  }
}

/**
 * The absolute path of `name` (POSIX, relative) inside `folder`; refuses a name that would leave
 * it (a `../` or absolute path stored in the project), naming the image it came from.
 */
export function pathInside(folder: string, name: string, image: ExportImage): string {
  const target = resolve(folder, ...name.split('/'));
  if (name === '' || posix.isAbsolute(name) || target === folder || !isWithin(target, folder)) {
    throw new ApiError(ErrorCode.InvalidInput, `Cannot export ${describeImage(image)}: its path "${name}" would be written outside the export folder. Fix or remove that image (nothing was written).`);
  }
  return target;
}

/** `a/b.jpg` → `a/b` + suffix (sidecars: `.txt`). */
export const withoutExtension = (name: string): string => name.slice(0, name.length - posix.extname(name).length);

export class ImagePlacer {
  private readonly made = new Set<string>();

  constructor(
    private readonly folder: string,
    private readonly mode: LinkMode,
  ) {}

  /** Puts `source` (the file of `image`) at `name` (POSIX, relative to the export folder). */
  async place(source: string, name: string, image: ExportImage): Promise<void> {
    const target = pathInside(this.folder, name, image);
    await this.ensureDir(dirname(target));
    try {
      if (this.mode === 'symlink') return await symlink(await realpath(source), target);
      if (this.mode === 'hardlink') {
        try {
          return await link(source, target);
        } catch (error) {
          // Another drive, or a file system without hard links: fall back to a copy.
          if (!['EXDEV', 'EPERM', 'ENOTSUP', 'EMLINK', 'EOPNOTSUPP'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
        }
      }
      await copyFile(source, target, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    } catch (error) {
      throw ioError(target, error);
    }
  }

  async ensureDir(dir: string): Promise<void> {
    if (this.made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.made.add(dir);
  }
}
