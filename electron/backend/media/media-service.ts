import { existsSync, realpathSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { MediaKind } from '../../../shared/contract/client.js';
import { checkImportedFile, type FileIdentity } from '../../files/imported-file.js';
import type { ImageRecord } from '../../storage/repos/images-repo.js';
import { isWithin } from '../../files/within.js';
import type { ProjectSession } from '../project-session.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS } from '../import/probe-image.js';
import { readRegularFile } from '../../files/read-regular-file.js';
import { renderThumbnail, writeThumbnailSync } from '../import/thumbnail.js';
import { thumbnailPath } from './asset-paths.js';

export interface MediaFile {
  path: string;
  contentType: string;
  /** The file checked (a source image): whoever opens `path` serves it only if it is still this one. */
  identity?: { dev: bigint; ino: bigint };
}

/** An image of the project whose file is no longer the one imported: `refused` names the file and says why. */
export interface MediaRefusal {
  refused: string;
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

  /** The open project's assets folder as a real path, resolved once per project rather than per request. */
  private realAssets: { dir: string; real: string | null } | null = null;

  constructor(private readonly session: ProjectSession) {}

  /** `mediaKey` is the project's the URL was made for: a page still showing another project gets nothing, not this one's image of the same id. */
  async resolve(kind: MediaKind, imageId: number, mediaKey: string | null): Promise<MediaFile | MediaRefusal | null> {
    const project = this.session.current;
    if (!project || !Number.isSafeInteger(imageId) || imageId <= 0 || mediaKey !== project.mediaKey) return null;
    if (this.realAssets?.dir !== project.assetsDir) this.realAssets = { dir: project.assetsDir, real: realPath(project.assetsDir) };
    const assets = this.realAssets.real;
    if (kind === 'reconstruction') {
      return assetFile(project.dir, assets, project.review.candidate(imageId)?.reconstruction ?? null, 'image/png');
    }
    const image = project.images.get(imageId);
    if (!image) return null;
    const source = await sourceFile(image, (identity) => project.images.adoptIdentity(imageId, identity));
    if (kind === 'image') return source;
    const path = thumbnailPath(project.assetsDir, imageId);
    if (existsSync(path)) return assetFile(project.dir, assets, path, 'image/webp');
    // A thumbnail can go missing (assets folder cleaned, project copied without it): remake it.
    if (!source || 'refused' in source) return null;
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
    // Through one checked handle (a regular file, within a time limit), like every file read on import.
    const { data } = await readRegularFile(sourcePath, { maxBytes: DEFAULT_MAX_BYTES });
    writeThumbnailSync(assetsDir, imageId, await renderThumbnail(data, DEFAULT_MAX_PIXELS));
    return { path, contentType: 'image/webp' };
  } catch {
    return null;
  }
}

/**
 * An imported image, by the path recorded at import, while it is still the imported file (see
 * checkImportedFile; an identity that changed with the bytes intact is recorded by `adopt`).
 * The identity checked goes with the answer, so the server sends only that file. Defence in
 * depth: a stored relative path must never climb out of its root.
 */
async function sourceFile(image: ImageRecord, adopt: (identity: FileIdentity) => void): Promise<MediaFile | MediaRefusal | null> {
  const path = resolve(image.rootPath, image.fileName);
  const contentType = CONTENT_TYPES[extname(path).toLowerCase()];
  if (!contentType || !isWithin(path, image.rootPath)) return null;
  const file = await checkImportedFile(path, image);
  if (!file.ok) return { refused: file.message };
  if (file.adopt) adopt(file.adopt);
  return { path: file.realPath, contentType, identity: { dev: BigInt(file.identity.dev), ino: BigInt(file.identity.ino) } };
}

/**
 * A file the project made (a reconstruction by the path its run recorded, relative to the
 * project; a thumbnail): only if it really lies inside the assets folder — a link placed there
 * pointing elsewhere is not followed out of it.
 */
function assetFile(projectDir: string, realAssetsDir: string | null, relPath: string | null, contentType: string): MediaFile | null {
  if (relPath === null || realAssetsDir === null) return null;
  const wanted = contentType === 'image/png' ? '.png' : '.webp';
  const real = realPath(resolve(projectDir, relPath));
  if (real === null || extname(real).toLowerCase() !== wanted || !isWithin(real, realAssetsDir)) return null;
  return statSync(real, { throwIfNoEntry: false })?.isFile() ? { path: real, contentType } : null;
}

function realPath(path: string): string | null {
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

