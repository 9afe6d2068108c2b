/** Images per `images:list` page of the grid. */
export const GRID_PAGE_SIZE = 200;

/** The grid's first request when it opens unfiltered; sent early at start (see main.ts). */
export const FIRST_GRID_PAGE = { offset: 0, limit: GRID_PAGE_SIZE } as const;
