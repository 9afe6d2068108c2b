/**
 * The review rules over the open project's repositories: what a decision stores, what undo
 * steps back, an image's detail, the review queue and one review item. Handlers validate the
 * wire input and call this; repositories only read and write rows.
 */
import type { ParsedInput } from '../../../shared/contract/api.js';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { MAX_REFERENCES_RETURNED } from '../../../shared/contract/limits.js';
import type { ReviewItem, ReviewQueue } from '../../../shared/contract/review-schemas.js';
import type { ImageDetail } from '../../../shared/contract/schemas.js';
import type { Project } from '../../storage/project.js';
import type { ImageRecord } from '../../storage/repos/images-repo.js';
import { decidedText, type DecisionChoice } from './decided-text.js';
import { toDecision, toImageSummary, toQueueEntry, toReference, toReviewCandidate } from './to-contract.js';

/** The repositories the review rules read and write (a Project has them all). */
export type ReviewStore = Pick<Project, 'datasets' | 'images' | 'references' | 'decisions' | 'review'>;

export class ReviewService {
  /** `store` answers the open project's repositories at each call: projects are switched under a running backend. */
  constructor(private readonly store: () => ReviewStore) {}

  /** The image with its first references, its decision in force and its history (NOT_FOUND for an image not in the project). */
  detail(imageId: number): ImageDetail {
    return imageDetail(this.store(), imageId);
  }

  /** Appends `actor`'s decision on an image and answers the image's detail after it. */
  record(choice: DecisionChoice, actor: string): ImageDetail {
    const store = this.store();
    requireImage(store, choice.imageId);
    if (choice.referenceId !== undefined && choice.candidateId !== undefined) {
      throw new ApiError(ErrorCode.InvalidInput, 'A decision takes a reference or a candidate, not both.');
    }
    store.decisions.record({
      imageId: choice.imageId,
      actor,
      action: choice.action,
      finalText: decidedText(store, choice),
      referenceId: choice.referenceId ?? null,
      candidateId: choice.candidateId ?? null,
    });
    return imageDetail(store, choice.imageId);
  }

  /**
   * Undoes the decision in force on `imageId`; without an image, `actor`'s latest decision in
   * force on any image (NOT_FOUND when there is none left). Answers the affected image's detail.
   */
  undo(imageId: number | undefined, actor: string): ImageDetail {
    const store = this.store();
    if (imageId === undefined) {
      const undo = store.decisions.undoLatest(actor);
      if (!undo) throw new ApiError(ErrorCode.NotFound, `${actor} has no decision left to undo.`);
      return imageDetail(store, undo.imageId);
    }
    requireImage(store, imageId);
    store.decisions.undo(imageId, actor);
    return imageDetail(store, imageId);
  }

  /** The review queue ordered by a suggest run's scores (default: the latest with finished images). */
  queue({ runId, ...query }: ParsedInput<'review:queue'>): ReviewQueue {
    const store = this.store();
    if (query.datasetId !== undefined && !store.datasets.get(query.datasetId)) {
      throw new ApiError(ErrorCode.NotFound, `There is no dataset ${query.datasetId} in this project.`);
    }
    if (query.after !== undefined && !store.images.get(query.after)) {
      throw new ApiError(ErrorCode.NotFound, `Image ${query.after} is not in this project.`);
    }
    const run = runId === undefined ? store.review.latestSuggestRun() : requireSuggestRun(store, runId);
    const { total, items } = store.review.queue({ runId: run, ...query });
    return { runId: run, total, items: items.map(toQueueEntry) };
  }

  /** One image with a suggest run's candidates for it (default: the latest run that covered it), best first. */
  item({ imageId, runId }: ParsedInput<'review:item'>): ReviewItem {
    const store = this.store();
    const image = imageDetail(store, imageId);
    const run = runId === undefined ? store.review.latestRunFor(imageId) : requireSuggestRun(store, runId);
    return { image, runId: run, candidates: run === null ? [] : store.review.candidates(run, imageId).map(toReviewCandidate) };
  }
}

/** NOT_FOUND for an image not in the open project (the handlers check images the same way). */
export function requireImage(store: Pick<ReviewStore, 'images'>, id: number): ImageRecord {
  const image = store.images.get(id);
  if (!image) throw new ApiError(ErrorCode.NotFound, `Image ${id} is not in this project.`);
  return image;
}

function requireSuggestRun(store: ReviewStore, runId: number): number {
  if (!store.review.isSuggestRun(runId)) throw new ApiError(ErrorCode.NotFound, `There is no suggest run ${runId} in this project.`);
  return runId;
}

function imageDetail(store: ReviewStore, id: number): ImageDetail {
  const image = requireImage(store, id);
  // Capped: an image with 300,000 references made this answer 19.5 MB (issue 16).
  const references = store.references.forImage(id, MAX_REFERENCES_RETURNED);
  return {
    ...toImageSummary(image),
    sha256: image.sha256,
    bytes: image.bytes,
    references: references.map(toReference),
    // fewer than the cap came back only if that is all there are: counting again is needed only at the cap
    referenceCount: references.length < MAX_REFERENCES_RETURNED ? references.length : store.references.countForImage(id),
    decision: mapNullable(store.decisions.current(id), toDecision),
    history: store.decisions.history(id).map(toDecision),
  };
}

const mapNullable = <T, U>(value: T | null, map: (value: T) => U): U | null => (value === null ? null : map(value));
