/** Handlers of the review view's methods (the queue and one item), spread into the backend's table. */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { ImageDetail } from '../../../shared/contract/schemas.js';
import type { Project } from '../../storage/project.js';
import type { Handlers } from '../handler-table.js';
import type { ProjectSession } from '../project-session.js';

export interface ReviewHandlerDeps {
  session: ProjectSession;
  /** The image's detail as images:get answers it (NOT_FOUND for an image not in the project). */
  imageDetail: (project: Project, imageId: number) => ImageDetail;
}

export function createReviewHandlers({ session, imageDetail }: ReviewHandlerDeps): Pick<Handlers, 'review:queue' | 'review:item'> {
  return {
    'review:queue': ({ runId, ...query }) => {
      const project = session.require();
      if (query.datasetId !== undefined && !project.datasets.get(query.datasetId)) {
        throw new ApiError(ErrorCode.NotFound, `There is no dataset ${query.datasetId} in this project.`);
      }
      if (query.after !== undefined && !project.images.get(query.after)) {
        throw new ApiError(ErrorCode.NotFound, `Image ${query.after} is not in this project.`);
      }
      const run = runId === undefined ? project.review.latestSuggestRun() : requireSuggestRun(project, runId);
      return { runId: run, ...project.review.queue({ runId: run, ...query }) };
    },
    'review:item': ({ imageId, runId }) => {
      const project = session.require();
      const image = imageDetail(project, imageId);
      const run = runId === undefined ? project.review.latestRunFor(imageId) : requireSuggestRun(project, runId);
      return { image, runId: run, candidates: run === null ? [] : project.review.candidates(run, imageId) };
    },
  };
}

function requireSuggestRun(project: Project, runId: number): number {
  if (!project.review.isSuggestRun(runId)) throw new ApiError(ErrorCode.NotFound, `There is no suggest run ${runId} in this project.`);
  return runId;
}
