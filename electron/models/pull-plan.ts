/**
 * What a pull will do, decided before anything is written: which family the repo is (or a
 * refusal: SDXL, an unknown family), which files that family and dtype need, and for each file
 * whether the user's Hugging Face cache already holds it (by hash) or the hub must send it.
 * The family hints (config.json, model_index.json) are read into memory, from the cache when it
 * has them, so a refused pull has requested no graph and written nothing.
 *
 * A revision whose every needed file the cache holds, with hashes it can vouch for, is planned
 * without a single request, but only when the cache has the commit's full listing
 * (`trees/{commit}.json`, written by `snapshot_download`): a snapshot folder alone cannot say which
 * files it lacks, and planning from it would silently leave out files the hub lists. Anything
 * less asks the hub for the listing (one request) and takes from the cache, by hash, the files
 * it holds. A branch is taken at the commit the
 * cache's `refs/` recorded (as huggingface_hub does offline); `--revision SHA` asks for another.
 */
import type { FamilyDescriptor } from './families.js';
import type { HubClient, HubFile } from './hub-client.js';
import { expectedHashOf, matchesBytes } from './hub/expected-hash.js';
import { readCachedSmall, type CachedFile, type HubCache } from './hub/hf-cache.js';
import { inferFamily, refuseUnsupported, UnsupportedModelError } from './infer-family.js';
import type { OnnxDtype, Role } from './manifest.js';
import { resolveDescriptor, selectFiles } from './select-files.js';

export interface PlannedFile {
  file: HubFile;
  /** Taken from the Hugging Face cache (hard link or copy) instead of downloaded. */
  cached?: CachedFile;
  /** A family hint already read (and hash-checked) while planning; written from memory. */
  bytes?: Buffer;
}

export interface PullPlan {
  repo: string;
  /** The commit every file comes from. */
  commit: string;
  family: string;
  role: Role;
  descriptor: FamilyDescriptor;
  dtype: OnnxDtype;
  licence?: string;
  files: PlannedFile[];
  /** The revision asked for (a branch, tag or commit sha). */
  revision: string;
  /** True when the plan was made from the cache alone, without a request to the hub. */
  offline: boolean;
  /** Said once before the pull: a cache that could not be used, a token withheld. Never a secret. */
  notes: string[];
}

/** What a pull is about to fetch, said before the first byte (CLI line, Models view progress). */
export interface PullPlanSummary {
  repo: string;
  commit: string;
  family: string;
  files: number;
  /** Undefined when the listing left a size out. */
  bytes: number | undefined;
  fromCache: { files: number; bytes: number };
  download: { files: number; bytes: number | undefined };
  /** Each file: its size (when listed) and whether the Hugging Face cache holds it. */
  list: { path: string; bytes: number | undefined; cached: boolean }[];
  /**
   * Set when the plan came from the Hugging Face cache alone: the commit its refs/ gave for
   * `revision`. The hub was not asked, so a branch that moved since is not seen.
   */
  plannedFromCache?: { revision: string; commit: string };
  notes?: string[];
}

export interface PlanOptions {
  revision: string;
  family?: string;
  role?: Role;
  dtype: OnnxDtype;
  signal?: AbortSignal;
  /** Told each note as it arises, before the request it concerns (a failed listing would hide it otherwise). */
  onNote?: (line: string) => void;
}

/** Small configs that name the family or a refusal, read into memory before anything is written. */
const HINTS = ['config.json', 'model_index.json', 'unet/config.json'];
/** No config that names a family comes near this; a larger "config" is not read into memory. */
const HINT_LIMIT = 1 << 20;

function parseJson(hint: { bytes: Buffer } | undefined): Record<string, unknown> | undefined {
  if (!hint) return undefined;
  try {
    const value: unknown = JSON.parse(hint.bytes.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // an unreadable config names no family; inferFamily says what it saw
  }
}

function matches(bytes: Buffer, file: HubFile, cached?: CachedFile): boolean {
  const expect = cached?.expect ?? expectedHashOf(file);
  return expect === undefined || matchesBytes(bytes, expect);
}

interface Source {
  commit: string;
  files: HubFile[];
  licence?: string;
  /** Reads a hint file into memory (saying when the cache had it), or undefined when it cannot (offline: not cached). */
  readHint(file: HubFile): Promise<{ bytes: Buffer; cached?: CachedFile } | undefined>;
  find(file: HubFile): Promise<CachedFile | undefined>;
}

async function decide(repo: string, source: Source, options: PlanOptions, offline: boolean): Promise<PullPlan | undefined> {
  const byPath = new Map(source.files.map((f) => [f.path, f]));
  const hints = new Map<string, { bytes: Buffer; cached?: CachedFile }>();
  for (const path of HINTS) {
    const file = byPath.get(path);
    if (!file) continue;
    const hint = await source.readHint(file);
    if (!hint) return undefined;
    hints.set(path, hint);
  }
  const modelIndexText = hints.get('model_index.json')?.bytes.toString('utf8');
  const config = parseJson(hints.get('config.json'));
  const unetConfig = parseJson(hints.get('unet/config.json'));
  const repoHints = { repo, files: [...byPath.keys()], config, modelIndexText, unetConfig };
  // SDXL and inpainting are refused even when a family is given: they would download and then fail at every run.
  refuseUnsupported(repoHints);
  const family = options.family ?? inferFamily(repoHints);
  const descriptor = resolveDescriptor(family, options.role);
  const selection = selectFiles(descriptor, [...byPath.keys()], options.dtype);
  if (selection.missing.length > 0) {
    if (offline) return undefined; // the snapshot may lack what the hub has
    throw new Error(`${repo}@${options.revision} lacks what a ${family} model needs (dtype ${options.dtype}): ${selection.missing.join(', ')}`);
  }
  const files: PlannedFile[] = [];
  for (const path of selection.files) {
    const file = byPath.get(path)!;
    const hint = hints.get(path);
    const bytes = hint?.bytes;
    const cached = hint ? hint.cached : await source.find(file);
    if (offline && !bytes && !cached) return undefined;
    files.push({ file, ...(cached ? { cached } : {}), ...(bytes ? { bytes } : {}) });
  }
  return {
    repo,
    commit: source.commit,
    family,
    role: options.role ?? descriptor.roles[0]!,
    descriptor,
    dtype: options.dtype,
    ...(source.licence ? { licence: source.licence } : {}),
    files,
    revision: options.revision,
    offline,
    notes: [],
  };
}

/** The plan from the cache alone, or undefined when the cache cannot answer for every file. */
async function planFromCache(cache: HubCache, repo: string, options: PlanOptions): Promise<PullPlan | undefined> {
  const commit = await cache.commitFor(repo, options.revision);
  if (!commit) return undefined;
  const listing = await cache.listing(repo, commit);
  if (!listing) return undefined;
  const source: Source = {
    commit,
    files: listing.files,
    ...(listing.licence ? { licence: listing.licence } : {}),
    find: (file) => cache.find(repo, commit, file),
    readHint: async (file) => {
      const cached = await cache.find(repo, commit, file);
      const bytes = cached && (await readCachedSmall(cached, HINT_LIMIT));
      return bytes && matches(bytes, file, cached) ? { bytes, cached } : undefined;
    },
  };
  return decide(repo, source, options, true);
}

export async function planPull(hub: HubClient, cache: HubCache | undefined, repo: string, options: PlanOptions): Promise<PullPlan> {
  const notes: string[] = [];
  const note = (line: string) => {
    notes.push(line);
    options.onNote?.(line);
  };
  if (hub.tokenWithheld) note(hub.tokenWithheld);
  let offline: PullPlan | undefined;
  try {
    offline = cache && (await planFromCache(cache, repo, options));
  } catch (error) {
    // A refusal holds whatever the hub would say (the cache's listing is the commit's full one).
    if (error instanceof UnsupportedModelError) throw error;
    note(`Hugging Face cache not usable: ${(error as Error).message}, asking the hub`);
  }
  if (offline) return { ...offline, notes };
  const listing = await hub.listing(repo, options.revision, options.signal);
  // Pin the commit: every file then comes from one snapshot even if the branch moves meanwhile.
  const commit = listing.sha ?? options.revision;
  const find = async (file: HubFile) => (cache ? cache.find(repo, listing.sha, file) : undefined);
  const source: Source = {
    commit,
    files: listing.files,
    ...(listing.licence ? { licence: listing.licence } : {}),
    find,
    readHint: async (file) => {
      const cached = await find(file);
      const local = cached && (await readCachedSmall(cached, HINT_LIMIT));
      if (local && matches(local, file, cached)) return { bytes: local, cached: cached! };
      return { bytes: await hub.readSmall(repo, commit, file, HINT_LIMIT, options.signal) };
    },
  };
  return { ...(await decide(repo, source, options, false))!, notes };
}

export function summarise(plan: PullPlan): PullPlanSummary {
  const sizes = plan.files.map((f) => f.file.size);
  const cached = plan.files.filter((f) => f.cached);
  const cachedBytes = cached.reduce((s, f) => s + f.cached!.size, 0);
  const rest = plan.files.filter((f) => !f.cached);
  const restBytes = rest.every((f) => f.file.size !== undefined) ? rest.reduce((s, f) => s + f.file.size!, 0) : undefined;
  return {
    repo: plan.repo,
    commit: plan.commit,
    family: plan.family,
    files: plan.files.length,
    bytes: sizes.every((s) => s !== undefined) ? sizes.reduce((s, n) => s + n!, 0) : undefined,
    fromCache: { files: cached.length, bytes: cachedBytes },
    download: { files: rest.length, bytes: restBytes },
    list: plan.files.map((f) => ({ path: f.file.path, bytes: f.cached?.size ?? f.file.size, cached: f.cached !== undefined })),
    ...(plan.offline ? { plannedFromCache: { revision: plan.revision, commit: plan.commit } } : {}),
    ...(plan.notes.length > 0 ? { notes: plan.notes } : {}),
  };
}
