/**
 * What a run records about each model it used, so a suggestion can be traced to exact weights:
 * the folder, the manifest's id and version when there is one, and the sha256 of every graph
 * and config file actually read.
 */
import { readdirSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { sha256File } from '../models/file-hash.js';
import { readManifest } from '../models/manifest.js';

export interface ModelProvenance {
  dir: string;
  id: string | null;
  version: string | null;
  files: { path: string; sha256: string }[];
}

export async function modelProvenance(dir: string): Promise<ModelProvenance> {
  const manifest = await readManifest(dir).catch(() => undefined);
  const files: ModelProvenance['files'] = [];
  for (const file of listFiles(dir).filter((f) => /\.(onnx|onnx_data|json|txt)$/.test(f))) {
    files.push({ path: relative(dir, file).split('\\').join('/'), sha256: await cachedSha256(file) });
  }
  return { dir, id: manifest?.id ?? null, version: manifest?.version ?? null, files };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
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
