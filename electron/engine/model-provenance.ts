/**
 * What a run records about each model it used, so a suggestion can be traced to exact weights:
 * the folder, the manifest's id and version when there is one, and the sha256 of every graph
 * and config file actually read.
 */
import { stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import { sha256File } from '../models/file-hash.js';
import { MANIFEST_FILE, readManifest } from '../models/manifest.js';
import { listModelFolder } from '../models/model-folder-files.js';

export interface ModelProvenance {
  dir: string;
  id: string | null;
  version: string | null;
  files: { path: string; sha256: string }[];
}

/**
 * Refuses a folder whose manifest is there but rejected (issue 16: `suggest --captioner DIR` ran
 * such a folder, recording it as if it had none), and a folder holding an entry that cannot be
 * read as a file (a link loop, a FIFO), naming it. A folder without a manifest is fine.
 */
export async function modelProvenance(dir: string): Promise<ModelProvenance> {
  let manifest;
  try {
    manifest = await readManifest(dir);
  } catch (error) {
    throw new ApiError(
      ErrorCode.BadFormat,
      `${dir} is not a usable model: ${(error as Error).message}. Fix or remove ${join(dir, MANIFEST_FILE)} (\`roundtrip models verify\` lists what is wrong).`,
    );
  }
  const listing = await listModelFolder(dir);
  if (listing.problems.length > 0) {
    throw new ApiError(ErrorCode.BadFormat, `${dir} is not a usable model: ${listing.problems.join('; ')}.`);
  }
  const files: ModelProvenance['files'] = [];
  for (const file of listing.files.filter((f) => /\.(onnx|onnx_data|json|txt)$/.test(f))) {
    files.push({ path: relative(dir, file).split('\\').join('/'), sha256: await cachedSha256(file) });
  }
  return { dir, id: manifest?.id ?? null, version: manifest?.version ?? null, files };
}

const hashes = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

/**
 * sha256 of a file, remembered for this process by path, size and modification time: model files
 * are gigabytes, and a run's models are hashed when it is created and again before it executes
 * (model-drift.ts). A rewrite that keeps both size and mtime would go unnoticed; weights being
 * replaced by a download or an export do not.
 */
export async function cachedSha256(path: string): Promise<string> {
  const { size, mtimeMs } = await stat(path);
  const known = hashes.get(path);
  if (known && known.size === size && known.mtimeMs === mtimeMs) return known.sha256;
  const sha256 = await sha256File(path);
  hashes.set(path, { size, mtimeMs, sha256 });
  return sha256;
}
