/**
 * Seeds derived from a run's seed, so every random choice of a run is reproducible and
 * independent of processing order or batch composition (an image processed after a resume gets
 * the same seeds as in an uninterrupted run).
 */
export function deriveSeed(runSeed: number, ...parts: number[]): number {
  // FNV-1a over 32-bit words, then a murmur3 finaliser: cheap, stable, well mixed.
  let h = 0x811c9dc5;
  for (const value of [runSeed, ...parts]) {
    let v = value >>> 0;
    for (let i = 0; i < 4; i++) {
      h ^= v & 0xff;
      h = Math.imul(h, 0x01000193);
      v >>>= 8;
    }
    const high = Math.floor(value / 2 ** 32) >>> 0;
    h ^= high;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
