/**
 * Where huggingface_hub keeps its files (MODELS.md appendix §6; huggingface_hub `constants.py`):
 * `HF_HOME` defaults to `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`; the hub cache
 * is `HF_HUB_CACHE`, else the legacy `HUGGINGFACE_HUB_CACHE`, else `$HF_HOME/hub`. A leading `~`
 * is expanded as Python's `expanduser` does.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function expandHome(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

export function hfHome(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.HF_HOME) return expandHome(env.HF_HOME, home);
  const cache = env.XDG_CACHE_HOME ? expandHome(env.XDG_CACHE_HOME, home) : join(home, '.cache');
  return join(cache, 'huggingface');
}

export function hubCacheDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const explicit = env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE;
  return explicit ? expandHome(explicit, home) : join(hfHome(env, home), 'hub');
}

/** `org/name` → `models--org--name` (huggingface_hub `repo_folder_name`). */
export function repoCacheFolderName(repo: string): string {
  return ['models', ...repo.split('/')].join('--');
}
