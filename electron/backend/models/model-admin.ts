/**
 * Verifying and pulling models for the models view. A verify opens each ONNX graph to check its
 * tensors, which loads the whole file synchronously in onnxruntime: that happens in an inference
 * worker forked for the verify (the job host's launcher), never on the thread that answers the
 * API. One pull at a time; it can be cancelled, and its partial files resume on the next pull.
 */
import type { ParsedInput } from '../../../shared/contract/api.js';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { ModelPullResult, ModelVerifyReport } from '../../../shared/contract/model-admin-schemas.js';
import type { EngineWorkerMethods } from '../../engine/engine-worker-methods.js';
import type { WorkerHost } from '../../inference/worker/child-process-host.js';
import { KNOWN_FAMILIES } from '../../models/families.js';
import type { GraphOpener } from '../../models/graph-check.js';
import { ONNX_DTYPES, type OnnxDtype } from '../../models/manifest.js';
import { describePlan, describePlanSource, formatBytes } from '../../models/plan-text.js';
import type { PullProgress } from '../../models/pull.js';
import type { ModelRegistry } from '../../models/registry.js';
import type { JobRunner, ProgressCallback } from '../jobs.js';
import type { ModelCatalog } from '../runs/model-catalog.js';

export interface ModelAdminDeps {
  registry: ModelRegistry;
  catalog: ModelCatalog;
  jobs: JobRunner;
  /** Starts an inference worker (the job host's launcher). */
  launchWorker: () => WorkerHost<EngineWorkerMethods>;
}

/** Progress events at most this often: a gigabyte arrives in thousands of chunks. */
const PROGRESS_EVERY_MS = 200;

export class ModelAdmin {
  private pulling: AbortController | null = null;

  constructor(private readonly deps: ModelAdminDeps) {}

  async verify(id: string, hashes: boolean): Promise<ModelVerifyReport> {
    const { registry, launchWorker } = this.deps;
    if (!(await registry.get(id))) throw new ApiError(ErrorCode.NotFound, `There is no model '${id}' (see Models, or \`roundtrip models list\`).`);
    let worker: WorkerHost<EngineWorkerMethods> | null = null;
    const openGraph: GraphOpener = (path) => (worker ??= launchWorker()).client.call('describeGraph', { path });
    try {
      return await registry.verify(id, { hashes, openGraph });
    } finally {
      await (worker as WorkerHost<EngineWorkerMethods> | null)?.dispose();
    }
  }

  async pull({ repo, revision, family, dtype }: ParsedInput<'models:pull'>): Promise<ModelPullResult> {
    if (family !== undefined && !KNOWN_FAMILIES.includes(family)) {
      throw new ApiError(ErrorCode.InvalidInput, `Unknown model family '${family}'; one of ${KNOWN_FAMILIES.join(', ')}.`);
    }
    if (dtype !== undefined && !(ONNX_DTYPES as readonly string[]).includes(dtype)) {
      throw new ApiError(ErrorCode.InvalidInput, `Unknown weights type '${dtype}'; one of ${ONNX_DTYPES.join(', ')}.`);
    }
    if (this.pulling) throw new ApiError(ErrorCode.Conflict, 'A model is being pulled already; wait for it or cancel it first.');
    const controller = new AbortController();
    this.pulling = controller;
    try {
      return await this.deps.jobs.run('model-pull', async (onProgress) => {
        onProgress({ phase: `Listing ${repo}`, done: 0, total: 0 });
        let pulled;
        try {
          pulled = await this.deps.registry.pull(repo, {
            ...(revision ? { revision } : {}),
            ...(family ? { family } : {}),
            ...(dtype ? { dtype: dtype as OnnxDtype } : {}),
            signal: controller.signal,
            // The size is said before the first byte: a diffusion model is gigabytes.
            // Where the plan came from (a possibly stale cache commit) and any note (a token withheld) belong in the same line.
            onPlan: (plan) => onProgress({ phase: [`Pulling ${describePlan(plan)}`, describePlanSource(plan), ...(plan.notes ?? [])].filter(Boolean).join(' — '), done: 0, total: plan.bytes ?? 0 }),
            onProgress: throttled(onProgress),
          });
        } catch (error) {
          if (controller.signal.aborted) throw new ApiError(ErrorCode.Conflict, `The pull of ${repo} was cancelled; pull it again to resume.`);
          throw new ApiError(ErrorCode.Io, `Cannot pull ${repo} from ${this.deps.registry.hubUrl}: ${(error as Error).message}`);
        }
        onProgress({ phase: 'Checking the graphs', done: 0, total: 0 });
        const verify = await this.verify(pulled.manifest.id, false);
        const model = (await this.deps.catalog.list()).find((m) => m.path === pulled.dir);
        if (!model) throw new ApiError(ErrorCode.Internal, `${repo} was pulled into ${pulled.dir} but is not listed there.`);
        return { model, verify };
      });
    } finally {
      this.pulling = null;
    }
  }

  cancelPull(): { cancelled: boolean } {
    if (!this.pulling) return { cancelled: false };
    this.pulling.abort(new Error('cancelled'));
    return { cancelled: true };
  }
}

function throttled(onProgress: ProgressCallback): (p: PullProgress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS && p.fileDone !== p.fileTotal) return;
    last = now;
    const of = p.total === undefined ? '' : ` (${formatBytes(p.total)} in all)`;
    onProgress({ phase: `File ${p.fileIndex + 1} of ${p.fileCount}${of}: ${p.file}`, done: p.done, total: p.total ?? 0 });
  };
}
