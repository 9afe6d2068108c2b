/**
 * What the job host needs to know about one kind of run: which of the project's model slots it
 * uses, its default settings, how the API's settings become the settings the engine records with
 * the run, how its models open in the inference worker, and which executor continues it. The
 * table of kinds is in run-kinds.ts; a new kind is one more entry there.
 */
import type { z } from 'zod';
import type { ExecutionProvider, ModelSlot, RunSelection, RunSettings } from '../../../shared/contract/run-schemas.js';
import type { EngineWorkerMethods } from '../../engine/engine-worker-methods.js';
import type { EngineModelDtypes } from '../../engine/model-load-options.js';
import type { ModelProvenance } from '../../engine/model-provenance.js';
import type { RunControl, RunOutcome, RunProgress } from '../../engine/run-runner.js';
import { parseRunSettings } from '../../engine/run-settings-schemas.js';
import type { RpcClient } from '../../inference/worker/rpc.js';
import type { Project } from '../../storage/project.js';
import type { RunRecord } from '../../storage/repos/runs-repo.js';

export type EngineClient = RpcClient<EngineWorkerMethods>;
export type SlotMap<T> = Partial<Record<ModelSlot, T>>;

export interface ExecuteOptions {
  control: RunControl;
  onProgress: (progress: RunProgress) => void;
}

/** What the API adds to the engine's settings of every run it creates (the engine ignores it). */
export interface RunRequest {
  executionProvider: ExecutionProvider;
  request: { settings: RunSettings; selection: RunSelection };
}

export interface RunKindDefinition<Models, Settings extends object = object> {
  slots: readonly ModelSlot[];
  /**
   * The settings the run records, as stored in the database; every read-back parses them with
   * this (readRunSettings), so a row that does not parse fails its run naming the field.
   */
  settingsSchema: z.ZodType<Settings>;
  /** Kind-specific values for settings the API leaves optional (N differs between kinds). */
  defaults: Pick<RunSettings, 'candidates' | 'beams' | 'referencesPerImage' | 'maxNewTokens'>;
  /** The settings the engine records with the run: sampler, generation, seeds, model provenance. */
  engineSettings(settings: RunSettings, models: SlotMap<ModelProvenance>): Settings;
  /** Creates the run, queued, over the selected images the kind can process (`recorded` may carry the API's RunRequest too). */
  create(project: Project, recorded: Settings, selection: RunSelection): RunRecord;
  /** The run's model folders by slot, from what it recorded. */
  modelDirs(settings: Settings): SlotMap<string>;
  /**
   * Opens the models in the worker, each in the precision variant the run recorded (`dtypes`,
   * read back with `recordedDtypes`); `opened` is what the worker said (it may list its sessions).
   */
  open(client: EngineClient, dirs: SlotMap<string>, provider: ExecutionProvider, dtypes: EngineModelDtypes): Promise<{ models: Models; opened: unknown }>;
  execute(project: Project, runId: number, models: Models, options: ExecuteOptions): Promise<RunOutcome>;
}

/** Keeps each entry's model and settings types consistent between `settingsSchema`, `modelDirs`, `open` and `execute`. */
export function defineRunKind<Models, Settings extends object>(definition: RunKindDefinition<Models, Settings>): RunKindDefinition<unknown> {
  return definition as unknown as RunKindDefinition<unknown>;
}

/** A stored run's settings parsed by its kind's schema; throws BAD_FORMAT naming the run and the field. */
export function readRunSettings<Settings extends object>(kind: Pick<RunKindDefinition<unknown, Settings>, 'settingsSchema'>, run: Pick<RunRecord, 'id' | 'kind' | 'settings'>): Settings {
  return parseRunSettings(run, kind.settingsSchema);
}

/** Images of the project in grid order: the named ones (in the order given), or a dataset's, or all; `limit` caps them. */
export function selectedImageIds(project: Project, selection: RunSelection): number[] {
  const ids: number[] = [];
  if (selection.imageIds) {
    for (const id of new Set(selection.imageIds)) {
      const image = project.images.get(id);
      if (!image || (selection.datasetId !== undefined && image.datasetId !== selection.datasetId)) continue;
      if (selection.limit !== undefined && ids.length >= selection.limit) break;
      ids.push(id);
    }
    return ids;
  }
  for (const image of project.images.iterate(selection.datasetId)) {
    if (selection.limit !== undefined && ids.length >= selection.limit) break;
    ids.push(image.id);
  }
  return ids;
}
