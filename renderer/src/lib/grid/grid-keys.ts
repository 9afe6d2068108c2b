/** The grid's keys: one table for its keydown handler and its shortcuts overlay, and where a move lands. */
import { resolveKey, type KeyTable } from '../keys/key-table.js';

export type GridMove = 'left' | 'right' | 'up' | 'down' | 'page-up' | 'page-down' | 'first' | 'last';

export type GridKeyAction =
  | { kind: 'move'; to: GridMove }
  | { kind: 'open' }
  | { kind: 'mark' }
  | { kind: 'mark-range' }
  | { kind: 'clear-marks' }
  | { kind: 'help' };

const move = (key: string, to: GridMove) => ({ scope: 'view', key, action: { kind: 'move', to } }) as const;

export const GRID_KEYS: KeyTable<GridKeyAction> = [
  { keys: '← → ↑ ↓', description: 'Move between images', presses: [move('ArrowLeft', 'left'), move('ArrowRight', 'right'), move('ArrowUp', 'up'), move('ArrowDown', 'down')] },
  { keys: 'Page Up / Page Down', description: 'Move a screenful up / down', presses: [move('PageUp', 'page-up'), move('PageDown', 'page-down')] },
  { keys: 'Home / End', description: 'First / last image', presses: [move('Home', 'first'), move('End', 'last')] },
  { keys: 'Enter', description: 'Open the image', presses: [{ scope: 'view', key: 'Enter', action: { kind: 'open' } }] },
  // Marks choose the images a run starts on.
  { keys: 'Space', description: 'Mark or unmark the image for a run', presses: [{ scope: 'view', key: ' ', shift: false, action: { kind: 'mark' } }] },
  { keys: 'Shift + Space', description: 'Mark every image up to this one', presses: [{ scope: 'view', key: ' ', shift: true, action: { kind: 'mark-range' } }] },
  { keys: 'Esc', description: 'Clear the marks', presses: [{ scope: 'view', key: 'Escape', action: { kind: 'clear-marks' } }] },
  { keys: '?', description: 'Show or hide these shortcuts', presses: [{ scope: 'view', key: '?', action: { kind: 'help' } }] },
];

/** Where a move from `index` lands, or null in an empty grid. */
function gridTarget(to: GridMove, index: number, columns: number, total: number, rowsPerPage: number): number | null {
  if (total <= 0) return null;
  const cols = Math.max(1, columns);
  const clamp = (i: number) => Math.min(total - 1, Math.max(0, i));
  const current = clamp(index);
  switch (to) {
    case 'right':
      return clamp(current + 1);
    case 'left':
      return clamp(current - 1);
    case 'down':
      // On the last row, stay put rather than jumping to the last item of a shorter row.
      return current + cols < total ? current + cols : current;
    case 'up':
      return current - cols >= 0 ? current - cols : current;
    case 'page-down':
      return clamp(current + cols * Math.max(1, rowsPerPage));
    case 'page-up':
      return clamp(current - cols * Math.max(1, rowsPerPage));
    case 'first':
      return 0;
    case 'last':
      return total - 1;
  }
}

export type GridKeyResult = { kind: 'move'; index: number } | { kind: 'open'; index: number } | null;

/** What a plain key does to the focus in a grid: moves it, opens the image, or nothing. */
export function gridKey(key: string, index: number, columns: number, total: number, rowsPerPage: number): GridKeyResult {
  const action = resolveKey(GRID_KEYS, { key, ctrlKey: false, metaKey: false, altKey: false }, 'view');
  return action ? gridFocus(action, index, columns, total, rowsPerPage) : null;
}

/** What a resolved action does to the focus: where a move lands, which image opens, or nothing (other actions, an empty grid). */
export function gridFocus(action: GridKeyAction, index: number, columns: number, total: number, rowsPerPage: number): GridKeyResult {
  if (total <= 0) return null;
  if (action.kind === 'open') return { kind: 'open', index: Math.min(total - 1, Math.max(0, index)) };
  if (action.kind !== 'move') return null;
  const to = gridTarget(action.to, index, columns, total, rowsPerPage);
  return to === null ? null : { kind: 'move', index: to };
}
