import type { CliBackend } from './backend-client.js';
import type { CliIo } from './cli-io.js';

export interface CommandContext {
  positionals: string[];
  /** Parsed options; a repeatable one (`--dtype`) is a list. */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  client: CliBackend;
  io: CliIo;
  /** Resolves when the process should shut down (Ctrl+C); used by long-running commands. */
  stopSignal: Promise<void>;
}
