/**
 * The backend's handler table: one entry per API method, checked against the contract at
 * compile time by `satisfies Handlers`.
 */
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import { MAX_REFERENCES_RETURNED } from '../../shared/contract/limits.js';
import type { ImageDetail } from '../../shared/contract/schemas.js';
import type { Project } from '../storage/project.js';
import { toSummary } from '../storage/repos/images-repo.js';
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
import { createRunHandlers, type RunHandlerDeps } from './runs/runs-handlers.js';

export interface HandlerDeps extends RunHandlerDeps {
  session: ProjectSession;
  jobs: JobRunner;
  version: string;
  mode: 'electron' | 'browser';
  defaultActor: string;
  audit: AuditService;
  models: ModelAdmin;
}

export function createHandlers({ session, jobs, version, mode, defaultActor, audit, models, ...engine }: HandlerDeps): Handlers {
  return {
    'app:info': () => ({ version, mode, actor: defaultActor, project: session.current?.info() ?? null }),
    'project:open': ({ path }) => session.open(path).info(),
    'project:create': ({ path, name }) => session.create(path, name).info(),
    'datasets:list': () => session.require().datasets.list(),
    'images:list': async ({ offset, limit, ...filter }) => {
      const project = session.require();
      const query = await resolveImageFilter(project, audit, filter);
      const { total, items } = project.images.list({ ...query, offset, limit });
      return { total, items: items.map(toSummary) };
    },
    'images:get': ({ id }) => imageDetail(session.require(), id),
    'images:neighbours': async ({ id, ...filter }) => {
      const project = session.require();
      requireImage(project, id);
      return project.images.neighbours(id, await resolveImageFilter(project, audit, filter));
    },
    'decisions:record': ({ imageId, action, finalText, referenceId, candidateId }, ctx) => {
      const project = session.require();
      requireImage(project, imageId);
      if (referenceId !== undefined && candidateId !== undefined) {
        throw new ApiError(ErrorCode.InvalidInput, 'A decision takes a reference or a candidate, not both.');
      }
      project.decisions.record({
        imageId,
        actor: ctx.actor,
        action,
        finalText: decidedText(project, imageId, action, finalText, referenceId, candidateId),
        referenceId: referenceId ?? null,
        candidateId: candidateId ?? null,
      });
      return imageDetail(project, imageId);
    },
    'decisions:undo': ({ imageId }, ctx) => {
      const project = session.require();
      if (imageId === undefined) {
        const undo = project.decisions.undoLatest(ctx.actor);
        if (!undo) throw new ApiError(ErrorCode.NotFound, `${ctx.actor} has no decision left to undo.`);
        return imageDetail(project, undo.imageId);
      }
      requireImage(project, imageId);
      project.decisions.undo(imageId, ctx.actor);
      return imageDetail(project, imageId);
    },
    ...createReviewHandlers({ session, imageDetail }),
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

function requireImage(project: Project, id: number) {
  const image = project.images.get(id);
  if (!image) throw new ApiError(ErrorCode.NotFound, `Image ${id} is not in this project.`);
  return image;
}

function imageDetail(project: Project, id: number): ImageDetail {
  const { rootPath: _root, identity: _identity, ...image } = requireImage(project, id);
  // Capped: an image with 300,000 references made this answer 19.5 MB (issue 16).
  const references = project.references.forImage(id, MAX_REFERENCES_RETURNED);
  return {
    ...image,
    references,
    // fewer than the cap came back only if that is all there are: counting again is needed only at the cap
    referenceCount: references.length < MAX_REFERENCES_RETURNED ? references.length : project.references.countForImage(id),
    decision: project.decisions.current(id),
    history: project.decisions.history(id),
  };
}

/** Accepting a reference or candidate records its text; an edit must carry non-empty text of its own. */
function decidedText(
  project: Project,
  imageId: number,
  action: string,
  finalText: string | undefined,
  referenceId: number | undefined,
  candidateId: number | undefined,
): string | null {
  if (referenceId !== undefined) {
    const ref = project.references.get(referenceId);
    if (!ref || ref.imageId !== imageId) {
      throw new ApiError(ErrorCode.NotFound, `Reference ${referenceId} does not belong to image ${imageId}.`);
    }
    if (action === 'accept' && finalText === undefined) return ref.text;
  }
  if (candidateId !== undefined) {
    const candidate = project.review.candidate(candidateId);
    if (!candidate || !candidate.suggestion || candidate.imageId !== imageId) {
      throw new ApiError(ErrorCode.NotFound, `Candidate ${candidateId} is not a suggestion for image ${imageId}.`);
    }
    if (action === 'accept' && finalText === undefined) return candidate.text;
  }
  if (action === 'accept' || action === 'edit') {
    const text = finalText?.trim();
    if (!text) throw new ApiError(ErrorCode.InvalidInput, 'A caption cannot be empty; reject the image instead.');
    return text;
  }
  return null;
}
