/**
 * `models pull`: fetches the files a family needs from a hub repo into the models folder and
 * writes the manifest last, so a folder with a manifest is a complete pull and one without is an
 * interrupted one (its `.part` files resume on the next pull). What to fetch is planned first
 * (pull-plan.ts): a refused repo writes nothing, and the plan's size is told before any download.
 * Files the user's Hugging Face cache holds are hard-linked or copied from it instead.
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isWithin } from '../files/within.js';
import { sha256File } from './file-hash.js';
import type { HubClient } from './hub-client.js';
import { expectedHashOf, hashFile, matchesHashes } from './hub/expected-hash.js';
import type { HubCache } from './hub/hf-cache.js';
import { takeFromCache } from './hub/take-from-cache.js';
import { MANIFEST_FILE, writeManifest, type ManifestFile, type ModelManifest, type OnnxDtype, type Role } from './manifest.js';
import { planPull, summarise, type PlannedFile, type PullPlanSummary } from './pull-plan.js';
import { publishedRunDefaults } from './published-run-defaults.js';

export type { PullPlanSummary } from './pull-plan.js';

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
  /** Called with what a person should know while planning (the cache was not usable, a token withheld); never a secret. */
  onNote?: (line: string) => void;
  /** Called once, before the first file is fetched: how many files and bytes, and how many the cache holds. */
  onPlan?: (plan: PullPlanSummary) => void;
  onProgress?: (progress: PullProgress) => void;
  signal?: AbortSignal;
}

export interface PullResult {
  dir: string;
  manifest: ModelManifest;
  plan: PullPlanSummary;
}

const REPO_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;

/** `org/name` → `org--name`, as the hub cache names repo folders. */
export function folderNameFor(repo: string): string {
  return repo.replace('/', '--');
}

export interface PullDeps {
  hub: HubClient;
  /** The user's Hugging Face hub cache, when it is to be reused. */
  cache?: HubCache | undefined;
  now: () => Date;
}

export async function pullModel(deps: PullDeps, modelsDir: string, repo: string, options: PullOptions): Promise<PullResult> {
  if (!REPO_ID.test(repo)) throw new Error(`'${repo}' is not a hub repo id (expected org/name)`);
  const revision = options.revision ?? 'main';
  const plan = await planPull(deps.hub, deps.cache, repo, {
    revision,
    dtype: options.dtype ?? 'fp32',
    ...(options.family ? { family: options.family } : {}),
    ...(options.role ? { role: options.role } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onNote ? { onNote: options.onNote } : {}),
  });
  const summary = summarise(plan);
  options.onPlan?.(summary);

  const dir = join(modelsDir, folderNameFor(repo));
  await mkdir(dir, { recursive: true });
  // An older manifest would vouch for files this pull is about to replace.
  await rm(join(dir, MANIFEST_FILE), { force: true });

  const total = summary.bytes;
  const fetched: ManifestFile[] = [];
  let done = 0;
  const fetchOne = async ({ file, cached, bytes }: PlannedFile, index: number): Promise<ManifestFile> => {
    const dest = join(dir, file.path);
    // The listing was checked already; this keeps any other source of paths from leaving the folder too.
    if (!isWithin(dest, dir)) throw new Error(`${repo}: refusing to write ${file.path} outside ${dir}`);
    const report = (fileDone: number, fileTotal: number | undefined) =>
      options.onProgress?.({ file: file.path, fileIndex: index, fileCount: plan.files.length, fileDone, fileTotal, done: done + fileDone, total });
    if (bytes) {
      await mkdir(dirname(dest), { recursive: true });
      await writeFile(dest, bytes);
      report(bytes.length, bytes.length);
      return { path: file.path, sha256: await sha256File(dest), bytes: bytes.length };
    }
    if (cached) {
      const taken = await takeFromCache(cached, dest);
      if (taken) {
        report(taken.bytes, taken.bytes);
        return { path: file.path, sha256: taken.sha256, bytes: taken.bytes };
      }
      // A cached file whose content no longer matches its hash is downloaded instead.
    }
    // A file a previous, interrupted pull completed is kept when its content matches the listing's
    // hash: the LFS sha256, or for every other file the git blob id. Size alone vouches for nothing.
    const expect = expectedHashOf(file);
    const existing = await stat(dest).then((s) => (s.isFile() ? s.size : undefined), () => undefined);
    if (expect && existing !== undefined && existing === file.size) {
      const hashes = await hashFile(dest, { git: 'gitSha1' in expect }).catch(() => undefined);
      if (hashes && matchesHashes(hashes, expect)) return { path: file.path, sha256: hashes.sha256, bytes: hashes.bytes };
    }
    const result = await deps.hub.download(repo, plan.commit, file, dest, { ...(options.signal ? { signal: options.signal } : {}), onProgress: report });
    return { path: file.path, sha256: result.sha256, bytes: result.bytes };
  };
  for (const [index, planned] of plan.files.entries()) {
    options.signal?.throwIfAborted();
    const entry = await fetchOne(planned, index);
    fetched.push(entry);
    done += entry.bytes;
  }

  // Distilled generators (SD-turbo, LCM) get their publisher's steps, guidance and sampler (part of the manifest, shown in the Models view).
  const runDefaults = plan.role === 'generator' ? publishedRunDefaults(plan.family, dir) : undefined;
  const manifest: ModelManifest = {
    id: options.id ?? repo,
    role: plan.role,
    family: plan.family,
    name: repo.split('/').pop()!,
    version: plan.commit.length === 40 ? plan.commit.slice(0, 12) : plan.commit,
    licence: plan.licence ?? 'unknown (see the model card)',
    source: { repo, revision: plan.commit },
    ...(plan.descriptor.layout === 'onnx-dir' ? { dtype: plan.dtype } : {}),
    pulledAt: deps.now().toISOString(),
    ...(runDefaults ? { runDefaults } : {}),
    files: fetched.sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
  await writeManifest(dir, manifest);
  return { dir, manifest, plan: summary };
}
