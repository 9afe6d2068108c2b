/**
 * Partial selection. Top-k, top-p and beam candidates need only the few largest scores of a
 * 50k-entry vocabulary (GPT-2), so a bounded heap, O(n log k), replaces a full sort.
 */

/**
 * Indices of the `k` largest entries of `values`, largest first; equal values keep index order
 * (lower index first), so results never depend on sort stability. NaN entries are skipped.
 * Returns fewer than `k` indices only when `values` has fewer usable entries.
 */
export function topKIndices(values: ArrayLike<number>, k: number): number[] {
  const n = values.length;
  const size = Math.min(Math.max(0, Math.floor(k)), n);
  if (size === 0) return [];
  // Min-heap of the best `size` seen so far; the root is the weakest kept entry. Scanning in
  // index order means a later equal value is never better, so ties resolve to lower indices.
  const heapValue = new Float64Array(size);
  const heapIndex = new Int32Array(size);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (count < size) {
      siftUp(heapValue, heapIndex, count, v, i);
      count++;
    } else if (v > heapValue[0]!) {
      siftDown(heapValue, heapIndex, count, v, i);
    }
  }
  const order: number[] = Array.from(heapIndex.subarray(0, count));
  order.sort((a, b) => values[b]! - values[a]! || a - b);
  return order;
}

/** "a is weaker than b": smaller value, or equal value and larger index (kept last). */
function weaker(va: number, ia: number, vb: number, ib: number): boolean {
  return va < vb || (va === vb && ia > ib);
}

function siftUp(hv: Float64Array, hi: Int32Array, pos: number, v: number, i: number): void {
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    if (!weaker(v, i, hv[parent]!, hi[parent]!)) break;
    hv[pos] = hv[parent]!;
    hi[pos] = hi[parent]!;
    pos = parent;
  }
  hv[pos] = v;
  hi[pos] = i;
}

/** Replaces the root with (v, i) and restores the heap. */
function siftDown(hv: Float64Array, hi: Int32Array, count: number, v: number, i: number): void {
  let pos = 0;
  for (;;) {
    const left = 2 * pos + 1;
    if (left >= count) break;
    const right = left + 1;
    let child = left;
    if (right < count && weaker(hv[right]!, hi[right]!, hv[left]!, hi[left]!)) child = right;
    if (!weaker(hv[child]!, hi[child]!, v, i)) break;
    hv[pos] = hv[child]!;
    hi[pos] = hi[child]!;
    pos = child;
  }
  hv[pos] = v;
  hi[pos] = i;
}

/** Index of the largest entry (the first one on ties, like `torch.argmax`); -1 when empty. */
export function argmax(values: ArrayLike<number>): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > bestValue || (best === -1 && v === -Infinity)) {
      best = i;
      bestValue = v;
    }
  }
  return best;
}

/**
 * Positions of the nucleus of `scores` (logits): the smallest set of highest scores whose
 * softmax mass reaches `p` (ties taken in index order; at least one entry), ascending.
 *
 * Peaked distributions (the usual case) are answered from the top 64 entries by a bounded heap.
 * Near-flat ones can need most of a 50k vocabulary, where a sort per row and step dominated the
 * decode loop; they fall through to a bucketed selection, O(n) plus one small sort.
 */
export function nucleusIndices(scores: ArrayLike<number>, p: number): number[] {
  const n = scores.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (scores[i]! > max) max = scores[i]!;
  if (max === -Infinity) return [];
  // exp() is the dominant cost on a 50k vocabulary, so the weights are computed once.
  const weightOf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += weightOf[i] = Math.exp(scores[i]! - max);
  const target = p * total;

  const top = topKIndices(scores, 64);
  let cumulative = 0;
  for (let r = 0; r < top.length; r++) {
    cumulative += weightOf[top[r]!]!;
    if (cumulative >= target) return top.slice(0, r + 1).sort((x, y) => x - y);
  }
  return nucleusByBuckets(scores, weightOf, max, target);
}

/** Buckets over the top `BUCKET_RANGE` nats below the maximum (everything lower shares the last). */
const BUCKETS = 512;
const BUCKET_RANGE = 32;

/**
 * The slow half of `nucleusIndices`: tokens are bucketed by distance below the maximum score, the
 * bucket where the cumulative mass crosses `target` is found from the bucket masses, and only that
 * bucket is sorted. Three predictable linear passes; a quickselect was slower here because its
 * branches on random logits are unpredictable.
 */
function nucleusByBuckets(scores: ArrayLike<number>, weightOf: Float64Array, max: number, target: number): number[] {
  const n = scores.length;
  const scale = BUCKETS / BUCKET_RANGE;
  const bucketOf = new Uint16Array(n);
  const mass = new Float64Array(BUCKETS);
  for (let i = 0; i < n; i++) {
    const b = Math.min(BUCKETS - 1, Math.floor((max - scores[i]!) * scale));
    bucketOf[i] = b;
    mass[b] = mass[b]! + weightOf[i]!;
  }
  let crossing = BUCKETS - 1;
  let remaining = target;
  for (let b = 0; b < BUCKETS; b++) {
    if (mass[b]! >= remaining) {
      crossing = b;
      break;
    }
    remaining -= mass[b]!;
  }
  // Inside the crossing bucket: best first, ties in index order, until the mass is reached.
  const members: number[] = [];
  for (let i = 0; i < n; i++) if (bucketOf[i] === crossing && weightOf[i]! > 0) members.push(i);
  members.sort((x, y) => scores[y]! - scores[x]! || x - y);
  const keptInCrossing = new Set<number>();
  for (const t of members) {
    keptInCrossing.add(t);
    remaining -= weightOf[t]!;
    if (remaining <= 0) break;
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = bucketOf[i]!;
    if ((b < crossing && weightOf[i]! > 0) || (b === crossing && keptInCrossing.has(i))) out.push(i);
  }
  return out;
}
