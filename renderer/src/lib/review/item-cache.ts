/**
 * Review items fetched ahead of the annotator, with their images preloaded, so moving on is a
 * synchronous swap rather than a round trip. Bounded: the least recently used items go first.
 */
import type { ReviewItem } from '../../../../shared/contract/review-schemas.js';
import type { ImageDetail } from '../../../../shared/contract/schemas.js';

export type FetchItem = (imageId: number) => Promise<ReviewItem>;
/** Loads and decodes an item's images; what it returns is kept with the item so they stay in memory. */
export type PreloadImages = (item: ReviewItem) => Promise<unknown>;

interface Entry {
  item?: ReviewItem;
  pending?: Promise<ReviewItem>;
  /** Whatever the preloader returned (decoded image elements), held so the browser keeps them. */
  held?: unknown;
}

export class ItemCache {
  private readonly entries = new Map<number, Entry>();

  constructor(
    private readonly fetchItem: FetchItem,
    private readonly preload: PreloadImages,
    private readonly capacity = 48,
  ) {}

  get(imageId: number): ReviewItem | undefined {
    const entry = this.entries.get(imageId);
    if (entry?.item) this.touch(imageId, entry);
    return entry?.item;
  }

  /** The item, fetched once however many callers ask; its images start preloading in the background. */
  load(imageId: number): Promise<ReviewItem> {
    const entry = this.entries.get(imageId);
    if (entry?.item) {
      this.touch(imageId, entry);
      return Promise.resolve(entry.item);
    }
    if (entry?.pending) return entry.pending;
    const fresh: Entry = {};
    fresh.pending = this.fetchItem(imageId).then(
      (item) => {
        if (this.entries.get(imageId) === fresh) {
          fresh.item = item;
          fresh.pending = undefined;
          void this.preload(item).then((held) => (fresh.held = held), () => {});
        }
        return item;
      },
      (error: unknown) => {
        if (this.entries.get(imageId) === fresh) this.entries.delete(imageId);
        throw error;
      },
    );
    this.entries.set(imageId, fresh);
    this.evict();
    return fresh.pending;
  }

  /** Starts loading items the annotator is likely to reach next; failures wait for a real visit. */
  prefetch(imageIds: readonly number[]): void {
    for (const id of imageIds) this.load(id).catch(() => {});
  }

  /** Replaces the image part of a cached item after a decision on it. */
  patchImage(detail: ImageDetail): ReviewItem | undefined {
    const entry = this.entries.get(detail.id);
    if (!entry?.item) {
      // A reply for an item still loading would be older than this decision.
      this.entries.delete(detail.id);
      return undefined;
    }
    entry.item = { ...entry.item, image: detail };
    return entry.item;
  }

  clear(): void {
    this.entries.clear();
  }

  private touch(imageId: number, entry: Entry): void {
    this.entries.delete(imageId);
    this.entries.set(imageId, entry);
  }

  private evict(): void {
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(id);
    }
  }
}
