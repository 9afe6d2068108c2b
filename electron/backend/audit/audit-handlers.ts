/** Handlers of the audit view's methods (disagreements, weak references, vocabulary, notes and tags), spread into the backend's table. */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { Project } from '../../storage/project.js';
import type { Handlers } from '../handler-table.js';
import type { ProjectSession } from '../project-session.js';
import type { AuditService } from './audit-service.js';

type AuditMethods = 'audit:disagreements' | 'audit:weak-references' | 'audit:vocabulary' | 'notes:get' | 'notes:set' | 'notes:search' | 'notes:tags';

export function createAuditHandlers({ session, audit }: { session: ProjectSession; audit: AuditService }): Pick<Handlers, AuditMethods> {
  return {
    'audit:disagreements': (input) => audit.disagreements(session.require(), input),
    'audit:weak-references': (input) => audit.weakReferences(session.require(), input),
    'audit:vocabulary': (input) => audit.vocabulary(session.require(), input),
    'notes:get': ({ imageId }) => requireImage(session.require(), imageId).notes.get(imageId),
    'notes:set': ({ imageId, note, tags }, ctx) => requireImage(session.require(), imageId).notes.set(imageId, note, tags, ctx.actor),
    'notes:search': (query) => session.require().notes.search(query),
    'notes:tags': () => session.require().notes.tags(),
  };
}

function requireImage(project: Project, imageId: number): Project {
  if (!project.images.get(imageId)) throw new ApiError(ErrorCode.NotFound, `Image ${imageId} is not in this project.`);
  return project;
}
