/**
 * Which links leave the app for the system browser. Nothing opens inside the app (the window
 * open handler denies every window); a link opens externally only if it is https to a host the
 * renderer actually links to. Anything else is refused with a log line: shell.openExternal hands
 * a URL to the OS, which would run any registered protocol handler (file:, smb:, ms-msdt:...).
 */

/**
 * Hosts the renderer links to. Empty today: the renderer has no external link (the models view
 * names the Hugging Face hub in text only). external-links.test.ts keeps this list equal to the
 * https hosts written in renderer/ sources, so a new link needs its host here and a removed one
 * takes its host away.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [];

/** The URL to open in the system browser, or null to refuse it. */
export function externalLinkToOpen(url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return null;
  return hosts.includes(parsed.hostname) ? parsed.href : null;
}
