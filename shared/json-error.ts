/**
 * JSON.parse's message without the excerpt of the text that V8 quotes in it (`Unexpected token 'r',
 * "root:*:202"... is not valid JSON`): errors name the file and the problem, they do not echo the
 * file's contents to whoever asked to read it.
 */
export function jsonErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
}
