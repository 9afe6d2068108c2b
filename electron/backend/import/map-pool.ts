/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight and returns the results in
 * input order. Image decoding is CPU-bound and these machines have two cores, so imports use a
 * small pool instead of Promise.all over thousands of files.
 */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
