/**
 * The values the schema's CHECK constraints allow in enumerated columns (migrations 0001, 0002).
 * Repositories type their rows with these rather than with the API contract's enums, so storage
 * does not change shape when the API does; the services that map rows to contract types check at
 * compile time that every stored value is one the contract accepts.
 */

/** `image_state.status`. */
export type StoredImageStatus = 'undecided' | 'accepted' | 'edited' | 'rejected' | 'skipped';

/** `decisions.action`: a caption choice, or an undo of an earlier row. */
export type StoredDecisionAction = 'accept' | 'edit' | 'reject' | 'skip' | 'undo';

/** The actions a new decision row may carry (an undo is appended by `DecisionsRepo.undo`). */
export type StoredChoice = Exclude<StoredDecisionAction, 'undo'>;

/** `datasets.kind`. */
export type StoredDatasetKind = 'folder' | 'coco';
