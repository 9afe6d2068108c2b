/** Public surface of the decode loop (issue 5): strategies, processors and the stepper contract. */
export { generate } from './generate.js';
export { beamSearch, BeamHypotheses } from './beam-search.js';
export { resolveOptions, type ResolvedOptions } from './options.js';
export {
  applyNoRepeatNgram,
  applyRepetitionPenalty,
  applyTemperature,
  applyTopK,
  applyTopP,
  forceToken,
  logSoftmaxInPlace,
  logSumExp,
  suppressToken,
} from './logits-processors.js';
export { applyProcessors, applyWarpers, sampleIndex, sampleWarped } from './sampling.js';
export { argmax, nucleusIndices, topKIndices } from './selection.js';
export type { DecoderStepper, DecodingStrategy, GenerateOptions, GenerateResult, RandomSource, StepOutput } from './types.js';
