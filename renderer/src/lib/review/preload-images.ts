/** Loads and decodes images before they are shown, so swapping them in costs no network or decode. */
import type { MediaKind } from '../../../../shared/contract/client.js';
import type { ReviewItem } from '../../../../shared/contract/review-schemas.js';
import type { PreloadImages } from './item-cache.js';

/** The images the review view shows for an item: the source, then each candidate's reconstruction. */
export function reviewItemImages(item: ReviewItem, mediaUrl: (kind: MediaKind, id: number) => string): string[] {
  return [mediaUrl('image', item.image.id), ...item.candidates.filter((c) => c.hasReconstruction).map((c) => mediaUrl('reconstruction', c.id))];
}

export function imagePreloader(urlsOf: (item: ReviewItem) => string[]): PreloadImages {
  return async (item) => {
    const images = urlsOf(item).map((url, i) => {
      const img = new Image();
      img.decoding = 'async';
      // The source first: it is the largest thing on screen when the item appears.
      img.fetchPriority = i === 0 ? 'high' : 'low';
      img.src = url;
      return img;
    });
    // A broken image is shown as broken when its item is; it must not hold up the others.
    await Promise.all(images.map((img) => img.decode().catch(() => {})));
    return images;
  };
}
