/** What a key press means in the image view, kept pure so the map is testable and documented once. */

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

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** `editing` is true while focus is in a text field, where plain keys must type text. */
export function imageKey(e: KeyLike, editing: boolean): ImageKeyAction | null {
  if (editing) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) return { kind: 'save' };
    if (e.key === 'Escape') return { kind: 'blur-editor' };
    return null;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (/^[1-9]$/.test(e.key)) return { kind: 'accept', referenceIndex: Number(e.key) - 1 };
  switch (e.key) {
    case 'e':
      return { kind: 'focus-editor' };
    case 'r':
      return { kind: 'reject' };
    case 's':
      return { kind: 'skip' };
    case 'z':
      return { kind: 'undo' };
    case 'ArrowLeft':
      return { kind: 'previous' };
    case 'ArrowRight':
      return { kind: 'next' };
    case '?':
      return { kind: 'help' };
    case 'Escape':
      return { kind: 'back' };
    default:
      return null;
  }
}

/** Shown in the shortcuts overlay; keep in step with imageKey above. */
export const IMAGE_SHORTCUTS: readonly [keys: string, what: string][] = [
  ['1 – 9', 'Accept reference N'],
  ['e', 'Edit the caption'],
  ['Ctrl/⌘ + Enter', 'Save the edited caption'],
  ['Esc', 'Leave the editor; again to return to the grid'],
  ['r', 'Reject the image'],
  ['s', 'Skip the image'],
  ['z', 'Undo the last decision'],
  ['← / →', 'Previous / next image'],
  ['?', 'Show or hide these shortcuts'],
];
