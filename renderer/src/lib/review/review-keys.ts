/** What a key press means in the review view, kept pure so the map is testable and documented once. */
import type { KeyLike } from '../image/image-keys.js';

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

/** `editing` is true while focus is in a text field, where plain keys must type text. */
export function reviewKey(e: KeyLike & { shiftKey?: boolean; code?: string }, editing: boolean): ReviewKeyAction | null {
  if (editing) {
    // Captions are one line: Enter saves (Shift+Enter too, rather than a stray line break).
    if (e.key === 'Enter' && !e.altKey) return { kind: 'save' };
    if (e.key === 'Escape') return { kind: 'cancel-edit' };
    return null;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  // A typed digit picks, with or without Shift (AZERTY types digits with Shift). Shift on a digit
  // key that types something else ("!", "+", …) accepts a reference — except "?", which is help.
  if (/^[1-9]$/.test(e.key)) return { kind: 'pick', index: Number(e.key) - 1 };
  const digit = /^Digit([1-9])$/.exec(e.code ?? '');
  if (e.shiftKey && digit && e.key !== '?') return { kind: 'accept-reference', index: Number(digit[1]) - 1 };
  switch (e.key) {
    case 'Enter':
      return { kind: 'accept' };
    case 'e':
      return { kind: 'edit' };
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
    case 'v':
      return { kind: 'compare' };
    case 'c':
      return { kind: 'compare-mode' };
    case '[':
      return { kind: 'slide', by: -10 };
    case ']':
      return { kind: 'slide', by: 10 };
    case 'n':
      return { kind: 'note' };
    case '?':
      return { kind: 'help' };
    case 'Escape':
      return { kind: 'escape' };
    default:
      return null;
  }
}

/** Shown in the shortcuts overlay; keep in step with reviewKey above. */
export const REVIEW_SHORTCUTS: readonly [keys: string, what: string][] = [
  ['1 – 9', 'Pick candidate N (ranked by reconstruction similarity)'],
  ['Enter', 'Accept the picked candidate and go to the next image'],
  ['Shift + 1 – 9', 'Accept human reference N instead'],
  ['e', 'Edit the caption; Enter saves, Esc cancels'],
  ['r', 'Reject the image'],
  ['s', 'Skip the image'],
  ['z', 'Undo your last decision (goes back to its image)'],
  ['← / →', 'Previous / next image in the queue'],
  ['v', 'Enlarge the picked reconstruction beside the source'],
  ['c', 'Compare side by side or with a slider'],
  ['[ / ]', 'Move the slider: less / more of the source'],
  ['Esc', 'Close the comparison; again to return to the grid'],
  ['n', 'Write a note or tags on the image (Ctrl+Enter saves, Esc goes back)'],
  ['?', 'Show or hide these shortcuts'],
];
