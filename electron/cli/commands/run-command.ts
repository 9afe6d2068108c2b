/**
 * What the commands that start engine runs share (`suggest`, `verify-images`, `audit-references`): create a
 * run or resume one (--resume RUN), show a progress bar (done/total, rate, ETA), pause cleanly on
 * Ctrl+C, and parse the options every kind has (generation, seed, image selection).
 *
 * The command claims its run (RunsRepo.claim) before hashing and loading models, which takes
 * seconds: the app's job host never picks up a run the command is about to execute, and a run
 * another process is executing is refused. A run whose process was killed is resumable at once
 * (same machine) or once its claim is stale (RUN_CLAIM_STALE_MS).
 */
import type { GenerationSettings } from '../../engine/engine-models.js';
import { assertModelsUnchanged } from '../../engine/model-drift.js';
import { defaultGeneratorSettings } from '../../models/run-defaults.js';
import { keepClaim, type RunControl, type RunOutcome, type RunProgress } from '../../engine/run-runner.js';
import { Project } from '../../storage/project.js';
import { SCHEDULER_NAMES, type RunSelection } from '../../../shared/contract/run-schemas.js';
import { newRunOwner, parseRunOwner, RUN_CLAIM_STALE_MS, type RunRecord } from '../../storage/repos/runs-repo.js';
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
    // A resumed run opens the variants it recorded; another choice would mix two sets of weights in one run.
    if (runId !== undefined && values.dtype !== undefined) throw new CliFailure(`--dtype chooses the variants of a new run; run ${runId} opens the ones it was started with`, 2);
    let run = runId !== undefined ? project.runs.get(runId) : await command.create(project);
    if (!run) throw new CliFailure(`Run ${runId} does not exist in ${project.dir}`);
    if (run.kind !== command.kind) throw new CliFailure(`Run ${run.id} is a ${run.kind} run; continue it with \`roundtrip ${run.kind === 'reference-audit' ? 'audit-references' : run.kind}\``);
    let retried = 0;
    // A completed run with failures becomes paused, so it can be claimed (nobody executes a completed run).
    if (runId !== undefined && run.status === 'completed') retried += project.runs.retryFailed(run.id);
    run = project.runs.get(run.id)!;
    // A completed or cancelled run is not claimed: the runner reports it as it is.
    const owner = run.status === 'completed' || run.status === 'cancelled' ? undefined : newRunOwner();
    if (owner !== undefined) {
      if (!project.runs.claim(run.id, owner)) throw new CliFailure(heldElsewhere(project, run.id, runId === undefined));
      if (runId !== undefined) retried += project.runs.retryFailed(run.id);
    }
    if (retried > 0) io.err(`Run ${run.id}: retrying the images that failed before`);
    const claim = owner !== undefined ? keepClaim(project.runs, run.id, owner) : undefined;
    try {
      // Only a run that computes something needs its recorded models (a completed one just reports).
      if (owner !== undefined) await assertModelsUnchanged(run.id, run.settings);
      const models = await command.load(run);
      try {
        io.err(`Run ${run.id}: ${command.describe(run)}`);
        const outcome = await command.execute(project, run.id, models, {
          control: { requested: () => (stop ? 'pause' : null), owner },
          onProgress: (p) => io.progress(progressLine(command.label, p)),
        });
        io.progress('');
        const final = project.runs.get(run.id)!;
        if (outcome.status === 'lost') {
          throw new CliFailure(
            `Run ${run.id} was taken over by another process (this one looked stopped); left to it after ${outcome.processed} image(s) computed here — ${final.done} done of ${final.total}`,
          );
        }
        io.out(
          `Run ${run.id} ${outcome.status}: ${final.done} done, ${final.failed} failed of ${final.total} (${outcome.processed} computed now)` +
            (outcome.status === 'paused' ? ` — resume with --resume ${run.id}` : ''),
        );
        if (outcome.status === 'completed' && final.done > 0) for (const line of command.summary?.(project, final) ?? []) io.out(line);
      } finally {
        await models.dispose();
      }
    } catch (error) {
      // Models changed or did not open: the run is left failed with why (resumable), not 'running'
      // under a claim nobody renews. No-op when the runner gave the run up already.
      if (owner !== undefined) project.runs.release(run.id, owner, 'failed', firstLine(error));
      throw error;
    } finally {
      claim?.stop();
    }
  } finally {
    project.dispose();
  }
}

/** Why the run cannot be claimed: another process holds it (or took it the moment it was created). */
function heldElsewhere(project: Project, runId: number, created: boolean): string {
  const run = project.runs.get(runId)!;
  const holder = project.runs.holder(runId);
  if (!holder) return `Run ${runId} is ${run.status}; start a new run instead.`;
  const parsed = holder.owner ? parseRunOwner(holder.owner) : undefined;
  const who = parsed ? `process ${parsed.pid} on ${parsed.host}` : 'another process';
  const age = holder.heartbeatAt ? `, alive ${Math.max(0, Math.round((Date.now() - Date.parse(holder.heartbeatAt)) / 1000))} s ago` : '';
  if (created) return `Run ${runId} was picked up by the app's job host (${who}) as soon as it was created; follow it there.`;
  return (
    `Run ${runId} is being executed by ${who}${age}; pause it there or wait for it to finish. ` +
    `If that process was killed, the run can be resumed ${RUN_CLAIM_STALE_MS / 1000} s after it was last alive.`
  );
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 500);
}

export function progressLine(label: string, p: RunProgress): string {
  const eta = p.etaSeconds === null ? '' : `, about ${Math.ceil(p.etaSeconds)} s left`;
  return `${label}: ${p.done + p.failed}/${p.total} (${p.itemsPerSecond.toFixed(2)} images/s${eta})`;
}

/** --seed; --steps, --guidance and --scheduler (default: the generator's own, see defaultGeneratorSettings). */
export async function generationFrom(values: CommandContext['values'], generatorDir: string): Promise<{ seed: number; generation: GenerationSettings }> {
  const measured = await defaultGeneratorSettings(generatorDir);
  const scheduler = str(values.scheduler) ?? measured.scheduler;
  if (!(SCHEDULER_NAMES as readonly string[]).includes(scheduler)) throw new CliFailure(`--scheduler must be one of ${SCHEDULER_NAMES.join(', ')}`, 2);
  const steps = values.steps !== undefined ? positive(values.steps, '--steps') : measured.steps;
  const guidanceScale = values.guidance !== undefined ? num(values.guidance, '--guidance') : measured.guidance;
  return {
    seed: int(values.seed ?? '1', '--seed'),
    generation: { steps, guidanceScale, scheduler: scheduler as GenerationSettings['scheduler'] },
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
