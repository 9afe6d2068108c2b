/**
 * Embedding metrics for the evaluation reports (issue 6): text–text cosine to references,
 * CLIPScore / RefCLIPScore, image–image cosine and the Fréchet distance between image sets, all
 * through the engine's embedders and streamed in batches.
 */
export { type BatchOptions, DEFAULT_EVAL_BATCH_SIZE, embedImageStream, type EvalImage, type Source } from './batches.js';
export {
  CLIP_SCORE_PREFIX,
  CLIP_SCORE_W,
  clipScore,
  type ClipScoreOptions,
  type ClipScoreResult,
  type ImageClipScores,
  type ImageWithCaptions,
  refClipScore,
  scoreClipScore,
} from './clip-score.js';
export { type FrechetDistance, frechetDistance, frechetDistanceOfFeatures } from './frechet.js';
export { imageSetFrechetDistance, type ImageSetFrechet, imageSetStats } from './image-set-frechet.js';
export { type ImageSimilarityResult, type ImageWithCandidates, scoreImageSimilarity } from './image-similarity.js';
export { FeatureMoments, featureStats, type GaussianStats } from './moments.js';
export { symmetricEigen, type SymmetricEigen } from './symmetric-eigen.js';
export {
  type CaptionsWithReferences,
  referenceSimilarity,
  type ReferenceSimilarity,
  scoreTextSimilarity,
  type TextSimilarityOptions,
  type TextSimilarityResult,
} from './text-similarity.js';
