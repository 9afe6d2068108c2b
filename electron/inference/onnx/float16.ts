/**
 * IEEE 754 half precision ↔ float32, bit-exact. Node 20 has no Float16Array and onnxruntime-node
 * exchanges float16 tensors as Uint16Array bit patterns, so fp16 graphs (the `_fp16` variants of
 * transformers.js layouts, fp16 diffusion exports) are fed and read through these.
 * float32 → float16 rounds to nearest, ties to even, as numpy's astype(np.float16) and
 * onnxruntime's Cast do; values too large become ±Infinity, too small ±0 (through subnormals),
 * and NaN stays a quiet NaN.
 */

const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/** The float16 bit pattern nearest to `value` (ties to even). */
export function toFloat16Bits(value: number): number {
  scratchFloat[0] = value;
  const bits = scratchBits[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return mantissa === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mantissa >>> 13);
  // Re-biased exponent: float32 bias 127, float16 bias 15.
  const halfExponent = exponent - 112;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half (value = m · 2^-24); below half the smallest subnormal it rounds to zero.
    if (halfExponent < -10) return sign;
    const full = mantissa | 0x800000;
    return sign | roundShift(full, 14 - halfExponent);
  }
  // A carry out of the mantissa bumps the exponent, which is the correctly rounded result (up to Infinity).
  return sign | ((halfExponent << 10) + roundShift(mantissa, 13));
}

/** `value >> shift`, rounded to nearest with ties to even. */
function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  const rest = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
}

let table: Float32Array | null = null;

/** The float32 value of every half bit pattern: 256 KB, built on first use, makes reading logits a lookup. */
function halfTable(): Float32Array {
  if (table) return table;
  table = new Float32Array(0x10000);
  for (let h = 0; h < 0x10000; h++) table[h] = decodeHalf(h);
  return table;
}

function decodeHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function fromFloat16Bits(bits: number): number {
  return halfTable()[bits & 0xffff]!;
}

export function float32ToFloat16(values: ArrayLike<number>): Uint16Array<ArrayBuffer> {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]!);
  return out;
}

export function float16ToFloat32(bits: ArrayLike<number>): Float32Array<ArrayBuffer> {
  const lookup = halfTable();
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = lookup[bits[i]! & 0xffff]!;
  return out;
}
