/**
 * `models pull`: fetches the files a family needs from a hub repo into the models folder and
 * writes the manifest last, so a folder with a manifest is a complete pull and one without is an
 * interrupted one (its `.part` files resume on the next pull).
 */
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isWithin } from '../files/within.js';
import { sha256File } from './file-hash.js';
import type { HubClient, HubFile } from './hub-client.js';
import { MANIFEST_FILE, writeManifest, type ManifestFile, type ModelManifest, type OnnxDtype, type Role } from './manifest.js';
import { inferFamily, resolveDescriptor, selectFiles } from './select-files.js';

export interface PullProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  fileDone: number;
  fileTotal: number | undefined;
  done: number;
  total: number | undefined;
}

export interface PullOptions {
  revision?: string;
  /** Skip inference from config.json / model_index.json. */
  family?: string;
  role?: Role;
  dtype?: OnnxDtype;
  /** Manifest id; defaults to the repo id. */
  id?: string;
  onProgress?: (progress: PullProgress) => void;
  signal?: AbortSignal;
}

export interface PullResult {
  dir: string;
  manifest: ModelManifest;
}

const REPO_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;

/** `org/name` → `org--name`, as the hub cache names repo folders. */
export function folderNameFor(repo: string): string {
  return repo.replace('/', '--');
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export async function pullModel(hub: HubClient, modelsDir: string, repo: string, options: PullOptions, now: () => Date): Promise<PullResult> {
  if (!REPO_ID.test(repo)) throw new Error(`'${repo}' is not a hub repo id (expected org/name)`);
  const revision = options.revision ?? 'main';
  const dtype = options.dtype ?? 'fp32';
  const listing = await hub.listing(repo, revision, options.signal);
  // Pin the commit: every file then comes from one snapshot even if the branch moves meanwhile.
  const pinned = listing.sha ?? revision;
  const byPath = new Map(listing.files.map((f) => [f.path, f]));
  const dir = join(modelsDir, folderNameFor(repo));
  await mkdir(dir, { recursive: true });
  // An older manifest would vouch for files this pull is about to replace.
  await rm(join(dir, MANIFEST_FILE), { force: true });

  const fetched = new Map<string, ManifestFile>();
  const fetchFile = async (file: HubFile, index: number, count: number, doneBefore: number, total: number | undefined) => {
    const dest = join(dir, file.path);
    // The listing was checked already; this keeps any other source of paths from leaving the folder too.
    if (!isWithin(dest, dir)) throw new Error(`${repo}: refusing to write ${file.path} outside ${dir}`);
    const existing = await stat(dest).then((s) => s.size, () => undefined);
    // Files a previous, interrupted pull already completed are kept when they still check out.
    if (existing !== undefined && existing === file.size) {
      const sha256 = await sha256File(dest);
      if (!file.sha256 || file.sha256 === sha256) {
        fetched.set(file.path, { path: file.path, sha256, bytes: existing });
        return existing;
      }
    }
    const result = await hub.download(repo, pinned, file, dest, {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (fileDone, fileTotal) =>
        options.onProgress?.({ file: file.path, fileIndex: index, fileCount: count, fileDone, fileTotal, done: doneBefore + fileDone, total }),
    });
    fetched.set(file.path, { path: file.path, sha256: result.sha256, bytes: result.bytes });
    return result.bytes;
  };

  let family = options.family;
  if (!family) {
    // The small files that name the family are fetched first; they are kept either way.
    const hintFiles = ['config.json', 'model_index.json'].flatMap((p) => (byPath.has(p) ? [byPath.get(p)!] : []));
    for (const [i, file] of hintFiles.entries()) await fetchFile(file, i, hintFiles.length, 0, undefined);
    const config = (await readJson(join(dir, 'config.json'))) as Parameters<typeof inferFamily>[0]['config'];
    const modelIndex = byPath.has('model_index.json') ? await readFile(join(dir, 'model_index.json'), 'utf8') : undefined;
    family = inferFamily({ files: [...byPath.keys()], config, modelIndexText: modelIndex });
  }
  const descriptor = resolveDescriptor(family, options.role);
  const role = options.role ?? descriptor.roles[0]!;
  const selection = selectFiles(descriptor, [...byPath.keys()], dtype);
  if (selection.missing.length > 0) {
    throw new Error(`${repo}@${revision} lacks what a ${family} model needs (dtype ${dtype}): ${selection.missing.join(', ')}`);
  }

  const files = selection.files.map((p) => byPath.get(p)!);
  const total = files.every((f) => f.size !== undefined) ? files.reduce((sum, f) => sum + f.size!, 0) : undefined;
  let done = 0;
  for (const [i, file] of files.entries()) {
    const already = fetched.get(file.path);
    done += already ? already.bytes : await fetchFile(file, i, files.length, done, total);
  }

  const manifest: ModelManifest = {
    id: options.id ?? repo,
    role,
    family,
    name: repo.split('/').pop()!,
    version: pinned.length === 40 ? pinned.slice(0, 12) : pinned,
    licence: listing.licence ?? 'unknown (see the model card)',
    source: { repo, revision: pinned },
    ...(descriptor.layout === 'onnx-dir' ? { dtype } : {}),
    pulledAt: now().toISOString(),
    files: selection.files.map((p) => fetched.get(p)!),
  };
  await writeManifest(dir, manifest);
  return { dir, manifest };
}
