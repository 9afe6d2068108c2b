import { existsSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { MediaKind } from '../../../shared/contract/client.js';
import type { ProjectSession } from '../project-session.js';
import { DEFAULT_MAX_PIXELS } from '../import/probe-image.js';
import { renderThumbnail, writeThumbnailSync } from '../import/thumbnail.js';
import { thumbnailPath } from './asset-paths.js';

export interface MediaFile {
  path: string;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
};

/**
 * Resolves an image id to a file on disk, only for images registered in the open project.
 * Transports never take a path from the renderer: they ask this service by id.
 */
export class MediaService {
  /** Thumbnails being remade, by path: a grid asking for one many times at once decodes its image once. */
  private readonly remaking = new Map<string, Promise<MediaFile | null>>();

  constructor(private readonly session: ProjectSession) {}

  /** `mediaKey` is the project's the URL was made for: a page still showing another project gets nothing, not this one's image of the same id. */
  async resolve(kind: MediaKind, imageId: number, mediaKey: string | null): Promise<MediaFile | null> {
    const project = this.session.current;
    if (!project || !Number.isSafeInteger(imageId) || imageId <= 0 || mediaKey !== project.mediaKey) return null;
    if (kind === 'reconstruction') {
      return assetFile(project.dir, project.assetsDir, project.review.candidate(imageId)?.reconstruction ?? null, 'image/png');
    }
    const image = project.images.get(imageId);
    if (!image) return null;
    const source = sourceFile(image.rootPath, image.fileName, image.bytes);
    if (kind === 'image') return source;
    const path = thumbnailPath(project.assetsDir, imageId);
    if (existsSync(path)) return assetFile(project.dir, project.assetsDir, path, 'image/webp');
    // A thumbnail can go missing (assets folder cleaned, project copied without it): remake it.
    if (!source) return null;
    let remade = this.remaking.get(path);
    if (!remade) {
      remade = remakeThumbnail(project.assetsDir, imageId, source.path, path).finally(() => this.remaking.delete(path));
      this.remaking.set(path, remade);
    }
    return remade;
  }
}

async function remakeThumbnail(assetsDir: string, imageId: number, sourcePath: string, path: string): Promise<MediaFile | null> {
  try {
    writeThumbnailSync(assetsDir, imageId, await renderThumbnail(await readFile(sourcePath), DEFAULT_MAX_PIXELS));
    return { path, contentType: 'image/webp' };
  } catch {
    return null;
  }
}

/** `child` (already resolved) lies inside `parent`. */
function isInside(parent: string, child: string): boolean {
  const inside = relative(parent, child);
  // A name such as "..cat.png" is inside; only a ".." segment climbs out.
  return inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
}

/** The real path of a regular file, or null (missing, a folder, a dangling link). */
function realFile(path: string): string | null {
  try {
    const real = realpathSync(path);
    return statSync(real).isFile() ? real : null;
  } catch {
    return null; // missing, a dangling link, or gone between the two calls
  }
}

/**
 * An imported image, by the path and size recorded at import. Datasets may hold symbolic links
 * (a common way to assemble one), so a link is followed; but a file whose size is no longer the
 * imported one is not served: it is not the image the project knows (swapped, or a link
 * retargeted at some other file since).
 */
function sourceFile(rootPath: string, relPath: string, bytes: number): MediaFile | null {
  const path = resolve(rootPath, relPath);
  // Defence in depth: a stored relative path must never climb out of its dataset root.
  if (!isInside(rootPath, path)) return null;
  const contentType = CONTENT_TYPES[extname(path).toLowerCase()];
  const real = contentType ? realFile(path) : null;
  if (!real || sizeOf(real) !== bytes) return null;
  return { path: real, contentType: contentType! };
}

/**
 * A file the project made (a reconstruction by the path its run recorded, relative to the
 * project; a thumbnail): only if it really lies inside the assets folder — a link placed there
 * pointing elsewhere is not followed out of it.
 */
function assetFile(projectDir: string, assetsDir: string, relPath: string | null, contentType: string): MediaFile | null {
  if (relPath === null) return null;
  const path = resolve(projectDir, relPath);
  const wanted = contentType === 'image/png' ? '.png' : '.webp';
  if (!isInside(assetsDir, path) || extname(path).toLowerCase() !== wanted) return null;
  const real = realFile(path);
  const realAssets = safeRealpath(assetsDir);
  return real && realAssets && isInside(realAssets, real) ? { path: real, contentType } : null;
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

function safeRealpath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** The `p` query parameter of a media URL: the project's media key (see ApiClient.mediaUrl). */
export function mediaKeyOf(url: URL): string | null {
  return url.searchParams.get('p');
}

/** Parses `/media/<kind>/<id>` (the path part shared by both transports); a reconstruction's id is its candidate's. */
export function parseMediaPath(pathname: string): { kind: MediaKind; imageId: number } | null {
  const match = /^\/media\/(thumb|image|reconstruction)\/([1-9][0-9]{0,15})$/.exec(pathname);
  if (!match) return null;
  return { kind: match[1] as MediaKind, imageId: Number(match[2]) };
}

