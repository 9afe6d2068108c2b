/**
 * The backend's handler table: one entry per API method, checked against the contract at
 * compile time by `satisfies Handlers`.
 */
import { createAuditHandlers } from './audit/audit-handlers.js';
import type { AuditService } from './audit/audit-service.js';
import { createEvalHandlers } from './eval-handlers.js';
import { runExport } from './export/export-service.js';
import type { Handlers } from './handler-table.js';
import { resolveImageFilter } from './image-filter.js';
import { importCoco } from './import/import-coco.js';
import { importFolder } from './import/import-folder.js';
import type { JobRunner } from './jobs.js';
import type { ModelAdmin } from './models/model-admin.js';
import { createModelHandlers } from './models/model-handlers.js';
import type { ProjectSession } from './project-session.js';
import { createReviewHandlers } from './review/review-handlers.js';
import { requireImage, type ReviewService } from './review/review-service.js';
import { toDataset, toImageSummary } from './review/to-contract.js';
import { createRunHandlers, type RunHandlerDeps } from './runs/runs-handlers.js';

export interface HandlerDeps extends RunHandlerDeps {
  session: ProjectSession;
  review: ReviewService;
  jobs: JobRunner;
  version: string;
  mode: 'electron' | 'browser';
  defaultActor: string;
  audit: AuditService;
  models: ModelAdmin;
}

export function createHandlers({ session, review, jobs, version, mode, defaultActor, audit, models, ...engine }: HandlerDeps): Handlers {
  return {
    'app:info': () => ({ version, mode, actor: defaultActor, project: session.current?.info() ?? null }),
    'project:open': ({ path }) => session.open(path).info(),
    'project:create': ({ path, name }) => session.create(path, name).info(),
    'datasets:list': () => session.require().datasets.list().map(toDataset),
    'images:list': async ({ offset, limit, ...filter }) => {
      const project = session.require();
      const query = await resolveImageFilter(project, audit, filter);
      const { total, items } = project.images.list({ ...query, offset, limit });
      return { total, items: items.map(toImageSummary) };
    },
    'images:neighbours': async ({ id, ...filter }) => {
      const project = session.require();
      requireImage(project, id);
      return project.images.neighbours(id, await resolveImageFilter(project, audit, filter));
    },
    ...createReviewHandlers({ review }),
    'import:folder': async ({ folder }, ctx) => {
      const project = session.require();
      const report = await jobs.run('import', (onProgress, signal) => importFolder(project, folder, { onProgress, signal, actor: ctx.actor }));
      session.changed();
      return report;
    },
    'import:coco': async ({ file, images }, ctx) => {
      const project = session.require();
      const report = await jobs.run('import', (onProgress, signal) => importCoco(project, file, images, { onProgress, signal, actor: ctx.actor }));
      session.changed();
      return report;
    },
    'import:cancel': () => ({ cancelled: jobs.cancel('import') }),
    'export:write': (request, ctx) => {
      const project = session.require();
      return jobs.run('export', (onProgress) => runExport(project, request, { onProgress, actor: ctx.actor }));
    },
    ...createRunHandlers({ session, ...engine }),
    ...createEvalHandlers({ session, jobs }),
    ...createAuditHandlers({ session, audit }),
    ...createModelHandlers({ models }),
  } satisfies Handlers;
}
