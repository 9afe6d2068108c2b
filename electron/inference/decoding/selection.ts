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
