/**
 * A run as the API shows it: the stored record, what the API asked for, the models it recorded,
 * and — while it runs — its rate, ETA and the execution provider its sessions actually use.
 */
import {
  ExecutionProviderSchema,
  ExecutionSchema,
  MODEL_SLOTS,
  RunSelectionSchema,
  RunSettingsSchema,
  type Execution,
  type ExecutionProvider,
  type Run,
  type SessionState,
} from '../../../shared/contract/run-schemas.js';
import { OnnxDtypeSchema } from '../../../shared/contract/onnx-dtypes.js';
import type { SessionInfo } from '../../inference/onnx/session.js';
import type { MetaRepo } from '../../storage/repos/meta-repo.js';
import type { RunRecord } from '../../storage/repos/runs-repo.js';
import type { SlotMap } from './run-kind.js';
import type { RunProgress } from '../../engine/run-runner.js';

/** What the job host knows about the run it is executing. */
export interface LiveRun {
  stopping: 'pause' | 'cancel' | null;
  progress: RunProgress | null;
  execution: Execution;
}

export function runView(run: RunRecord, live: LiveRun | undefined, stored: Execution | undefined): Run {
  const recorded = (typeof run.settings === 'object' && run.settings !== null ? run.settings : {}) as Record<string, unknown>;
  const { models, request, executionProvider, ...provenance } = recorded;
  const req = (request ?? {}) as { settings?: unknown; selection?: unknown };
  const settings = RunSettingsSchema.safeParse(req.settings);
  const selection = RunSelectionSchema.safeParse(req.selection);
  const running = run.status === 'running' && live?.progress;
  return {
    ...run,
    stopping: live?.stopping ?? null,
    itemsPerSecond: running ? live.progress!.itemsPerSecond : null,
    etaSeconds: running ? live.progress!.etaSeconds : null,
    settings: settings.success ? settings.data : null,
    selection: selection.success ? selection.data : null,
    models: modelsOf(models),
    provenance,
    execution: live?.execution ?? stored ?? notYetOpened(requestedProvider(executionProvider)),
  };
}

export function requestedProvider(value: unknown): ExecutionProvider {
  const parsed = ExecutionProviderSchema.safeParse(value);
  return parsed.success ? parsed.data : 'cpu';
}

export function notYetOpened(requested: ExecutionProvider): Execution {
  return { requested, inUse: null, fallbackReason: null, sessions: [] };
}

/**
 * The execution state once the worker opened the models. When the worker lists its sessions,
 * they say which provider each one got and why it fell back; a CPU request cannot fall back, so
 * without that list only a CPU run's provider is known.
 */
export function executionOf(requested: ExecutionProvider, opened: unknown, dirs: SlotMap<string>): Execution {
  const reported = (opened as { sessions?: unknown } | null)?.sessions;
  if (!Array.isArray(reported) || reported.length === 0) {
    return { requested, inUse: requested === 'cpu' ? 'cpu' : null, fallbackReason: null, sessions: [] };
  }
  const sessions = (reported as (SessionInfo & { role?: unknown })[]).map((s): SessionState => ({
    // The worker tags each session with its role; by folder only for a worker that does not.
    slot: MODEL_SLOTS.find((slot) => slot === s.role) ?? MODEL_SLOTS.find((slot) => dirs[slot] !== undefined && s.file.startsWith(dirs[slot]!)) ?? null,
    file: s.file,
    dtype: OnnxDtypeSchema.safeParse(s.dtype).data ?? null,
    requested: s.requestedProvider,
    provider: s.provider,
    fallbackReason: s.fallbackReason,
  }));
  const providers = new Set(sessions.map((s) => s.provider));
  return {
    requested,
    // Some sessions on the requested provider and some fallen back: the request is in use, partly (the reason says why).
    inUse: providers.size === 1 ? sessions[0]!.provider : requested,
    fallbackReason: sessions.find((s) => s.fallbackReason)?.fallbackReason ?? null,
    sessions,
  };
}

function modelsOf(models: unknown): Run['models'] {
  if (typeof models !== 'object' || models === null) return [];
  return Object.entries(models as Record<string, { dir?: unknown; id?: unknown; version?: unknown }>)
    .filter(([, m]) => typeof m?.dir === 'string')
    // The engine records the image embedder as `embedder`; the API calls that slot `imageEmbedder`.
    .map(([key, m]) => ({ slot: key === 'embedder' ? 'imageEmbedder' : key, id: typeof m.id === 'string' ? m.id : null, version: typeof m.version === 'string' ? m.version : null, dir: m.dir as string }));
}

const EXECUTION_KEY = (runId: number) => `engine.run_execution.${runId}`;

/** The last execution state of a run, kept so a finished run still says where it ran. */
export function saveExecution(meta: MetaRepo, runId: number, execution: Execution): void {
  meta.set(EXECUTION_KEY(runId), JSON.stringify(execution));
}

export function loadExecution(meta: MetaRepo, runId: number): Execution | undefined {
  const text = meta.get(EXECUTION_KEY(runId));
  if (text === undefined) return undefined;
  try {
    const parsed = ExecutionSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
