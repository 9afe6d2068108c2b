/** Handlers of the audit view's lists (disagreements, weak references, vocabulary), spread into the backend's table. */
import type { Handlers } from '../handler-table.js';
import type { ProjectSession } from '../project-session.js';
import type { AuditService } from './audit-service.js';

type AuditMethods = 'audit:disagreements' | 'audit:weak-references' | 'audit:vocabulary';

export function createAuditHandlers({ session, audit }: { session: ProjectSession; audit: AuditService }): Pick<Handlers, AuditMethods> {
  return {
    'audit:disagreements': (input) => audit.disagreements(session.require(), input),
    'audit:weak-references': (input) => audit.weakReferences(session.require(), input),
    'audit:vocabulary': (input) => audit.vocabulary(session.require(), input),
  };
}
