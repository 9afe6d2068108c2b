/**
 * The generator's only source of randomness: xoshiro128** 1.1 (Blackman & Vigna,
 * https://prng.di.unimi.it/xoshiro128starstar.c). Everything is 32-bit integer arithmetic
 * (Math.imul, shifts, xors), so a seed yields the same sequence on every run, machine and
 * platform — initial latents and ancestral-sampler noise are reproducible from the seed alone.
 * Math.random is never used.
 */

/** A seeded uniform source; schedulers that inject noise take one of these. */
export interface Rng {
  /** The next 32 random bits as an unsigned integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform in [0, 1), with 32 bits of resolution (nextUint32() / 2^32, exact in a double). */
  nextFloat(): number;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * splitmix32-style finaliser (the murmur3 fmix32 constants) used only to spread a seed over the
 * 128-bit state; the xoshiro authors recommend seeding from a different generator so that
 * nearby seeds (1, 2, 3 …) give unrelated streams.
 */
function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) >>> 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Xoshiro128 implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /**
   * A generator for `seed`, a non-negative safe integer (seeds up to 2^53 − 1 are distinct:
   * the high and low 32-bit words both feed the state).
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
    }
    const mix = { x: (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32), 0x632be5ab) };
    this.s0 = splitmix32(mix);
    this.s1 = splitmix32(mix);
    this.s2 = splitmix32(mix);
    this.s3 = splitmix32(mix);
    // The all-zero state is the one fixed point of xoshiro; splitmix32 never yields four zeros
    // in a row in practice, but guard anyway so the generator can never get stuck.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator with an explicit 128-bit state, for reference test vectors. */
  static fromState(state: readonly [number, number, number, number]): Xoshiro128 {
    if (state.every((w) => w >>> 0 === 0)) throw new RangeError('xoshiro128** state must not be all zero');
    const rng = new Xoshiro128(0);
    [rng.s0, rng.s1, rng.s2, rng.s3] = state.map((w) => w >>> 0) as [number, number, number, number];
    return rng;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }
}
