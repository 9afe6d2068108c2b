/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight and returns the results in
 * input order. Image decoding is CPU-bound and these machines have two cores, so imports use a
 * small pool instead of Promise.all over thousands of files. Once `signal` aborts (a cancelled
 * import), no further item is started and the pool rejects with the signal's reason.
 */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      signal?.throwIfAborted();
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        // The other workers stop too, rather than go on with an import that already failed.
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  signal?.throwIfAborted();
  return results;
}
