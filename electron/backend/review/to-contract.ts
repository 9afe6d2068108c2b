/**
 * Storage records → the API's review types. Field by field on purpose: a field added to a
 * contract type fails to compile here (not in a repository), and a column added to a table does
 * not reach the wire unless it is mapped. Key order is the wire's JSON order.
 */
import type { ReviewCandidate, ReviewQueueEntry } from '../../../shared/contract/review-schemas.js';
import type { Dataset, Decision, ImageSummary, Reference } from '../../../shared/contract/schemas.js';
import type { DatasetRecord } from '../../storage/repos/datasets-repo.js';
import type { DecisionRecord } from '../../storage/repos/decisions-repo.js';
import type { ImageRecord } from '../../storage/repos/images-repo.js';
import type { ReferenceRecord } from '../../storage/repos/references-repo.js';
import type { CandidateGroupRecord, QueueEntryRecord } from '../../storage/repos/review-repo.js';

export const toDecision = (d: DecisionRecord): Decision => ({
  id: d.id,
  imageId: d.imageId,
  actor: d.actor,
  createdAt: d.createdAt,
  action: d.action,
  finalText: d.finalText,
  referenceId: d.referenceId,
  candidateId: d.candidateId,
  runId: d.runId,
  undoesId: d.undoesId,
});

export const toReference = (r: ReferenceRecord): Reference => ({
  id: r.id,
  imageId: r.imageId,
  externalId: r.externalId,
  text: r.text,
});

/** What the grid shows of an image: not its hash, size, dataset root or file identity. */
export const toImageSummary = (i: ImageRecord): ImageSummary => ({
  id: i.id,
  datasetId: i.datasetId,
  externalId: i.externalId,
  fileName: i.fileName,
  width: i.width,
  height: i.height,
  status: i.status,
  caption: i.caption,
});

export const toQueueEntry = (e: QueueEntryRecord): ReviewQueueEntry => ({
  imageId: e.imageId,
  status: e.status,
  similarity: e.similarity,
  margin: e.margin,
});

export const toReviewCandidate = (c: CandidateGroupRecord): ReviewCandidate => ({
  id: c.id,
  runId: c.runId,
  text: c.text,
  rank: c.rank,
  similarity: c.similarity,
  marginToNext: c.marginToNext,
  samples: c.samples,
  hasReconstruction: c.hasReconstruction,
});

/** A dataset is a split of the review queue and the grid's filter. */
export const toDataset = (d: DatasetRecord): Dataset => ({
  id: d.id,
  name: d.name,
  rootPath: d.rootPath,
  kind: d.kind,
  createdAt: d.createdAt,
  imageCount: d.imageCount,
});
