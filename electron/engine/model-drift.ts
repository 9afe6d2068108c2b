/**
 * A run executes only with the models it recorded. Before a run executes (a new run, a resume by
 * the CLI or the job host), every file of every model in its provenance is hashed again — cheap
 * when unchanged, see cachedSha256 — and a model whose files changed or went missing stops the
 * run before it opens: resuming with other weights would mix two models' results in one run
 * while its settings name only the first.
 */
import { join } from 'node:path';
import { cachedSha256, type ModelProvenance } from './model-provenance.js';

/** The error code verify-images already uses when a run's inputs changed since it was created. */
export const RUN_INPUTS_CHANGED = 'RUN_INPUTS_CHANGED';

export interface ModelDrift {
  /** The model's role in the run's settings (captioner, generator, …). */
  role: string;
  model: ModelProvenance;
  file: string;
  /** The file's sha256 now; null when it is missing or unreadable. */
  now: string | null;
  recorded: string;
}

/** The first recorded model file that no longer hashes as recorded, if any. */
export async function findModelDrift(models: Record<string, unknown>): Promise<ModelDrift | undefined> {
  for (const [role, model] of Object.entries(models)) {
    if (!isProvenance(model)) continue;
    for (const file of model.files) {
      const now = await cachedSha256(join(model.dir, file.path)).catch(() => null);
      if (now !== file.sha256) return { role, model, file: file.path, now, recorded: file.sha256 };
    }
  }
  return undefined;
}

/** Throws RUN_INPUTS_CHANGED, naming the model and file, when a model of the run's `settings.models` changed. */
export async function assertModelsUnchanged(runId: number, settings: unknown): Promise<void> {
  const models = (settings as { models?: unknown } | null)?.models;
  if (typeof models !== 'object' || models === null) return;
  const drift = await findModelDrift(models as Record<string, unknown>);
  if (!drift) return;
  const name = [drift.model.id, drift.model.version].filter(Boolean).join(' ');
  const what = drift.now === null ? 'is missing' : `has sha256 ${drift.now.slice(0, 12)}… (the run recorded ${drift.recorded.slice(0, 12)}…)`;
  throw Object.assign(
    new Error(
      `The ${drift.role} model of run ${runId} (${name ? `${name} in ` : ''}${drift.model.dir}) changed since the run was created: ${drift.file} ${what}. ` +
        'Restore that model to continue the run, or start a new run.',
    ),
    { code: RUN_INPUTS_CHANGED, model: drift.role, file: join(drift.model.dir, drift.file) },
  );
}

function isProvenance(value: unknown): value is ModelProvenance {
  const p = value as ModelProvenance | null;
  return typeof p?.dir === 'string' && Array.isArray(p.files);
}
