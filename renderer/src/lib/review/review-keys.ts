/** The review view's keys: one table drives both its keydown handler and its shortcuts overlay. */
import { ONE_TO_NINE, resolveKey, type KeyLike, type KeyTable } from '../keys/key-table.js';

export type ReviewKeyAction =
  | { kind: 'pick'; index: number }
  | { kind: 'accept-reference'; index: number }
  | { kind: 'accept' }
  | { kind: 'edit' }
  | { kind: 'save' }
  | { kind: 'cancel-edit' }
  | { kind: 'reject' }
  | { kind: 'skip' }
  | { kind: 'undo' }
  | { kind: 'previous' }
  | { kind: 'next' }
  | { kind: 'compare' }
  | { kind: 'compare-mode' }
  | { kind: 'slide'; by: number }
  | { kind: 'note' }
  | { kind: 'help' }
  | { kind: 'escape' };

export const REVIEW_KEYS: KeyTable<ReviewKeyAction> = [
  {
    keys: '1 – 9',
    description: 'Pick candidate N (ranked by reconstruction similarity)',
    // A typed digit picks, with or without Shift (AZERTY types digits with Shift).
    presses: ONE_TO_NINE.map((n) => ({ scope: 'view', key: String(n), action: { kind: 'pick', index: n - 1 } })),
  },
  { keys: 'Enter', description: 'Accept the picked candidate and go to the next image', presses: [{ scope: 'view', key: 'Enter', action: { kind: 'accept' } }] },
  {
    keys: 'Shift + 1 – 9',
    description: 'Accept human reference N instead',
    // By where the key sits: Shift and a digit key types "!", "\"", "+", … depending on the layout.
    presses: ONE_TO_NINE.map((n) => ({ scope: 'view', code: `Digit${n}`, shift: true, action: { kind: 'accept-reference', index: n - 1 } })),
  },
  {
    keys: 'e',
    description: 'Edit the caption; Enter saves, Esc cancels',
    presses: [
      { scope: 'view', key: 'e', action: { kind: 'edit' } },
      // Captions are one line: Enter saves (Shift+Enter too, rather than a stray line break).
      { scope: 'editor', key: 'Enter', modifiers: 'no-alt', action: { kind: 'save' } },
      { scope: 'editor', key: 'Escape', modifiers: 'any', action: { kind: 'cancel-edit' } },
    ],
  },
  { keys: 'r', description: 'Reject the image', presses: [{ scope: 'view', key: 'r', action: { kind: 'reject' } }] },
  { keys: 's', description: 'Skip the image', presses: [{ scope: 'view', key: 's', action: { kind: 'skip' } }] },
  { keys: 'z', description: 'Undo your last decision (goes back to its image)', presses: [{ scope: 'view', key: 'z', action: { kind: 'undo' } }] },
  {
    keys: '← / →',
    description: 'Previous / next image in the queue',
    presses: [
      { scope: 'view', key: 'ArrowLeft', action: { kind: 'previous' } },
      { scope: 'view', key: 'ArrowRight', action: { kind: 'next' } },
    ],
  },
  { keys: 'v', description: 'Enlarge the picked reconstruction beside the source', presses: [{ scope: 'view', key: 'v', action: { kind: 'compare' } }] },
  { keys: 'c', description: 'Compare side by side or with a slider', presses: [{ scope: 'view', key: 'c', action: { kind: 'compare-mode' } }] },
  {
    keys: '[ / ]',
    description: 'Move the slider: less / more of the source',
    presses: [
      { scope: 'view', key: '[', action: { kind: 'slide', by: -10 } },
      { scope: 'view', key: ']', action: { kind: 'slide', by: 10 } },
    ],
  },
  { keys: 'Esc', description: 'Close the comparison; again to return to the grid', presses: [{ scope: 'view', key: 'Escape', action: { kind: 'escape' } }] },
  {
    keys: 'n',
    description: 'Write a note or tags on the image (Ctrl+Enter saves, Esc goes back)',
    presses: [{ scope: 'view', key: 'n', action: { kind: 'note' } }],
  },
  { keys: '?', description: 'Show or hide these shortcuts', presses: [{ scope: 'view', key: '?', action: { kind: 'help' } }] },
];

/** `editing` is true while focus is in a text field, where plain keys must type text. */
export function reviewKey(e: KeyLike, editing: boolean): ReviewKeyAction | null {
  return resolveKey(REVIEW_KEYS, e, editing ? 'editor' : 'view');
}
