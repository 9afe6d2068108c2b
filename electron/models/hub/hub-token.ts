/**
 * The Hugging Face access token, found where huggingface_hub looks for it (MODELS.md appendix §6;
 * huggingface_hub `utils/_auth.py` `get_token`): the `HF_TOKEN` environment variable, else the
 * legacy `HUGGING_FACE_HUB_TOKEN`, else the plain-text file at `HF_TOKEN_PATH`, default
 * `$HF_HOME/token` (what `huggingface-cli login` writes).
 *
 * The value is wrapped so that printing, logging or serialising the wrapper never shows it: a
 * token must not reach logs, error messages, manifests or a project database. Only the hub
 * client reads it, to build the Authorization header.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { inspect } from 'node:util';
import { join } from 'node:path';
import { expandHome, hfHome } from './hf-paths.js';

export class HubToken {
  readonly #value: string;

  /** `source` says where the token came from (a variable name or a file path), never the token. */
  constructor(
    value: string,
    readonly source: string,
  ) {
    this.#value = value;
  }

  /** The secret itself: for the Authorization header, nothing else. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return `[hub token from ${this.source}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** huggingface_hub `_clean_token`: newlines and surrounding blanks go; an empty token is none. */
function clean(raw: string | undefined): string | undefined {
  const token = raw?.replace(/[\r\n]/g, '').trim();
  return token ? token : undefined;
}

export type ReadText = (path: string) => string;

/**
 * A token goes into an HTTP header: printable ASCII without blanks (hub tokens are `hf_` and
 * letters and digits). Anything else makes fetch throw an error that quotes the header, token
 * and all, so it is refused here by where it came from, never by its value.
 */
function checked(token: string, source: string): HubToken {
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new Error(`${source}: the Hugging Face token there has characters a token cannot have (blanks, control or non-ASCII characters); set it again`);
  }
  return new HubToken(token, source);
}

/**
 * The token to send to the hub, or `undefined` when none is configured. A token file that exists
 * but cannot be read is an error naming the file (a silently missing token would surface later as
 * a confusing "gated repo" refusal).
 */
export function readHubToken(env: NodeJS.ProcessEnv = process.env, home = homedir(), readText: ReadText = (p) => readFileSync(p, 'utf8')): HubToken | undefined {
  for (const name of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN']) {
    const token = clean(env[name]);
    if (token) return checked(token, name);
  }
  const path = env.HF_TOKEN_PATH ? expandHome(env.HF_TOKEN_PATH, home) : join(hfHome(env, home), 'token');
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new Error(`${path}: cannot read the Hugging Face token file (${code ?? (error as Error).message}); fix its permissions, or set HF_TOKEN instead`);
  }
  const token = clean(text);
  return token ? checked(token, path) : undefined;
}
