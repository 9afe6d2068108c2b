/**
 * Which view the project shows: the grid, review, audit, jobs or models. The review view keeps
 * its own session state (ReviewState.active), so entering it starts a review and leaving it
 * closes one; Esc in the review view returns to the view it came from. An image opened from any
 * view shows in the image view over it, and going back returns there.
 */
import { InjectionToken } from '../../app/context.js';
import type { ImageState } from '../image/image-state.svelte.js';
import type { ReviewState } from '../review/review-state.svelte.js';
import type { ViewName } from './nav-keys.js';

export type PageName = Exclude<ViewName, 'review'>;

export class NavState {
  /** The view shown when no review is running. */
  page = $state<PageName>('grid');

  constructor(
    private readonly review: ReviewState,
    private readonly image: ImageState,
  ) {}

  get current(): ViewName {
    return this.review.active ? 'review' : this.page;
  }

  go(view: ViewName): void {
    if (view === 'review') {
      if (!this.review.active) void this.review.start();
      return;
    }
    if (this.review.active) this.review.close();
    if (this.image.openId !== null) this.image.close();
    this.page = view;
  }

  /** Shows one image in the image view (its decision, note and tags) over the current view. */
  openImage(id: number): void {
    void this.image.open(id);
  }

  reset(): void {
    this.page = 'grid';
  }
}

export const NAV_STATE = new InjectionToken<NavState>('NavState');
