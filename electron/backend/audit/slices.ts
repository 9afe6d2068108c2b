import { yieldToEventLoop } from '../../evaluation/report/progress.js';

const SLICE_MS = 30;

/**
 * Calls `each` for every item, handing the event loop back every few milliseconds: audit lists
 * are computed on the thread that answers the API, which must keep answering meanwhile.
 */
export async function forEachSliced<T>(items: readonly T[], each: (item: T, index: number) => void, onSlice?: (done: number) => void): Promise<void> {
  let sliceStart = performance.now();
  for (let i = 0; i < items.length; i++) {
    each(items[i]!, i);
    if (performance.now() - sliceStart >= SLICE_MS) {
      onSlice?.(i + 1);
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
}
