/** Tags as typed in the note editor: separated by commas, trimmed, once each regardless of case, first spelling kept. */
export function parseTags(text: string): string[] {
  const seen = new Map<string, string>();
  for (const raw of text.split(/[,\n]/)) {
    const tag = raw.trim().slice(0, 60);
    if (tag && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  return [...seen.values()];
}
