/** Seeded randomness for the generator: a reproducible PRNG and Gaussian noise. */
export { Xoshiro128, type Rng } from './xoshiro128.js';
export { GaussianSampler, randn, shapeSize } from './gaussian.js';
