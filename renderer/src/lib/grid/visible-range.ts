/** Window math for the virtualized grid: which rows exist on screen, given fixed-size cells. */

export interface GridMetrics {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  columns: number;
  total: number;
  /** Extra rows rendered above and below so fast scrolling does not show blanks. */
  overscanRows: number;
}

export interface VisibleRange {
  /** First rendered row, inclusive. */
  firstRow: number;
  /** Last rendered row, exclusive. */
  endRow: number;
  /** First rendered item index, inclusive. */
  startIndex: number;
  /** Last rendered item index, exclusive (never past total). */
  endIndex: number;
  /** Pixel offset of firstRow from the top of the spacer. */
  offsetY: number;
  /** Height of the spacer that stands in for every row. */
  totalHeight: number;
}

export function visibleRange(m: GridMetrics): VisibleRange {
  const columns = Math.max(1, Math.floor(m.columns));
  const rowCount = Math.ceil(Math.max(0, m.total) / columns);
  const totalHeight = rowCount * m.rowHeight;
  if (rowCount === 0 || m.rowHeight <= 0) {
    return { firstRow: 0, endRow: 0, startIndex: 0, endIndex: 0, offsetY: 0, totalHeight };
  }
  const scrollTop = Math.min(Math.max(0, m.scrollTop), Math.max(0, totalHeight - m.viewportHeight));
  const firstVisible = Math.floor(scrollTop / m.rowHeight);
  const lastVisible = Math.ceil((scrollTop + Math.max(0, m.viewportHeight)) / m.rowHeight);
  const firstRow = Math.max(0, firstVisible - m.overscanRows);
  const endRow = Math.min(rowCount, Math.max(lastVisible, firstVisible + 1) + m.overscanRows);
  return {
    firstRow,
    endRow,
    startIndex: firstRow * columns,
    endIndex: Math.min(m.total, endRow * columns),
    offsetY: firstRow * m.rowHeight,
    totalHeight,
  };
}

/** How many cells of at least `minCellWidth` fit across `width`, separated by `gap`. */
export function columnsFor(width: number, minCellWidth: number, gap: number): number {
  if (width <= 0) return 1;
  return Math.max(1, Math.floor((width + gap) / (minCellWidth + gap)));
}

/** The scrollTop that brings `index` fully into view, or null if it already is. */
export function scrollToReveal(
  index: number,
  columns: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
): number | null {
  const top = Math.floor(index / Math.max(1, columns)) * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight;
  return null;
}
