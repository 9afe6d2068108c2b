/**
 * Putting images into a folder export: names that cannot clash, and the file itself as a hard
 * link (instant, no extra space; a copy where the file system cannot link, e.g. across drives),
 * a symbolic link, or a copy (copy-on-write where the file system supports it).
 */
import { constants } from 'node:fs';
import { copyFile, link, mkdir, symlink } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { LinkMode } from '../../../shared/contract/export-schemas.js';
import type { ExportImage } from '../../storage/repos/export-source-repo.js';
import { ioError } from './atomic-file.js';

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

/** `a/b.jpg` → `a/b` + suffix (sidecars: `.txt`). */
export const withoutExtension = (name: string): string => name.slice(0, name.length - posix.extname(name).length);

export class ImagePlacer {
  private readonly made = new Set<string>();

  constructor(
    private readonly folder: string,
    private readonly mode: LinkMode,
  ) {}

  /** Puts `source` at `name` (POSIX, relative to the export folder). */
  async place(source: string, name: string): Promise<void> {
    const target = join(this.folder, ...name.split('/'));
    await this.ensureDir(dirname(target));
    try {
      if (this.mode === 'symlink') return await symlink(source, target);
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
