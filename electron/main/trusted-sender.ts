/**
 * Which IPC senders may call the API: only the top frame of a page we loaded ourselves. Kept
 * free of Electron imports so it is tested under plain Node (Electron cannot run here).
 */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
}

export function isTrustedSender(frame: FrameLike | null | undefined, appUrl: string): boolean {
  if (!frame || frame.parent !== null) return false;
  // Compare without query and fragment: the app may use either for its own routing.
  const strip = (u: string) => u.split(/[?#]/, 1)[0];
  return strip(frame.url) === strip(appUrl);
}
