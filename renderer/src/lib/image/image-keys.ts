/** The image view's keys: one table drives both its keydown handler and its shortcuts overlay. */
import { ONE_TO_NINE, resolveKey, type KeyLike, type KeyTable } from '../keys/key-table.js';

export type ImageKeyAction =
  | { kind: 'accept'; referenceIndex: number }
  | { kind: 'focus-editor' }
  | { kind: 'reject' }
  | { kind: 'skip' }
  | { kind: 'undo' }
  | { kind: 'previous' }
  | { kind: 'next' }
  | { kind: 'help' }
  | { kind: 'back' }
  | { kind: 'save' }
  | { kind: 'blur-editor' };

export const IMAGE_KEYS: KeyTable<ImageKeyAction> = [
  {
    keys: '1 – 9',
    description: 'Accept reference N',
    presses: ONE_TO_NINE.map((n) => ({ scope: 'view', key: String(n), action: { kind: 'accept', referenceIndex: n - 1 } })),
  },
  { keys: 'e', description: 'Edit the caption', presses: [{ scope: 'view', key: 'e', action: { kind: 'focus-editor' } }] },
  {
    keys: 'Ctrl/⌘ + Enter',
    description: 'Save the edited caption',
    // Plain Enter is left to the text field.
    presses: [{ scope: 'editor', key: 'Enter', modifiers: 'ctrl-or-meta', action: { kind: 'save' } }],
  },
  {
    keys: 'Esc',
    description: 'Leave the editor; again to return to the grid',
    presses: [
      { scope: 'editor', key: 'Escape', modifiers: 'any', action: { kind: 'blur-editor' } },
      { scope: 'view', key: 'Escape', action: { kind: 'back' } },
    ],
  },
  { keys: 'r', description: 'Reject the image', presses: [{ scope: 'view', key: 'r', action: { kind: 'reject' } }] },
  { keys: 's', description: 'Skip the image', presses: [{ scope: 'view', key: 's', action: { kind: 'skip' } }] },
  { keys: 'z', description: 'Undo the last decision', presses: [{ scope: 'view', key: 'z', action: { kind: 'undo' } }] },
  {
    keys: '← / →',
    description: 'Previous / next image',
    presses: [
      { scope: 'view', key: 'ArrowLeft', action: { kind: 'previous' } },
      { scope: 'view', key: 'ArrowRight', action: { kind: 'next' } },
    ],
  },
  { keys: '?', description: 'Show or hide these shortcuts', presses: [{ scope: 'view', key: '?', action: { kind: 'help' } }] },
];

/** `editing` is true while focus is in a text field, where plain keys must type text. */
export function imageKey(e: KeyLike, editing: boolean): ImageKeyAction | null {
  return resolveKey(IMAGE_KEYS, e, editing ? 'editor' : 'view');
}
