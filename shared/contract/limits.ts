/**
 * Size limits on what a project stores, the same at import and in the API (issue 16: a 1 MB
 * caption made ROUGE-L, which is quadratic in caption length, run for hours; an image with 300,000
 * references made `images:get` return 19.5 MB). Entries over a limit are refused and reported by
 * the import, never cut silently. Documented for users in docs/limits.md.
 */

/** The longest caption (reference, edited caption, metrics input), in UTF-16 code units as JavaScript counts them. */
export const MAX_CAPTION_CHARS = 10_000;

/** Reference captions kept per image; COCO has 5–7. Further ones are reported by the import and not stored. */
export const MAX_REFERENCES_PER_IMAGE = 100;

/** `images:get` returns at most this many of an image's references (older projects may hold more); `referenceCount` says how many there are. */
export const MAX_REFERENCES_RETURNED = MAX_REFERENCES_PER_IMAGE;
