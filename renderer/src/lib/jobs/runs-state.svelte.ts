/**
 * The jobs view: the project's runs (newest first) kept current from `job:progress` events, the
 * form for starting one, and pausing, cancelling and resuming. A run's rate and ETA come with its
 * progress events; when a run stops (finished, paused, cancelled, failed) it is read again.
 */
import type { ApiClient } from '../../../../shared/contract/client.js';
import type { ApiErrorShape } from '../../../../shared/contract/errors.js';
import { MAX_RUN_IMAGES, type ModelsList, type Run } from '../../../../shared/contract/run-schemas.js';
import type { Dataset, JobProgress } from '../../../../shared/contract/schemas.js';
import { InjectionToken } from '../../app/context.js';
import type { GridFilterInput } from '../grid/grid-state.svelte.js';
import { imageIdPages } from '../grid/image-id-pages.js';
import { formatCount } from '../util/format.js';
import { toErrorShape } from '../api/to-error.js';
import { captionerTakesTask, EMPTY_FORM, presentDtypes, type RunForm, runRequest } from './run-form.js';

/** What the grid offers a run: its current filter, and the images marked in it. */
export interface GridSelection {
  filter(): GridFilterInput;
  markedIds(): number[];
}


export class RunsState {
  runs = $state.raw<Run[]>([]);
  models = $state.raw<ModelsList | null>(null);
  datasets = $state.raw<Dataset[]>([]);
  form = $state<RunForm>({ ...EMPTY_FORM });
  /** Images the grid's filter shows now; null when the grid is unfiltered. */
  filterTotal = $state<number | null>(null);
  /** Images marked in the grid (read when the view opens). */
  markedTotal = $state(0);
  starting = $state(false);
  error = $state.raw<ApiErrorShape | null>(null);
  /** Latest progress event of each run, by run id. */
  live = $state.raw<Record<number, JobProgress>>({});
  private readonly off: () => void;

  constructor(
    private readonly client: ApiClient,
    private readonly grid: GridSelection,
    private readonly onMessage: (text: string, kind?: 'info' | 'error') => void,
  ) {
    this.off = client.on('job:progress', (p) => {
      if (p.runId === undefined) return;
      this.live = { ...this.live, [p.runId]: p };
      const known = this.runs.find((r) => r.id === p.runId);
      if (!known || p.finished || known.status !== p.status) void this.refreshRun(p.runId);
    });
  }

  /** Reads runs, models, datasets and the grid filter's size (entering the view). */
  async open(): Promise<void> {
    const filter = this.grid.filter();
    this.markedTotal = this.grid.markedIds().length;
    const [runs, models, datasets, filtered] = await Promise.all([
      this.client.call('runs:list', {}),
      this.client.call('models:list', {}),
      this.client.call('datasets:list', {}),
      Object.keys(filter).length > 0 ? this.client.call('images:list', { offset: 0, limit: 1, ...filter }) : null,
    ]).catch((e: unknown) => {
      this.error = toErrorShape(e);
      return [this.runs, this.models, this.datasets, null] as const;
    });
    this.runs = [...runs].reverse();
    this.models = models;
    this.datasets = datasets;
    this.filterTotal = filtered?.total ?? null;
    if (this.form.scope === 'filter' && this.filterTotal === null) this.form.scope = 'project';
    if (this.form.scope === 'marked' && this.markedTotal === 0) this.form.scope = 'project';
  }

  async start(): Promise<void> {
    if (this.starting) return;
    this.starting = true;
    this.error = null;
    try {
      const filterIds = this.form.scope === 'filter' ? await this.filteredImageIds() : this.form.scope === 'marked' ? this.markedImageIds() : [];
      // A task chosen for a Florence-2 captioner is not sent once another captioner is chosen.
      const captionTask = captionerTakesTask(this.form, this.models) ? this.form.captionTask : '';
      // Likewise a precision chosen for a model the form no longer uses.
      const dtypes = presentDtypes(this.form, this.models);
      const run = await this.client.call('runs:start', runRequest({ ...this.form, filterIds, captionTask, dtypes }));
      this.upsert(run);
      this.onMessage(`Run ${run.id} queued: ${run.total} image(s)`);
    } catch (e) {
      this.error = toErrorShape(e);
    } finally {
      this.starting = false;
    }
  }

  pause(id: number): Promise<void> {
    return this.act(() => this.client.call('runs:pause', { id }));
  }

  cancel(id: number): Promise<void> {
    return this.act(() => this.client.call('runs:cancel', { id }));
  }

  resume(id: number): Promise<void> {
    return this.act(() => this.client.call('runs:resume', { id }));
  }

  /** Forgets everything, for a newly opened project. */
  reset(): void {
    this.runs = [];
    this.live = {};
    this.error = null;
    this.form = { ...EMPTY_FORM };
  }

  dispose(): void {
    this.off();
  }

  private async act(call: () => Promise<Run>): Promise<void> {
    try {
      this.upsert(await call());
    } catch (e) {
      const error = toErrorShape(e);
      this.onMessage(`${error.code}: ${error.message}`, 'error');
    }
  }

  private async refreshRun(id: number): Promise<void> {
    try {
      this.upsert(await this.client.call('runs:get', { id }));
    } catch {
      // A run of a project closed meanwhile: nothing to show.
    }
  }

  private upsert(run: Run): void {
    const at = this.runs.findIndex((r) => r.id === run.id);
    this.runs = at < 0 ? [run, ...this.runs].sort((a, b) => b.id - a.id) : this.runs.map((r) => (r.id === run.id ? run : r));
  }

  private markedImageIds(): number[] {
    const ids = this.grid.markedIds();
    if (ids.length === 0) throw new Error('No images are marked in the grid (Space or Ctrl+click marks one).');
    return ids;
  }

  /** The ids of the images the grid's filter shows. */
  private async filteredImageIds(): Promise<number[]> {
    const filter = this.grid.filter();
    const ids: number[] = [];
    for await (const page of imageIdPages((offset, limit) => this.client.call('images:list', { offset, limit, ...filter }), 0)) {
      if (page.total !== null && page.total > MAX_RUN_IMAGES) {
        throw new Error(
          `The grid filter shows ${formatCount(page.total)} images; a run on a filter takes at most ${formatCount(MAX_RUN_IMAGES)}. Narrow the filter, or run on the whole project or a split.`,
        );
      }
      ids.push(...page.ids);
    }
    if (ids.length === 0) throw new Error('The grid filter shows no images.');
    return ids;
  }
}

export const RUNS_STATE = new InjectionToken<RunsState>('RunsState');
