/**
 * Fixed-size pages of a long remote list, fetched on demand. Only pages that intersect the
 * requested window are fetched, pages far from it are dropped, and replies for an older
 * query (after reset) are ignored so a slow response cannot paint stale results.
 */

export interface Page<T> {
  total: number;
  items: T[];
}

export type PageFetcher<T> = (offset: number, limit: number) => Promise<Page<T>>;

export interface PageCacheOptions<T> {
  fetch: PageFetcher<T>;
  pageSize?: number;
  /** Pages kept on each side of the requested window; the rest are evicted. */
  keepPages?: number;
  /** Called after any page lands, total changes or a fetch fails. */
  onChange?: () => void;
  onError?: (error: unknown) => void;
}

export class PageCache<T> {
  readonly pageSize: number;
  private readonly keepPages: number;
  private pages = new Map<number, T[]>();
  private loading = new Set<number>();
  /** Pages still shown but due for a refetch (after refresh()). */
  private stale = new Set<number>();
  private generation = 0;
  private knownTotal: number | null = null;

  constructor(private readonly options: PageCacheOptions<T>) {
    this.pageSize = options.pageSize ?? 200;
    this.keepPages = options.keepPages ?? 3;
  }

  /** Total from the latest reply, or null before the first one. */
  get total(): number | null {
    return this.knownTotal;
  }

  get(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Index of the first cached item matching `predicate`, or -1. */
  findIndex(predicate: (item: T) => boolean): number {
    for (const [page, items] of this.pages) {
      const i = items.findIndex(predicate);
      if (i >= 0) return page * this.pageSize + i;
    }
    return -1;
  }

  /** Replaces cached items in place, e.g. after a decision changed an image's status. */
  update(predicate: (item: T) => boolean, replace: (item: T) => T): void {
    let changed = false;
    for (const items of this.pages.values()) {
      for (let i = 0; i < items.length; i++) {
        if (predicate(items[i]!)) {
          items[i] = replace(items[i]!);
          changed = true;
        }
      }
    }
    if (changed) this.options.onChange?.();
  }

  /** Makes sure every page intersecting [start, end) is loaded or loading; evicts far pages. */
  ensure(start: number, end: number): void {
    const first = Math.floor(Math.max(0, start) / this.pageSize);
    const last = Math.floor(Math.max(start, end - 1) / this.pageSize);
    for (const page of [...this.pages.keys()]) {
      if (page < first - this.keepPages || page > last + this.keepPages) {
        this.pages.delete(page);
        this.stale.delete(page);
      }
    }
    for (let page = first; page <= last; page++) {
      if (this.knownTotal !== null && page * this.pageSize >= this.knownTotal && page > 0) break;
      if ((this.pages.has(page) && !this.stale.has(page)) || this.loading.has(page)) continue;
      void this.load(page);
    }
  }

  /** Forgets everything, for a new query. */
  reset(): void {
    this.generation++;
    this.pages.clear();
    this.loading.clear();
    this.stale.clear();
    this.knownTotal = null;
    this.options.onChange?.();
  }

  /** Keeps showing cached pages but refetches them when next needed. */
  refresh(): void {
    this.generation++;
    this.loading.clear();
    this.stale = new Set(this.pages.keys());
  }

  get loadedPageCount(): number {
    return this.pages.size;
  }

  private async load(page: number): Promise<void> {
    const generation = this.generation;
    this.loading.add(page);
    try {
      const result = await this.options.fetch(page * this.pageSize, this.pageSize);
      if (generation !== this.generation) return;
      this.pages.set(page, result.items);
      this.stale.delete(page);
      this.knownTotal = result.total;
    } catch (e) {
      if (generation !== this.generation) return;
      this.options.onError?.(e);
    } finally {
      if (generation === this.generation) {
        this.loading.delete(page);
        this.options.onChange?.();
      }
    }
  }
}
