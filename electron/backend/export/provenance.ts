/**
 * Provenance carried by exports: for every caption, where it came from (a human reference, a
 * caption an annotator accepted or edited, or a run's reconstruction-selected candidate), and
 * for every run a caption came from, the models (id, version, a fingerprint of the weight files'
 * hashes) and settings (sampler, generation, seeds) that produced it.
 */
import { createHash } from 'node:crypto';
import type { Project } from '../../storage/project.js';
import type { ExportImage } from '../../storage/repos/export-source-repo.js';
import type { RunRecord } from '../../storage/repos/runs-repo.js';

/** Where one exported caption came from; written with snake_case keys like the formats around it. */
export interface CaptionProvenance {
  source: 'reference' | 'accepted' | 'edited' | 'selected';
  /** Who decided, and when (accepted and edited captions). */
  by?: string;
  at?: string;
  /** The run candidate the caption is (selected) or was taken from (accepted / edited from a suggestion). */
  run_id?: number;
  candidate_idx?: number;
}

export interface ModelSummary {
  id: string | null;
  version: string | null;
  dir: string | null;
  /** sha256 over the recorded files' paths and hashes: equal fingerprints, equal weights. */
  fingerprint: string | null;
}

export interface RunProvenance {
  run_id: number;
  kind: RunRecord['kind'];
  status: RunRecord['status'];
  created_at: string;
  models: Record<string, ModelSummary>;
  /** The run's recorded settings without the models: seed, sampler, generation, ranking. */
  settings: Record<string, unknown>;
}

export const referenceProvenance: CaptionProvenance = Object.freeze({ source: 'reference' });

/** The provenance of an image's decided caption (accepted or edited). */
export function decisionProvenance(image: ExportImage): CaptionProvenance {
  const source = image.status === 'edited' ? 'edited' : 'accepted';
  const decision = image.decision;
  if (!decision) return { source };
  const provenance: CaptionProvenance = { source, by: decision.actor, at: decision.at };
  if (decision.candidate) Object.assign(provenance, { run_id: decision.candidate.runId, candidate_idx: decision.candidate.idx });
  return provenance;
}

export function runProvenance(run: RunRecord): RunProvenance {
  const { models = {}, ...settings } = (run.settings ?? {}) as { models?: Record<string, unknown> } & Record<string, unknown>;
  return {
    run_id: run.id,
    kind: run.kind,
    status: run.status,
    created_at: run.createdAt,
    models: Object.fromEntries(Object.entries(models).map(([role, model]) => [role, modelSummary(model)])),
    settings,
  };
}

function modelSummary(model: unknown): ModelSummary {
  const m = (model ?? {}) as { id?: unknown; version?: unknown; dir?: unknown; files?: unknown };
  const files = Array.isArray(m.files) ? (m.files as { path?: unknown; sha256?: unknown }[]) : null;
  const fingerprint = files ? createHash('sha256').update(files.map((f) => `${String(f.path)}\t${String(f.sha256)}\n`).join('')).digest('hex') : null;
  return {
    id: typeof m.id === 'string' ? m.id : null,
    version: typeof m.version === 'string' ? m.version : null,
    dir: typeof m.dir === 'string' ? m.dir : null,
    fingerprint,
  };
}

/** The runs an export's captions came from, gathered while writing (a handful, however many images). */
export class RunsSeen {
  private readonly ids = new Set<number>();

  constructor(private readonly project: Project) {}

  note(provenance: CaptionProvenance): void {
    if (provenance.run_id !== undefined) this.ids.add(provenance.run_id);
  }

  noteRun(runId: number): void {
    this.ids.add(runId);
  }

  list(): RunProvenance[] {
    return [...this.ids]
      .sort((a, b) => a - b)
      .flatMap((id) => {
        const run = this.project.runs.get(id);
        return run ? [runProvenance(run)] : [];
      });
  }
}
