/** Handlers of the review view's methods (decisions, the queue and one item), spread into the backend's table. */
import type { Handlers } from '../handler-table.js';
import type { ReviewService } from './review-service.js';

type ReviewMethods = 'images:get' | 'decisions:record' | 'decisions:undo' | 'review:queue' | 'review:item';

export function createReviewHandlers({ review }: { review: ReviewService }): Pick<Handlers, ReviewMethods> {
  return {
    'images:get': ({ id }) => review.detail(id),
    'decisions:record': (choice, ctx) => review.record(choice, ctx.actor),
    'decisions:undo': ({ imageId }, ctx) => review.undo(imageId, ctx.actor),
    'review:queue': (query) => review.queue(query),
    'review:item': (query) => review.item(query),
  };
}
