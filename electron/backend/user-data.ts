import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Roundtrip keeps its own files when the user names none: `$ROUNDTRIP_HOME`, else
 * `$XDG_DATA_HOME/roundtrip`, else `~/.local/share/roundtrip`.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ROUNDTRIP_HOME) return env.ROUNDTRIP_HOME;
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'roundtrip');
}

/** The project opened when none is named (what `npm start` shows on first run). */
export function defaultProjectDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userDataDir(env), 'default-project');
}
