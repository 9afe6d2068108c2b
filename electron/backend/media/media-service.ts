import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
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
  constructor(private readonly session: ProjectSession) {}

  async resolve(kind: MediaKind, imageId: number): Promise<MediaFile | null> {
    const project = this.session.current;
    if (!project || !Number.isSafeInteger(imageId) || imageId <= 0) return null;
    if (kind === 'reconstruction') {
      return reconstructionFile(project.dir, project.assetsDir, project.review.candidate(imageId)?.reconstruction ?? null);
    }
    const image = project.images.get(imageId);
    if (!image) return null;
    const source = sourceFile(image.rootPath, image.fileName);
    if (kind === 'image') return source;
    const path = thumbnailPath(project.assetsDir, imageId);
    if (existsSync(path)) return { path, contentType: 'image/webp' };
    // A thumbnail can go missing (assets folder cleaned, project copied without it): remake it.
    if (!source) return null;
    try {
      writeThumbnailSync(project.assetsDir, imageId, await renderThumbnail(await readFile(source.path), DEFAULT_MAX_PIXELS));
      return { path, contentType: 'image/webp' };
    } catch {
      return null;
    }
  }
}

function sourceFile(rootPath: string, relPath: string): MediaFile | null {
  const path = resolve(rootPath, relPath);
  // Defence in depth: a stored relative path must never climb out of its dataset root.
  const inside = relative(rootPath, path);
  if (inside.startsWith('..') || isAbsolute(inside)) return null;
  const contentType = CONTENT_TYPES[extname(path).toLowerCase()];
  return contentType && existsSync(path) ? { path, contentType } : null;
}

/** A reconstruction by the path its run recorded (relative to the project), only inside the assets folder. */
function reconstructionFile(projectDir: string, assetsDir: string, relPath: string | null): MediaFile | null {
  if (relPath === null) return null;
  const path = resolve(projectDir, relPath);
  const inside = relative(assetsDir, path);
  if (inside.startsWith('..') || isAbsolute(inside) || extname(path).toLowerCase() !== '.png') return null;
  return existsSync(path) ? { path, contentType: 'image/png' } : null;
}

/** Parses `/media/<kind>/<id>` (the path part shared by both transports); a reconstruction's id is its candidate's. */
export function parseMediaPath(pathname: string): { kind: MediaKind; imageId: number } | null {
  const match = /^\/media\/(thumb|image|reconstruction)\/([1-9][0-9]{0,15})$/.exec(pathname);
  if (!match) return null;
  return { kind: match[1] as MediaKind, imageId: Number(match[2]) };
}

