/**
 * The review session: a queue of images (QueueSnapshot), the item in view with its ranked
 * candidates (ItemCache, fetched and preloaded ahead), the picked candidate, and decisions.
 * A decision moves on at once and is saved behind it; decisions and undos go to the backend one
 * at a time, in order, so an undo pressed right after an accept undoes that accept.
 */
import type { ApiClient } from '../../../../shared/contract/client.js';
import type { ApiErrorShape } from '../../../../shared/contract/errors.js';
import type { QueueOrder, ReviewItem } from '../../../../shared/contract/review-schemas.js';
import type { Run } from '../../../../shared/contract/run-schemas.js';
import type { Dataset, ImageDetail, ImageStatus, RecordableAction } from '../../../../shared/contract/schemas.js';
import { InjectionToken } from '../../app/context.js';
import { toErrorShape } from '../api/to-error.js';
import { ItemCache } from './item-cache.js';
import { imagePreloader, reviewItemImages } from './preload-images.js';
import { QueueSnapshot } from './queue-snapshot.js';

export interface ReviewFilter {
  /** Null: the latest suggest run with results. */
  runId: number | null;
  order: QueueOrder;
  status: ImageStatus | null;
  /** A split (dataset); null: all. */
  datasetId: number | null;
}

export type CompareMode = 'side' | 'slider';

export interface ReviewCallbacks {
  /** After a decision or undo is stored, so the grid can show the new status. */
  onChanged(detail: ImageDetail): void;
  onMessage(text: string, kind?: 'info' | 'error'): void;
  /** The annotator left the review view. */
  onClosed(): void;
}

export const DEFAULT_REVIEW_FILTER: ReviewFilter = { runId: null, order: 'dataset', status: 'undecided', datasetId: null };

interface DecisionInput {
  action: RecordableAction;
  finalText?: string;
  referenceId?: number;
  candidateId?: number;
}

export class ReviewState {
  active = $state(false);
  filter = $state.raw<ReviewFilter>(DEFAULT_REVIEW_FILTER);
  /** The run the queue is ordered by, as the backend resolved it. */
  runId = $state<number | null>(null);
  total = $state(0);
  index = $state(0);
  item = $state.raw<ReviewItem | null>(null);
  /** Index of the picked candidate in `item.candidates`. */
  picked = $state(0);
  compare = $state<CompareMode | null>(null);
  /** Percentage of the slider comparison's width that shows the source; kept from image to image. */
  compareSplit = $state(50);
  loading = $state(false);
  /** Decisions have been waiting to be stored for a while (shown; a quick save is not news). */
  savingSlow = $state(false);
  error = $state.raw<ApiErrorShape | null>(null);
  /** Suggest runs with results, newest first, for choosing the run. */
  runs = $state.raw<Run[]>([]);
  datasets = $state.raw<Dataset[]>([]);

  private readonly queue: QueueSnapshot;
  private readonly cache: ItemCache;
  private lastCompareMode: CompareMode = 'side';
  private writes: Promise<void> = Promise.resolve();
  /** Decisions and undos sent and not yet stored. */
  private pendingWrites = 0;
  private slowTimer: ReturnType<typeof setTimeout> | null = null;
  private showSeq = 0;
  /** The image in view was decided here and the view has not moved on yet (the next image is loading, or it was the last). */
  private decidedInView: number | null = null;

  constructor(
    private readonly client: ApiClient,
    private readonly callbacks: ReviewCallbacks,
  ) {
    this.queue = new QueueSnapshot((after, limit) => {
      const { runId, order, status, datasetId } = this.filter;
      return client.call('review:queue', {
        order,
        limit,
        ...(runId !== null ? { runId } : {}),
        ...(status !== null ? { status } : {}),
        ...(datasetId !== null ? { datasetId } : {}),
        ...(after !== undefined ? { after } : {}),
      });
    });
    this.cache = new ItemCache(
      (imageId) => client.call('review:item', { imageId, ...(this.runId !== null ? { runId: this.runId } : {}) }),
      imagePreloader((item) => reviewItemImages(item, (kind, id) => client.mediaUrl(kind, id))),
    );
  }

  async start(): Promise<void> {
    this.active = true;
    // Without them the run and split choices stay empty; the queue itself can still be reviewed.
    const unread = (what: string) => (e: unknown) => {
      const error = toErrorShape(e);
      this.callbacks.onMessage(`Could not read the ${what}: ${error.message}`, 'error');
      return [];
    };
    const [runs, datasets] = await Promise.all([
      this.client.call('runs:list', {}).catch(unread('runs')),
      this.client.call('datasets:list', {}).catch(unread('splits')),
    ]);
    this.runs = runs.filter((r) => r.kind === 'suggest' && r.done > 0).reverse();
    this.datasets = datasets;
    await this.reload();
  }

  close(): void {
    this.active = false;
    this.compare = null;
    this.showSeq++;
    this.callbacks.onClosed();
  }

  /** Forgets everything, for a newly opened project. */
  reset(): void {
    this.active = false;
    this.filter = DEFAULT_REVIEW_FILTER;
    this.item = null;
    this.runs = [];
    this.datasets = [];
    this.cache.clear();
    this.showSeq++;
  }

  setFilter(patch: Partial<ReviewFilter>): Promise<void> {
    this.filter = { ...this.filter, ...patch };
    return this.reload();
  }

  /** Takes the queue afresh and shows its first image. */
  async reload(): Promise<void> {
    this.loading = true;
    this.error = null;
    this.item = null;
    this.cache.clear();
    try {
      await this.queue.load();
      this.runId = this.queue.runId;
      this.total = this.queue.total;
      await this.show(0);
    } catch (e) {
      this.error = toErrorShape(e);
    } finally {
      this.loading = false;
    }
  }

  /** Shows the queue's image at `index`: at once when it was fetched ahead, else after fetching it. */
  async show(index: number): Promise<void> {
    const seq = ++this.showSeq;
    this.index = index;
    this.compare = null;
    const entry = this.queue.at(index);
    if (!entry) {
      this.item = null;
      return;
    }
    const cached = this.cache.get(entry.imageId);
    if (cached) this.setItem(cached);
    this.prefetchAround(index);
    if (cached) return;
    this.loading = true;
    try {
      const item = await this.cache.load(entry.imageId);
      if (seq === this.showSeq) this.setItem(item);
    } catch (e) {
      if (seq !== this.showSeq) return;
      // Not the previous image under this one's number: keys would act on the wrong image.
      this.item = null;
      this.error = toErrorShape(e);
    } finally {
      if (seq === this.showSeq) this.loading = false;
    }
  }

  async go(direction: 'previous' | 'next'): Promise<boolean> {
    const target = this.index + (direction === 'next' ? 1 : -1);
    if (target < 0) {
      this.callbacks.onMessage('This is the first image of the queue');
      return false;
    }
    if (!this.queue.at(target)) {
      try {
        await this.queue.ensure(target);
      } catch (e) {
        const error = toErrorShape(e);
        this.callbacks.onMessage(`Could not read the next part of the queue: ${error.message}`, 'error');
        return false;
      }
    }
    if (!this.queue.at(target)) {
      this.callbacks.onMessage('That was the last image of the queue');
      return false;
    }
    await this.show(target);
    return true;
  }

  pick(index: number): void {
    const count = this.item?.candidates.length ?? 0;
    if (index < count) this.picked = index;
    else this.callbacks.onMessage(count ? `There are ${count} candidates; press 1–${Math.min(count, 9)}` : 'This image has no candidates', 'error');
  }

  accept(): void {
    const candidate = this.item?.candidates[this.picked];
    if (this.item && !candidate) {
      this.callbacks.onMessage('No suggestion to accept here: press e to write a caption, r to reject or s to skip', 'error');
      return;
    }
    // Without an item, decide() says why there is nothing to decide on.
    this.decide({ action: 'accept', ...(candidate ? { candidateId: candidate.id } : {}) });
  }

  acceptReference(index: number): void {
    const reference = this.item?.image.references[index];
    if (reference) this.decide({ action: 'accept', referenceId: reference.id });
    else if (this.item) this.callbacks.onMessage(`This image has ${this.item.image.references.length} reference(s)`, 'error');
  }

  /** Saves the editor's text: an edit of the picked candidate (an accept if it is unchanged). */
  saveEdit(text: string): boolean {
    const finalText = text.trim();
    if (!finalText) {
      this.callbacks.onMessage('A caption cannot be empty; press r to reject the image instead', 'error');
      return false;
    }
    const candidate = this.item?.candidates[this.picked];
    if (candidate && candidate.text === finalText) return this.decide({ action: 'accept', candidateId: candidate.id }, true);
    return this.decide({ action: 'edit', finalText, ...(candidate ? { candidateId: candidate.id } : {}) }, true);
  }

  reject(): void {
    this.decide({ action: 'reject' });
  }

  skip(): void {
    this.decide({ action: 'skip' });
  }

  /** Undoes the annotator's latest decision still in force (kept in the project, so also one made before a restart) and shows its image. */
  undo(): void {
    this.write(async () => {
      const detail = await this.client.call('decisions:undo', {});
      this.applyDetail(detail);
      let index = this.queue.indexOf(detail.id);
      if (index < 0) {
        index = this.index;
        this.queue.insert(index, { imageId: detail.id, status: detail.status, similarity: null, margin: null });
        this.total = this.queue.total;
      }
      await this.show(index);
      this.callbacks.onMessage(`Undone: ${detail.fileName} is ${detail.status} again`);
    });
  }

  private toggleCompare(): void {
    this.compare = this.compare ? null : this.lastCompareMode;
  }

  /** v (open or close the comparison) and c (its mode): for a picked candidate with a reconstruction. */
  compareKey(what: 'toggle' | 'mode'): void {
    const candidate = this.item?.candidates[this.picked];
    if (!candidate?.hasReconstruction) {
      this.callbacks.onMessage(candidate ? `Candidate ${this.picked + 1} has no reconstruction to compare` : 'There is no candidate to compare', 'error');
      return;
    }
    if (what === 'toggle') this.toggleCompare();
    else this.switchCompareMode();
  }

  /** Moves the slider of an open slider comparison by `by` percent of its width. */
  slide(by: number): void {
    if (this.compare === 'slider') this.compareSplit = Math.min(100, Math.max(0, this.compareSplit + by));
  }

  /** Opens the comparison, or switches an open one between side by side and slider. */
  private switchCompareMode(): void {
    if (this.compare) this.lastCompareMode = this.compare === 'side' ? 'slider' : 'side';
    this.compare = this.lastCompareMode;
  }

  /**
   * Stores a decision on the image in view and moves on; false when there is none to decide on.
   * `typed`: the annotator wrote the text for the image they see, which is stored even if that
   * image was decided a moment ago (a second thought on the last image, or while the next loads).
   */
  private decide(input: DecisionInput, typed = false): boolean {
    const item = this.item;
    if (!item) {
      if (this.error) this.callbacks.onMessage('This image could not be loaded: ← / → move on', 'error');
      return false;
    }
    const imageId = item.image.id;
    // Keys pressed faster than the next image arrives must not land on the image still in view:
    // that would decide it twice and skip the next one unseen.
    const stale = this.queue.at(this.index)?.imageId !== imageId;
    if (stale && !typed) {
      this.callbacks.onMessage('One moment: the next image is still loading');
      return false;
    }
    if (this.decidedInView === imageId && !typed) {
      this.callbacks.onMessage(`${item.image.fileName} is decided: z undoes it, ← goes back`);
      return false;
    }
    this.decidedInView = imageId;
    this.write(async () => {
      try {
        this.applyDetail(await this.client.call('decisions:record', { imageId, ...input }));
      } catch (e) {
        // Go back to the image whose decision was not stored, so no work is lost unseen.
        const index = this.queue.indexOf(imageId);
        if (index >= 0) await this.show(index);
        throw e;
      }
    });
    // A stale view is on its way to the next image already.
    if (!stale) void this.go('next');
    return true;
  }

  private write(action: () => Promise<void>): void {
    this.pendingWrites++;
    this.slowTimer ??= setTimeout(() => (this.savingSlow = this.pendingWrites > 0), SLOW_SAVE_MS);
    // Each write starts in a task of its own, so the frame showing the next image can render
    // before it is sent (validated, serialised). Not rAF: that stops in a hidden window.
    this.writes = this.writes.then(nextTask).then(action).catch((e: unknown) => {
      const error = toErrorShape(e);
      this.callbacks.onMessage(`${error.code}: ${error.message}`, 'error');
    }).finally(() => {
      if (--this.pendingWrites > 0) return;
      if (this.slowTimer) clearTimeout(this.slowTimer);
      this.slowTimer = null;
      this.savingSlow = false;
    });
  }

  private applyDetail(detail: ImageDetail): void {
    const updated = this.cache.patchImage(detail);
    this.queue.update(detail.id, { status: detail.status });
    if (this.item?.image.id === detail.id) this.item = updated ?? { ...this.item, image: detail };
    this.callbacks.onChanged(detail);
  }

  private setItem(item: ReviewItem): void {
    this.item = item;
    this.decidedInView = null;
    this.error = null;
    // Start from the candidate the decision in force took, else the suggestion.
    const taken = item.image.decision?.candidateId;
    const index = taken == null ? -1 : item.candidates.findIndex((c) => c.id === taken);
    this.picked = Math.max(index, 0);
  }

  private prefetchAround(index: number): void {
    // Far enough ahead that a fast annotator (several decisions a second) never waits on a fetch.
    const ids = [1, 2, 3, 4, 5, -1].map((d) => index + d).flatMap((i) => {
      const entry = this.queue.at(i);
      return entry ? [entry.imageId] : [];
    });
    // Once the frame showing this item is out: sending requests is work that frame need not wait for.
    afterPaint(() => {
      this.cache.prefetch(ids);
      // A failed page shows when the annotator reaches it (go() fetches it again and says why).
      void this.queue.ensure(index).then(() => {
        this.total = this.queue.total;
      }, () => {});
    });
  }
}

/** Saves slower than this show a "saving…" note. */
const SLOW_SAVE_MS = 600;

/** Runs `work` in the task after the next frame (at once in a hidden window, which draws no frames). */
function afterPaint(work: () => void): void {
  if (typeof document === 'undefined' || document.hidden) setTimeout(work, 0);
  else requestAnimationFrame(() => setTimeout(work, 0));
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export const REVIEW_STATE = new InjectionToken<ReviewState>('ReviewState');
