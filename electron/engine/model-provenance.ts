/**
 * What a run records about each model it used, so a suggestion can be traced to exact weights:
 * the folder, the manifest's id and version when there is one, and the sha256 of every graph
 * and config file actually read.
 */
import { readdirSync, statSync } from 'node:fs';
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
    files.push({ path: relative(dir, file).split('\\').join('/'), sha256: await sha256File(file) });
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
