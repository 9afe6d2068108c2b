/**
 * The renderer's one composition root: builds the API client and every state service,
 * wires their callbacks to each other, and provides them to components by token.
 */
import { ApiClient, type Transport } from '../../../shared/contract/client.js';
import { API_CLIENT } from '../lib/api/api-client-token.js';
import { AUDIT_STATE, AuditState } from '../lib/audit/audit-state.svelte.js';
import { NOTES_STATE, NotesState } from '../lib/audit/notes-state.svelte.js';
import { EXPORT_STATE, ExportState } from '../lib/export/export-state.svelte.js';
import { GRID_STATE, GridState } from '../lib/grid/grid-state.svelte.js';
import { IMAGE_STATE, ImageState } from '../lib/image/image-state.svelte.js';
import { IMPORT_STATE, ImportState } from '../lib/import/import-state.svelte.js';
import { JOB_PROGRESS, JobProgressState } from '../lib/jobs/job-progress.svelte.js';
import { RUNS_STATE, RunsState } from '../lib/jobs/runs-state.svelte.js';
import { MODELS_STATE, ModelsState } from '../lib/models/models-state.svelte.js';
import { NAV_STATE, NavState } from '../lib/nav/nav-state.svelte.js';
import { PROJECT_STATE, ProjectState } from '../lib/project/project-state.svelte.js';
import { REVIEW_STATE, ReviewState } from '../lib/review/review-state.svelte.js';
import { TOAST_STATE, ToastState } from '../lib/toast/toast-state.svelte.js';
import { provide } from './context.js';

export interface Deps {
  client: ApiClient;
  project: ProjectState;
  jobs: JobProgressState;
  grid: GridState;
  image: ImageState;
  review: ReviewState;
  imports: ImportState;
  exports: ExportState;
  toasts: ToastState;
  nav: NavState;
  audit: AuditState;
  notes: NotesState;
  runs: RunsState;
  models: ModelsState;
  dispose(): void;
}

export function createDeps(transport: Transport): Deps {
  const client = new ApiClient(transport);
  const toasts = new ToastState();
  const jobs = new JobProgressState(client);
  const grid = new GridState(client);
  const image = new ImageState(client, {
    onChanged: (detail) => grid.patch(detail),
    onSaved: (message) => toasts.show(message),
    onError: (error) => toasts.show(`${error.code}: ${error.message}`, 'error'),
    filter: () => grid.filterInput(),
  });
  const review = new ReviewState(client, {
    onChanged: (detail) => grid.patch(detail),
    onMessage: (text, kind) => toasts.show(text, kind),
    onClosed: () => grid.refresh(),
  });
  const imports = new ImportState(client, jobs, () => {
    grid.refresh();
    // The header's image count comes from app:info.
    void project.load();
  });
  const exports = new ExportState(client, jobs);
  const nav = new NavState(review, image);
  const audit = new AuditState(client);
  const notes = new NotesState(client, (message) => toasts.show(message));
  const runs = new RunsState(client, { filter: () => grid.filterInput(), markedIds: () => grid.markedIds() }, (text, kind) => toasts.show(text, kind));
  const models = new ModelsState(client);
  const project = new ProjectState(client, () => {
    // Everything below describes the previous project.
    image.close();
    review.reset();
    grid.reset();
    imports.clear();
    exports.clear();
    nav.reset();
    audit.reset();
    runs.reset();
  });
  return {
    client,
    project,
    jobs,
    grid,
    image,
    review,
    imports,
    exports,
    toasts,
    nav,
    audit,
    notes,
    runs,
    models,
    dispose() {
      project.dispose();
      jobs.dispose();
      runs.dispose();
      toasts.dispose();
    },
  };
}

/** Must run during the root component's initialisation (Svelte context rules). */
export function provideDeps(deps: Deps): void {
  provide(API_CLIENT, deps.client);
  provide(PROJECT_STATE, deps.project);
  provide(JOB_PROGRESS, deps.jobs);
  provide(GRID_STATE, deps.grid);
  provide(IMAGE_STATE, deps.image);
  provide(REVIEW_STATE, deps.review);
  provide(IMPORT_STATE, deps.imports);
  provide(EXPORT_STATE, deps.exports);
  provide(TOAST_STATE, deps.toasts);
  provide(NAV_STATE, deps.nav);
  provide(AUDIT_STATE, deps.audit);
  provide(NOTES_STATE, deps.notes);
  provide(RUNS_STATE, deps.runs);
  provide(MODELS_STATE, deps.models);
}
