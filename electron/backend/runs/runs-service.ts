/**
 * The runs API over the open project: starting a run (models resolved from the project's
 * settings and the registry, provenance hashed, settings defaulted per kind), listing runs, and
 * pausing, resuming and cancelling them, whether queued or executing in the job host.
 */
import type { ParsedInput } from '../../../shared/contract/api.js';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { type ModelSlot, RUN_DEFAULTS, type Run, type RunSettings } from '../../../shared/contract/run-schemas.js';
import { modelProvenance, type ModelProvenance } from '../../engine/model-provenance.js';
import type { Project } from '../../storage/project.js';
import type { RunRecord } from '../../storage/repos/runs-repo.js';
import type { ModelCatalog } from './model-catalog.js';
import { defaultGeneratorSettings } from '../../models/run-defaults.js';
import { readProjectSettings } from './project-settings.js';
import type { RunKindDefinition, RunRequest, SlotMap } from './run-kind.js';
import type { RunKindTable } from './run-kinds.js';
import type { RunQueue } from './run-queue.js';
import { loadExecution, runView } from './run-view.js';

export class RunsService {
  constructor(
    private readonly queue: RunQueue,
    private readonly catalog: ModelCatalog,
    private readonly kinds: RunKindTable,
  ) {}

  async start(project: Project, input: ParsedInput<'runs:start'>): Promise<Run> {
    this.queue.activate();
    const kind = this.kinds[input.kind];
    if (!kind) throw new ApiError(ErrorCode.NotSupported, `${input.kind} runs are not available in this version of Roundtrip.`);
    const { selection } = input;
    if (selection.datasetId !== undefined && !project.datasets.list().some((d) => d.id === selection.datasetId)) {
      throw new ApiError(ErrorCode.NotFound, `Dataset ${selection.datasetId} is not in this project.`);
    }
    const unknown = selection.imageIds?.find((id) => !project.images.get(id));
    if (unknown !== undefined) throw new ApiError(ErrorCode.NotFound, `Image ${unknown} is not in this project.`);

    const configured = readProjectSettings(project.meta);
    const ids = { ...configured.activeModels, ...input.models };
    const models: SlotMap<ModelProvenance> = {};
    for (const slot of kind.slots) models[slot] = await this.provenance(slot, ids[slot]);
    const measured = models.generator ? await defaultGeneratorSettings(models.generator.dir) : RUN_DEFAULTS;
    const settings = withKindDefaults(kind, {
      ...input.settings,
      steps: input.settings.steps ?? measured.steps,
      guidance: input.settings.guidance ?? measured.guidance,
      scheduler: input.settings.scheduler ?? measured.scheduler,
    });
    const recorded: object & RunRequest = {
      ...kind.engineSettings(settings, models),
      executionProvider: input.provider ?? configured.executionProvider,
      request: { settings, selection },
    };
    let run: RunRecord;
    try {
      run = kind.create(project, recorded, selection);
    } catch (error) {
      throw new ApiError(ErrorCode.InvalidInput, `Cannot create the run: ${(error as Error).message}`);
    }
    this.queue.announce(project, run.id);
    this.queue.pump();
    return this.view(project, run);
  }

  list(project: Project): Run[] {
    this.serve(project);
    return project.runs.list().map((run) => this.view(project, run));
  }

  get(project: Project, id: number): Run {
    this.serve(project);
    return this.view(project, requireRun(project, id));
  }

  pause(project: Project, id: number): Run {
    this.serve(project);
    const run = requireRun(project, id);
    if (run.status === 'queued') this.setStatus(project, id, 'paused');
    else if (run.status === 'running') this.stopExecuting(project, run, 'pause');
    else if (run.status !== 'paused') throw new ApiError(ErrorCode.Conflict, `Run ${id} is ${run.status}; only a queued or running run can be paused.`);
    return this.get(project, id);
  }

  resume(project: Project, id: number): Run {
    this.serve(project);
    // Failed images are retried: a completed run with failures becomes paused and so resumable.
    if (requireRun(project, id).status !== 'running') project.runs.retryFailed(id);
    const run = requireRun(project, id);
    if (run.status === 'paused' || run.status === 'failed') {
      this.setStatus(project, id, 'queued');
      this.queue.pump();
    } else if (run.status === 'completed' || run.status === 'cancelled') {
      throw new ApiError(ErrorCode.Conflict, `Run ${id} is ${run.status}; start a new run instead.`);
    }
    return this.get(project, id);
  }

  cancel(project: Project, id: number): Run {
    this.serve(project);
    const run = requireRun(project, id);
    if (run.status === 'queued' || run.status === 'paused' || run.status === 'failed') this.setStatus(project, id, 'cancelled');
    else if (run.status === 'running') this.stopExecuting(project, run, 'cancel');
    else if (run.status === 'completed') throw new ApiError(ErrorCode.Conflict, `Run ${id} is already completed.`);
    return this.get(project, id);
  }

  /**
   * Starts the job host, and pauses runs left 'running' by a process that died since the project
   * was opened (a killed `roundtrip suggest`), so they show as interrupted and can be resumed.
   */
  private serve(project: Project): void {
    this.queue.activate();
    this.queue.recoverInterrupted(project);
  }

  private stopExecuting(project: Project, run: RunRecord, what: 'pause' | 'cancel'): void {
    if (this.queue.requestStop(project, run.id, what)) return;
    throw new ApiError(
      ErrorCode.Conflict,
      `Run ${run.id} is being run by another process (e.g. \`roundtrip suggest\`); stop it there, or wait for it to finish.`,
    );
  }

  private setStatus(project: Project, id: number, status: 'queued' | 'paused' | 'cancelled'): void {
    project.runs.setStatus(id, status);
    this.queue.announce(project, id);
  }

  private async provenance(slot: ModelSlot, id: string): Promise<ModelProvenance> {
    const { dir } = await this.catalog.resolve(slot, id);
    return modelProvenance(dir);
  }

  private view(project: Project, run: RunRecord): Run {
    return runView(run, this.queue.live(project.dir, run.id), loadExecution(project.meta, run.id));
  }
}

function requireRun(project: Project, id: number): RunRecord {
  const run = project.runs.get(id);
  if (!run) throw new ApiError(ErrorCode.NotFound, `Run ${id} is not in this project.`);
  return run;
}

/** The API's settings with the kind's own values for what was left out (N, beams, references per image). */
function withKindDefaults(kind: RunKindDefinition<unknown>, settings: RunSettings): RunSettings {
  const resolved: RunSettings = { ...settings };
  for (const [key, value] of Object.entries(kind.defaults) as [keyof typeof kind.defaults, number | undefined][]) {
    if (resolved[key] === undefined && value !== undefined) resolved[key] = value;
  }
  return resolved;
}
