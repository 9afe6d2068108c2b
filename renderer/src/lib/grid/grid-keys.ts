/** Keyboard movement through the grid, as a pure function so it can be tested without a DOM. */

export type GridKeyResult = { kind: 'move'; index: number } | { kind: 'open'; index: number } | null;

export function gridKey(key: string, index: number, columns: number, total: number, rowsPerPage: number): GridKeyResult {
  if (total <= 0) return null;
  const cols = Math.max(1, columns);
  const clamp = (i: number) => Math.min(total - 1, Math.max(0, i));
  const current = clamp(index);
  switch (key) {
    case 'ArrowRight':
      return { kind: 'move', index: clamp(current + 1) };
    case 'ArrowLeft':
      return { kind: 'move', index: clamp(current - 1) };
    case 'ArrowDown':
      // On the last row, stay put rather than jumping to the last item of a shorter row.
      return { kind: 'move', index: current + cols < total ? current + cols : current };
    case 'ArrowUp':
      return { kind: 'move', index: current - cols >= 0 ? current - cols : current };
    case 'PageDown':
      return { kind: 'move', index: clamp(current + cols * Math.max(1, rowsPerPage)) };
    case 'PageUp':
      return { kind: 'move', index: clamp(current - cols * Math.max(1, rowsPerPage)) };
    case 'Home':
      return { kind: 'move', index: 0 };
    case 'End':
      return { kind: 'move', index: total - 1 };
    case 'Enter':
      return { kind: 'open', index: current };
    default:
      return null;
  }
}
