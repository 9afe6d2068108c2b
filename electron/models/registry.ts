/**
 * The model registry: every model folder under the user's models dir plus read-only bundled
 * roots (the demo models), with listing, lookup, verification and pulling from a hub.
 * Dependencies (folders, fetch, clock, graph loader) come through the constructor.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { userDataDir } from '../backend/user-data.js';
import { FAMILIES, graphPath, type FamilyDescriptor } from './families.js';
import { openWithOnnxRuntime, type GraphOpener } from './graph-check.js';
import { DEFAULT_HUB_URL, HubClient, type FetchLike } from './hub-client.js';
import { HubCache } from './hub/hf-cache.js';
import { hubCacheDir } from './hub/hf-paths.js';
import { readHubToken } from './hub/hub-token.js';
import { readManifest, type ModelManifest, type Role } from './manifest.js';
import { pullModel, type PullOptions, type PullResult } from './pull.js';
import { verifyFolder, type VerifyReport } from './verify.js';

/**
 * installed: manifest present and every listed file has its size; incomplete: files missing or
 * a pull was interrupted; unmanaged: no manifest but a recognisable layout (hashes unknown);
 * invalid: the manifest cannot be read.
 */
export type ModelStatus = 'installed' | 'incomplete' | 'unmanaged' | 'invalid';

export interface InstalledModel {
  id: string;
  role: Role | undefined;
  family: string | undefined;
  name: string;
  version: string | undefined;
  licence: string | undefined;
  path: string;
  readOnly: boolean;
  status: ModelStatus;
  /** Why the status is not `installed`. */
  detail?: string;
  manifest?: ModelManifest;
}

export interface ModelRegistryOptions {
  /** Where pulled models go; default `userDataDir()/models`. */
  modelsDir?: string;
  /** Bundled, read-only roots listed after the models dir; default the demo models. */
  readOnlyRoots?: readonly string[];
  fetch?: FetchLike;
  /** Default `ROUNDTRIP_HUB_URL`, else https://huggingface.co. */
  hubUrl?: string;
  clock?: () => Date;
  openGraph?: GraphOpener;
  /** Also where the hub token (HF_TOKEN, HF_TOKEN_PATH, HF_HOME) and the Hugging Face cache are looked up. */
  env?: NodeJS.ProcessEnv;
  /** The Hugging Face hub cache to reuse files from; default as huggingface_hub finds it, `null` for none. */
  hubCacheDir?: string | null;
}

/** The demo models shipped in `resources/demo` (from the source tree and from dist/ bundles alike). */
export function defaultDemoRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.ROUNDTRIP_DEMO_MODELS || resolve(import.meta.dirname, '..', '..', 'resources', 'demo');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function hasPartFiles(dir: string, depth = 2): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isFile() && entry.name.endsWith('.part')) return true;
    if (entry.isDirectory() && depth > 0 && (await hasPartFiles(join(dir, entry.name), depth - 1))) return true;
  }
  return false;
}

/** Families tried on a folder without a manifest; the more specific layouts come first. */
const DETECTION_ORDER = ['vit-gpt2', 'stable-diffusion', 'clip', 'sentence-transformers', 'dinov2'];

async function detectFamily(dir: string): Promise<FamilyDescriptor | undefined> {
  for (const family of DETECTION_ORDER) {
    const d = FAMILIES.get(family)!;
    const graphs = d.graphs.filter((g) => !g.optional).map((g) => graphPath(d, g));
    const files = d.requiredFiles.map((f) => f.replace(/\/$/, ''));
    if ((await Promise.all([...graphs, ...files].map((p) => exists(join(dir, p))))).every(Boolean)) return d;
  }
  return undefined;
}

export class ModelRegistry {
  readonly modelsDir: string;
  readonly readOnlyRoots: readonly string[];
  readonly hubUrl: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly fetch: FetchLike | undefined;
  private readonly cache: HubCache | undefined;
  private readonly clock: () => Date;
  private readonly openGraph: GraphOpener;
  private readonly pulls = new Set<AbortController>();

  constructor(options: ModelRegistryOptions = {}) {
    const env = options.env ?? process.env;
    this.modelsDir = options.modelsDir ?? join(userDataDir(env), 'models');
    this.readOnlyRoots = options.readOnlyRoots ?? [defaultDemoRoot(env)];
    this.env = env;
    this.hubUrl = (options.hubUrl ?? (env.ROUNDTRIP_HUB_URL || DEFAULT_HUB_URL)).replace(/\/+$/, '');
    this.fetch = options.fetch;
    const cacheDir = options.hubCacheDir === undefined ? hubCacheDir(env) : options.hubCacheDir;
    this.cache = cacheDir ? new HubCache(cacheDir) : undefined;
    this.clock = options.clock ?? (() => new Date());
    this.openGraph = options.openGraph ?? openWithOnnxRuntime;
  }

  /** The Hugging Face cache pulls reuse files from, if any. */
  get hubCacheDir(): string | undefined {
    return this.cache?.dir;
  }

  /** Every model folder, user models first (they shadow a bundled model with the same id). */
  async list(): Promise<InstalledModel[]> {
    const models: InstalledModel[] = [];
    for (const [index, root] of [this.modelsDir, ...this.readOnlyRoots].entries()) {
      const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
      for (const entry of entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name))) {
        models.push(await this.describe(join(root, entry.name), entry.name, index > 0));
      }
    }
    return models;
  }

  async get(id: string): Promise<InstalledModel | undefined> {
    return (await this.list()).find((m) => m.id === id);
  }

  private async describe(path: string, folder: string, readOnly: boolean): Promise<InstalledModel> {
    const base = { path, readOnly, name: folder, version: undefined, licence: undefined };
    let manifest: ModelManifest | undefined;
    try {
      manifest = await readManifest(path);
    } catch (error) {
      return { ...base, id: folder, role: undefined, family: undefined, status: 'invalid', detail: (error as Error).message };
    }
    if (!manifest) {
      const detected = await detectFamily(path);
      if (!detected || (await hasPartFiles(path))) {
        return { ...base, id: folder, role: undefined, family: detected?.family, status: 'incomplete', detail: 'no manifest (an interrupted pull?)' };
      }
      return { ...base, id: folder, role: detected.roles[0], family: detected.family, status: 'unmanaged', detail: 'no roundtrip-model.json; hashes unknown' };
    }
    const sizes = await Promise.all(manifest.files.map((f) => stat(join(path, f.path)).then((s) => s.size, () => -1)));
    const broken = manifest.files.filter((f, i) => sizes[i] !== f.bytes).map((f) => f.path);
    return {
      ...base,
      id: manifest.id,
      role: manifest.role,
      family: manifest.family,
      name: manifest.name,
      version: manifest.version,
      licence: manifest.licence,
      status: broken.length ? 'incomplete' : 'installed',
      ...(broken.length ? { detail: `missing or wrong size: ${broken.join(', ')}` } : {}),
      manifest,
    };
  }

  /** Full check of one model: files, sizes, hashes, and each graph's tensors. */
  async verify(id: string, options: { hashes?: boolean; graphs?: boolean; openGraph?: GraphOpener } = {}): Promise<VerifyReport> {
    const model = await this.get(id);
    if (!model) throw new Error(`no model '${id}' (see \`roundtrip models list\`)`);
    if (!model.family || !model.role) {
      return { id, path: model.path, ok: false, problems: [model.detail ?? 'unrecognised model folder'], warnings: [], filesChecked: 0, graphsChecked: 0 };
    }
    const report = await verifyFolder(
      { id, path: model.path, family: model.family, role: model.role, ...(model.manifest?.dtype ? { dtype: model.manifest.dtype } : {}), ...(model.manifest ? { manifest: model.manifest } : {}) },
      { openGraph: this.openGraph, ...options },
    );
    if (model.status === 'unmanaged') report.warnings.unshift(`${model.detail}`);
    return report;
  }

  /** Downloads a hub repo into the models dir; cancelled by `signal` or by `dispose()`. */
  async pull(repo: string, options: PullOptions = {}): Promise<PullResult> {
    const controller = new AbortController();
    const forward = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) forward();
    options.signal?.addEventListener('abort', forward, { once: true });
    this.pulls.add(controller);
    try {
      // The token is read per pull: a `huggingface-cli login` meanwhile counts without a restart.
      const token = readHubToken(this.env);
      const hub = new HubClient({ baseUrl: this.hubUrl, ...(this.fetch ? { fetch: this.fetch } : {}), ...(token ? { token } : {}) });
      return await pullModel({ hub, cache: this.cache, now: this.clock }, this.modelsDir, repo, { ...options, signal: controller.signal });
    } finally {
      options.signal?.removeEventListener('abort', forward);
      this.pulls.delete(controller);
    }
  }

  /** Cancels pulls in flight; their `.part` files stay and resume on the next pull. */
  dispose(): void {
    for (const controller of this.pulls) controller.abort(new Error('model registry disposed'));
    this.pulls.clear();
  }
}

