/**
 * The image grid's data and position: current filter, paged items, selection and scroll
 * offset. Scroll and selection live here rather than in the component so they survive a
 * trip to the image view and back.
 */
import type { MethodInput } from '../../../../shared/contract/api.js';
import type { ApiClient } from '../../../../shared/contract/client.js';
import type { ApiErrorShape } from '../../../../shared/contract/errors.js';
import { MAX_RUN_IMAGES } from '../../../../shared/contract/run-schemas.js';
import type { ImageStatus, ImageSummary } from '../../../../shared/contract/schemas.js';
import { InjectionToken } from '../../app/context.js';
import { formatCount } from '../util/format.js';
import { toErrorShape } from '../api/to-error.js';
import { GRID_PAGE_SIZE } from './grid-page.js';
import { imageIdPages } from './image-id-pages.js';
import { PageCache } from './page-cache.js';

export interface GridQuery {
  status: ImageStatus | null;
  search: string;
  /** Range of the suggested candidate's similarity in the latest suggest run; null: open. */
  similarityMin: number | null;
  similarityMax: number | null;
  /** Only images the audit lists as disagreements. */
  disagreement: boolean;
  /** Only images where one side alone uses this word (from the audit's vocabulary). */
  word: WordFilter | null;
}

export type GridFilterInput = Omit<MethodInput<'images:list'>, 'offset' | 'limit'>;
export type WordFilter = NonNullable<GridFilterInput['word']>;

const ALL: GridQuery = { status: null, search: '', similarityMin: null, similarityMax: null, disagreement: false, word: null };


export class GridState {
  query = $state.raw<GridQuery>(ALL);
  total = $state(0);
  /** False until the first page of the current query arrives. */
  ready = $state(false);
  selectedIndex = $state(0);
  /** Images marked for a run (Space, Ctrl/Shift+click), by id: kept while the filter changes, cleared with the project. */
  marked = $state.raw<ReadonlySet<number>>(new Set());
  /** Where the last mark was set, for Shift ranges. */
  private markAnchor: number | null = null;
  /** Bumped when the filter, the project or the marks change (a toggle, a clear): a range still reading ids then drops them. */
  private markGeneration = 0;
  scrollTop = $state(0);
  error = $state.raw<ApiErrorShape | null>(null);
  /** Bumped whenever cached items change; reading it makes item lookups reactive. */
  private revision = $state(0);
  private readonly cache: PageCache<ImageSummary>;
  private lastWindow: [number, number] = [0, 1];

  constructor(
    private readonly client: ApiClient,
    pageSize = GRID_PAGE_SIZE,
  ) {
    this.cache = new PageCache<ImageSummary>({
      pageSize,
      fetch: (offset, limit) => {
        return client.call('images:list', { offset, limit, ...this.filterInput() });
      },
      onChange: () => {
        const total = this.cache.total;
        if (total !== null) {
          this.total = total;
          this.ready = true;
          this.error = null;
        }
        this.revision++;
      },
      onError: (e) => {
        this.error = toErrorShape(e);
      },
    });
  }

  itemAt(index: number): ImageSummary | undefined {
    void this.revision;
    return this.cache.get(index);
  }

  /** Called by the grid with the rendered window. */
  ensure(start: number, end: number): void {
    this.lastWindow = [start, Math.max(end, start + 1)];
    this.cache.ensure(...this.lastWindow);
  }

  setQuery(query: Partial<GridQuery>): void {
    const next = { ...this.query, ...query };
    if ((Object.keys(next) as (keyof GridQuery)[]).every((key) => next[key] === this.query[key])) return;
    this.query = next;
    this.total = 0;
    this.ready = false;
    this.selectedIndex = 0;
    this.markAnchor = null;
    this.markGeneration++;
    this.scrollTop = 0;
    this.cache.reset();
    this.cache.ensure(0, 1);
  }

  /** The current filter as API input, shared by paging and the image view's previous/next. */
  filterInput(): GridFilterInput {
    const { status, search, similarityMin, similarityMax, disagreement, word } = this.query;
    return {
      ...(status ? { status } : {}),
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(similarityMin !== null ? { similarityMin } : {}),
      ...(similarityMax !== null ? { similarityMax } : {}),
      ...(disagreement ? { disagreement } : {}),
      ...(word ? { word } : {}),
    };
  }

  /** Marks the image at `index`, or unmarks it if it was marked. */
  toggleMark(index: number): void {
    const item = this.itemAt(index);
    if (!item) return;
    const next = new Set(this.marked);
    if (!next.delete(item.id)) {
      if (next.size >= MAX_RUN_IMAGES) return this.refuseMarks();
      next.add(item.id);
    }
    this.marked = next;
    this.markAnchor = index;
    this.markGeneration++; // a range still reading ids would undo this
  }

  /**
   * Marks every image from the last mark (else from `origin`, the focused image) to `index`, in
   * the current filter. Pages not loaded yet are read for their ids, so a range may span the
   * whole grid; a change of filter or project meanwhile drops the range rather than marking
   * images of another list.
   */
  async markRange(index: number, origin: number = this.selectedIndex): Promise<void> {
    const start = this.markAnchor ?? origin;
    const from = Math.min(start, index);
    const to = Math.max(start, index);
    if (to - from + 1 > MAX_RUN_IMAGES) return this.refuseMarks();
    const generation = ++this.markGeneration;
    const filter = this.filterInput();
    const loaded = (offset: number, limit: number) => {
      const ids = Array.from({ length: limit }, (_, i) => this.cache.get(offset + i)?.id);
      return ids.every((id) => id !== undefined) ? (ids as number[]) : null;
    };
    const ids: number[] = [];
    try {
      for await (const page of imageIdPages((offset, limit) => this.client.call('images:list', { offset, limit, ...filter }), from, to, loaded)) {
        if (generation !== this.markGeneration) return;
        ids.push(...page.ids);
      }
    } catch (e) {
      if (generation === this.markGeneration) this.error = toErrorShape(e);
      return;
    }
    const next = new Set([...this.marked, ...ids]);
    if (next.size > MAX_RUN_IMAGES) return this.refuseMarks();
    this.marked = next;
    this.markAnchor = index;
  }

  clearMarks(): void {
    this.marked = new Set();
    this.markAnchor = null;
    this.markGeneration++;
  }

  private refuseMarks(): void {
    this.error = { code: 'INVALID_INPUT', message: `At most ${formatCount(MAX_RUN_IMAGES)} images can be marked for one run; clear some marks, or run on the grid's filter or a split instead.` };
  }

  /** The marked images' ids, ascending (the order a run on them takes). */
  markedIds(): number[] {
    return [...this.marked].sort((a, b) => a - b);
  }

  /** Back to an unfiltered grid at the top, for a newly opened project. */
  reset(): void {
    this.clearMarks();
    this.query = ALL;
    this.total = 0;
    this.ready = false;
    this.selectedIndex = 0;
    this.scrollTop = 0;
    this.error = null;
    this.lastWindow = [0, 1];
    this.cache.reset();
  }

  /** Refetch what is visible without losing position, e.g. after imports or decisions. */
  refresh(): void {
    this.cache.refresh();
    this.cache.ensure(...this.lastWindow);
  }

  /** Reflects a decision in the cached summary straight away. */
  patch(summary: ImageSummary): void {
    this.cache.update(
      (item) => item.id === summary.id,
      (item) => ({ ...item, status: summary.status, caption: summary.caption }),
    );
  }

  /** Selects the cached item with this id, if it is loaded; returns whether it was. */
  selectById(id: number): boolean {
    const index = this.cache.findIndex((item) => item.id === id);
    if (index >= 0) this.selectedIndex = index;
    return index >= 0;
  }
}

export const GRID_STATE = new InjectionToken<GridState>('GridState');
