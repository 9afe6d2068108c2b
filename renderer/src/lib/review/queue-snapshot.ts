/**
 * The review queue as the annotator walks it: the images of a filter in the order asked for,
 * fetched page by page as the position nears the end of what is loaded. It is a snapshot:
 * an image decided on the way stays in it (so ← goes back to it) even if it no longer matches
 * the status filter, and pages continue after the last image fetched (keyset), so decisions
 * never make the queue skip images.
 */
import type { ReviewQueue, ReviewQueueEntry } from '../../../../shared/contract/review-schemas.js';

export type FetchQueuePage = (after: number | undefined, limit: number) => Promise<ReviewQueue>;

export class QueueSnapshot {
  private entries: ReviewQueueEntry[] = [];
  /** The last image fetched from the backend (not one inserted here), where the next page starts. */
  private cursor: number | undefined;
  private complete = false;
  private loading: Promise<void> | null = null;
  /** Bumped by load(), so a page still in flight for an older snapshot is dropped. */
  private generation = 0;
  /** The run the backend ordered the queue by. */
  runId: number | null = null;
  /** Images in the queue: matching the filter when it was taken, plus any inserted since. */
  total = 0;

  constructor(
    private readonly fetchPage: FetchQueuePage,
    private readonly pageSize = 500,
    /** Pages are fetched this many images before the position reaches the end of what is loaded. */
    private readonly lookahead = 50,
  ) {}

  /** Takes the snapshot afresh: the first page. */
  async load(): Promise<void> {
    this.generation++;
    this.entries = [];
    this.cursor = undefined;
    this.complete = false;
    this.total = 0;
    this.loading = null;
    await this.fetchNext();
  }

  get length(): number {
    return this.entries.length;
  }

  at(index: number): ReviewQueueEntry | undefined {
    return this.entries[index];
  }

  indexOf(imageId: number): number {
    return this.entries.findIndex((e) => e.imageId === imageId);
  }

  /** True when `index` is past the end of the whole queue (not merely of what is loaded). */
  isPastEnd(index: number): boolean {
    return this.complete && index >= this.entries.length;
  }

  /** Makes sure `index` (and a little beyond) is loaded; resolves once it is, or the queue ended. */
  async ensure(index: number): Promise<void> {
    while (!this.complete && index + this.lookahead >= this.entries.length) {
      const before = this.entries.length;
      await this.fetchNext();
      if (this.entries.length === before) break;
    }
  }

  /** Puts an image into the queue at `index` (an undone decision brings its image back into view). */
  insert(index: number, entry: ReviewQueueEntry): void {
    this.entries.splice(Math.min(Math.max(index, 0), this.entries.length), 0, entry);
    this.total++;
  }

  /** Refreshes what the snapshot knows of an image (its status after a decision). */
  update(imageId: number, patch: Partial<ReviewQueueEntry>): void {
    const i = this.indexOf(imageId);
    if (i >= 0) this.entries[i] = { ...this.entries[i]!, ...patch };
  }

  private fetchNext(): Promise<void> {
    // One page at a time: concurrent callers share the request in flight.
    const generation = this.generation;
    this.loading ??= (async () => {
      try {
        const page = await this.fetchPage(this.cursor, this.pageSize);
        if (generation !== this.generation) return;
        this.runId = page.runId;
        const known = new Set(this.entries.map((e) => e.imageId));
        const fresh = page.items.filter((e) => !known.has(e.imageId));
        this.entries.push(...fresh);
        if (page.items.length > 0) this.cursor = page.items.at(-1)!.imageId;
        if (page.items.length < this.pageSize) this.complete = true;
        // What is loaded, plus what the backend says still follows.
        this.total = this.complete ? this.entries.length : Math.max(this.total, this.entries.length, page.total);
      } finally {
        if (generation === this.generation) this.loading = null;
      }
    })();
    return this.loading;
  }
}
