/**
 * What a decision stores as its caption: the one rule every way of recording a decision shares
 * (the review view, the grid's detail panel, the API), so an accepted caption is the same text
 * whichever client recorded it.
 */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { RecordableAction } from '../../../shared/contract/schemas.js';
import type { ReferencesRepo } from '../../storage/repos/references-repo.js';
import type { ReviewRepo } from '../../storage/repos/review-repo.js';

export interface DecisionChoice {
  imageId: number;
  action: RecordableAction;
  finalText?: string | undefined;
  referenceId?: number | undefined;
  candidateId?: number | undefined;
}

/**
 * Accepting a reference or candidate records its text; an edit must carry non-empty text of its
 * own. The reference or candidate must belong to the image (NOT_FOUND otherwise), and a candidate
 * must be a suggestion, not a reference a reference audit scored.
 */
export function decidedText(
  repos: { references: Pick<ReferencesRepo, 'get'>; review: Pick<ReviewRepo, 'candidate'> },
  { imageId, action, finalText, referenceId, candidateId }: DecisionChoice,
): string | null {
  if (referenceId !== undefined) {
    const ref = repos.references.get(referenceId);
    if (!ref || ref.imageId !== imageId) {
      throw new ApiError(ErrorCode.NotFound, `Reference ${referenceId} does not belong to image ${imageId}.`);
    }
    if (action === 'accept' && finalText === undefined) return ref.text;
  }
  if (candidateId !== undefined) {
    const candidate = repos.review.candidate(candidateId);
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
