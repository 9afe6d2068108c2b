/**
 * The words of a caption as the vocabulary audit compares them: lower-cased runs of letters
 * (an apostrophe inside a word kept), without the function words every caption shares, so what
 * is left names things, attributes and places ("lemur", "violet", "corner").
 */
const STOP_WORDS = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'of', 'on', 'in', 'at', 'to', 'with', 'by', 'for', 'from', 'as', 'into', 'onto',
  'is', 'are', 'be', 'was', 'were', 'been', 'being', 'has', 'have', 'had', 'there', "there's", 'here', 'it', "it's", 'its',
  'this', 'that', 'these', 'those', 'also', 'which', 'who', 'while', 'very', 'just', 'than', 'then',
]);

const WORD = /[a-z]+(?:'[a-z]+)?/g;

/** The distinct content words of `text`, in order of first use. */
export function contentWords(text: string): string[] {
  const seen = new Set<string>();
  for (const [word] of text.toLowerCase().matchAll(WORD)) if (!STOP_WORDS.has(word)) seen.add(word);
  return [...seen];
}
