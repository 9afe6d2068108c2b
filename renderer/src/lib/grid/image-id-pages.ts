/**
 * The ids of the images a grid filter lists, read a page at a time (the API's limit per request):
 * for a run on the filter, or a Shift range of marks across pages the grid has not loaded.
 */
import type { MethodOutput } from '../../../../shared/contract/api.js';

/** images:list with the filter already applied. */
export type ListImages = (offset: number, limit: number) => Promise<MethodOutput<'images:list'>>;

/** images:list's largest page. */
const PAGE = 1000;

/**
 * Pages of ids from `from` to `to` (inclusive; the end of the list when left out). `known` may
 * answer a page without a request (ids the grid has loaded); `total` is the filter's size when
 * the page was read from the API, else null.
 */
export async function* imageIdPages(
  list: ListImages,
  from: number,
  to?: number,
  known: (offset: number, limit: number) => number[] | null = () => null,
): AsyncGenerator<{ ids: number[]; total: number | null }> {
  for (let offset = from; to === undefined || offset <= to; offset += PAGE) {
    const limit = to === undefined ? PAGE : Math.min(PAGE, to - offset + 1);
    const ids = known(offset, limit);
    if (ids) {
      yield { ids, total: null };
      continue;
    }
    const page = await list(offset, limit);
    yield { ids: page.items.map((i) => i.id), total: page.total };
    if (offset + limit >= page.total) return;
  }
}
