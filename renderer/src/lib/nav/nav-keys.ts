/**
 * Keyboard navigation between views: `g` then a view's letter (g g grid, g r review, g a audit,
 * g j jobs, g m models), as in mail and code-hosting apps. A two-key sequence leaves every single
 * key to the views themselves (the review view uses digits and most letters), and `g` is used by
 * none of them. Ignored while typing in a field or with a modifier held.
 */
export type ViewName = 'grid' | 'review' | 'audit' | 'jobs' | 'models';

export interface ViewEntry {
  name: ViewName;
  label: string;
  /** The letter after `g`. */
  key: string;
}

export const VIEWS: readonly ViewEntry[] = [
  { name: 'grid', label: 'Grid', key: 'g' },
  { name: 'review', label: 'Review', key: 'r' },
  { name: 'audit', label: 'Audit', key: 'a' },
  { name: 'jobs', label: 'Jobs', key: 'j' },
  { name: 'models', label: 'Models', key: 'm' },
];

/** How long after `g` the view's letter counts. */
export const SEQUENCE_MS = 1500;

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Whether the key went to a text field, select or editable element. */
  editable: boolean;
}

export type NavKeyResult = { kind: 'prefix' } | { kind: 'go'; view: ViewName } | { kind: 'none' };

/** What a key does, given when `g` was last pressed (null: not pending). */
export function navKey(event: KeyLike, prefixAt: number | null, now: number): NavKeyResult {
  if (event.editable || event.ctrlKey || event.metaKey || event.altKey) return { kind: 'none' };
  if (prefixAt !== null && now - prefixAt <= SEQUENCE_MS) {
    const view = VIEWS.find((v) => v.key === event.key.toLowerCase());
    if (view) return { kind: 'go', view: view.name };
    return { kind: 'none' };
  }
  return event.key === 'g' ? { kind: 'prefix' } : { kind: 'none' };
}

export function isEditable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}
