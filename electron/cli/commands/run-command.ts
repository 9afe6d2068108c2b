/**
 * What the commands that start engine runs share (`suggest`, `verify-images`, `audit-references`): create a
 * run or resume one (--resume RUN), show a progress bar (done/total, rate, ETA), pause cleanly on
 * Ctrl+C, and parse the options every kind has (generation, seed, image selection).
 */
import type { GenerationSettings } from '../../engine/engine-models.js';
import type { RunControl, RunOutcome, RunProgress } from '../../engine/run-runner.js';
import type { RunSelection } from '../../engine/verify-images-run.js';
import { Project } from '../../storage/project.js';
import type { RunRecord } from '../../storage/repos/runs-repo.js';
import { CliFailure } from '../cli-io.js';
import type { CommandContext } from '../command.js';

export const GENERATION_OPTIONS = {
  steps: { type: 'string' },
  guidance: { type: 'string' },
  scheduler: { type: 'string' },
  seed: { type: 'string' },
} as const;

export const SELECTION_OPTIONS = {
  limit: { type: 'string' },
  split: { type: 'string' },
  dataset: { type: 'string' },
  resume: { type: 'string' },
} as const;

export interface OpenModels {
  dispose(): Promise<void>;
}

export interface RunCommand<Models extends OpenModels> {
  /** Name in the progress line, e.g. "verify-images". */
  label: string;
  kind: RunRecord['kind'];
  create(project: Project): Promise<RunRecord>;
  /** Opens the models the run recorded (so a resumed run uses exactly its own). */
  load(run: RunRecord): Promise<Models>;
  describe(run: RunRecord): string;
  execute(project: Project, runId: number, models: Models, options: { control: RunControl; onProgress: (p: RunProgress) => void }): Promise<RunOutcome>;
  /** Lines printed after the run finished (results worth a glance). */
  summary?(project: Project, run: RunRecord): string[];
}

export async function runCommand<Models extends OpenModels>({ positionals, values, io, stopSignal }: CommandContext, command: RunCommand<Models>): Promise<void> {
  const project = Project.open(positionals[0]!);
  let stop = false;
  void stopSignal.then(() => (stop = true));
  try {
    const runId = values.resume !== undefined ? int(values.resume, '--resume') : undefined;
    const run = runId !== undefined ? project.runs.get(runId) : await command.create(project);
    if (!run) throw new CliFailure(`Run ${runId} does not exist in ${project.dir}`);
    if (run.kind !== command.kind) throw new CliFailure(`Run ${run.id} is a ${run.kind} run; continue it with \`roundtrip ${run.kind === 'reference-audit' ? 'audit-references' : run.kind}\``);
    if (runId !== undefined && project.runs.retryFailed(run.id) > 0) io.err(`Run ${run.id}: retrying the images that failed before`);
    const models = await command.load(run);
    try {
      io.err(`Run ${run.id}: ${command.describe(run)}`);
      const outcome = await command.execute(project, run.id, models, {
        control: { requested: () => (stop ? 'pause' : null) },
        onProgress: (p) => io.progress(progressLine(command.label, p)),
      });
      io.progress('');
      const final = project.runs.get(run.id)!;
      io.out(
        `Run ${run.id} ${outcome.status}: ${final.done} done, ${final.failed} failed of ${final.total} (${outcome.processed} computed now)` +
          (outcome.status === 'paused' ? ` — resume with --resume ${run.id}` : ''),
      );
      if (outcome.status === 'completed' && final.done > 0) for (const line of command.summary?.(project, final) ?? []) io.out(line);
    } finally {
      await models.dispose();
    }
  } finally {
    project.dispose();
  }
}

export function progressLine(label: string, p: RunProgress): string {
  const eta = p.etaSeconds === null ? '' : `, about ${Math.ceil(p.etaSeconds)} s left`;
  return `${label}: ${p.done + p.failed}/${p.total} (${p.itemsPerSecond.toFixed(2)} images/s${eta})`;
}

export function generationFrom(values: CommandContext['values']): { seed: number; generation: GenerationSettings } {
  const scheduler = str(values.scheduler) ?? 'ddim';
  if (!['ddim', 'euler', 'euler-ancestral', 'lcm'].includes(scheduler)) throw new CliFailure('--scheduler must be ddim, euler, euler-ancestral or lcm', 2);
  return {
    seed: int(values.seed ?? '1', '--seed'),
    generation: { steps: positive(values.steps ?? '20', '--steps'), guidanceScale: num(values.guidance ?? '4', '--guidance'), scheduler: scheduler as GenerationSettings['scheduler'] },
  };
}

/** --limit N, and --dataset ID or --split NAME (a dataset by name: imports are named after their folder, e.g. a split's). */
export function selectionFrom(project: Project, values: CommandContext['values']): RunSelection {
  const selection: RunSelection = {};
  if (values.limit !== undefined) selection.limit = positive(values.limit, '--limit');
  if (values.dataset !== undefined && values.split !== undefined) throw new CliFailure('Give --dataset or --split, not both', 2);
  if (values.dataset !== undefined) {
    selection.datasetId = int(values.dataset, '--dataset');
    if (!project.datasets.get(selection.datasetId)) throw new CliFailure(`No dataset ${selection.datasetId} in ${project.dir}`);
  }
  if (values.split !== undefined) {
    const datasets = project.datasets.list();
    const named = datasets.filter((d) => d.name === values.split);
    if (named.length === 0) throw new CliFailure(`No dataset named "${String(values.split)}" in ${project.dir} (datasets: ${datasets.map((d) => `${d.id} ${d.name}`).join(', ') || 'none'})`);
    if (named.length > 1) throw new CliFailure(`${named.length} datasets are named "${String(values.split)}"; choose one with --dataset (${named.map((d) => d.id).join(', ')})`);
    selection.datasetId = named[0]!.id;
  }
  return selection;
}

export const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function num(v: unknown, flag: string): number {
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new CliFailure(`${flag} must be a number`, 2);
  return n;
}

export function int(v: unknown, flag: string): number {
  const n = num(v, flag);
  if (!Number.isSafeInteger(n) || n < 0) throw new CliFailure(`${flag} must be a whole number`, 2);
  return n;
}

export function positive(v: unknown, flag: string): number {
  const n = int(v, flag);
  if (n < 1) throw new CliFailure(`${flag} must be at least 1`, 2);
  return n;
}
