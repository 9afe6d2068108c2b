/** One page of a paged API list at a time (offset + limit), with the reply's other fields (run, note) kept beside it. */
import type { ApiErrorShape } from '../../../../shared/contract/errors.js';
import { toErrorShape } from '../api/to-error.js';

export interface PageReply<T> {
  total: number;
  items: T[];
}

export class PagedList<T, R extends PageReply<T> = PageReply<T>> {
  reply = $state.raw<R | null>(null);
  offset = $state(0);
  loading = $state(false);
  error = $state.raw<ApiErrorShape | null>(null);
  private seq = 0;

  constructor(
    private readonly fetchPage: (offset: number, limit: number) => Promise<R>,
    readonly limit = 50,
  ) {}

  get items(): T[] {
    return this.reply?.items ?? [];
  }

  get total(): number {
    return this.reply?.total ?? 0;
  }

  get hasPrevious(): boolean {
    return this.offset > 0;
  }

  get hasNext(): boolean {
    return this.offset + this.limit < this.total;
  }

  /** Loads the page at `offset` (default: the first); a slower earlier request never overwrites a later one. */
  async load(offset = 0): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    this.error = null;
    try {
      const reply = await this.fetchPage(offset, this.limit);
      if (seq !== this.seq) return;
      this.reply = reply;
      this.offset = offset;
    } catch (e) {
      if (seq === this.seq) this.error = toErrorShape(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  next(): Promise<void> {
    return this.load(this.offset + this.limit);
  }

  previous(): Promise<void> {
    return this.load(Math.max(0, this.offset - this.limit));
  }

  clear(): void {
    this.seq++;
    this.reply = null;
    this.offset = 0;
    this.loading = false;
    this.error = null;
  }
}
