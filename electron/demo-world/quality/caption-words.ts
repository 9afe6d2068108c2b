/**
 * Caption text as tools/demo-world/evaluate.py compares it: lowercase words of the Hugging Face
 * "Whitespace" pre-tokenizer (`\w+|[^\w\s]+`), punctuation dropped. Used for the baseline's
 * "most frequent training caption", for prompt selection and for the evaluate.py-style CIDEr-D.
 */

const WORD = /[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]+/gu;

/** evaluate.py's `tok`: words of the lowercased text whose first character is a letter or digit. */
export function captionWords(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).filter((w) => /^[\p{L}\p{N}]/u.test(w));
}

/** The caption as one normalised string (`" ".join(tok(c))`), for counting and set membership. */
export function normalisedCaption(text: string): string {
  return captionWords(text).join(' ');
}
