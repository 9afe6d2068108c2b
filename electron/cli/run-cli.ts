/**
 * `roundtrip` command line: parses arguments, runs one command against a headless backend,
 * and turns failures into one line and a non-zero exit code.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { appVersion } from '../backend/app-version.js';
import { CliBackend } from './backend-client.js';
import { CliFailure, type CliIo } from './cli-io.js';
import type { CommandContext } from './command.js';
import { demoDataCommand } from './commands/demo-data.js';
import { demoCommand } from './commands/demo.js';
import { EVAL_OPTIONS, EVAL_USAGE, evalCommand } from './commands/eval.js';
import { EXPORT_OPTIONS, EXPORT_USAGE, exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { metricsCommand } from './commands/metrics.js';
import { modelsCommand } from './commands/models.js';
import { serveCommand } from './commands/serve.js';
import { CLI_RUN_KINDS } from './commands/cli-run-kinds.js';
import { runKindCommand } from './commands/run-kind-command.js';

interface CommandSpec {
  usage: string;
  /** Number of required positional arguments. */
  positionals: number;
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  run: (ctx: CommandContext) => Promise<void>;
}

const COMMANDS: Record<string, CommandSpec> = {
  init: { usage: 'init DIR [--name NAME]', positionals: 1, options: { name: { type: 'string' } }, run: initCommand },
  import: {
    usage: 'import DIR (--folder IMGDIR | --coco FILE --images IMGDIR)',
    positionals: 1,
    options: { folder: { type: 'string' }, coco: { type: 'string' }, images: { type: 'string' } },
    run: importCommand,
  },
  export: { usage: EXPORT_USAGE, positionals: 1, options: EXPORT_OPTIONS, run: exportCommand },
  metrics: {
    usage: 'metrics --refs FILE --results FILE [--per-image] [--json]',
    positionals: 0,
    options: { refs: { type: 'string' }, results: { type: 'string' }, 'per-image': { type: 'boolean' }, json: { type: 'boolean' } },
    run: metricsCommand,
  },
  demo: {
    usage: 'demo DIR [--split train|val|test] [--count N] [--seed S]   (a new project with demo-world images; default: 200 test images)',
    positionals: 1,
    options: { split: { type: 'string' }, count: { type: 'string' }, seed: { type: 'string' } },
    run: demoCommand,
  },
  'demo-data': {
    usage: 'demo-data OUTDIR [--split train|val|test|all] [--count N] [--seed S]   (the demo world for training)',
    positionals: 1,
    options: { split: { type: 'string' }, count: { type: 'string' }, seed: { type: 'string' } },
    run: demoDataCommand,
  },
  serve: {
    usage: 'serve [DIR] [--port N] [--create]   (no DIR: your default project)',
    positionals: 0,
    options: { port: { type: 'string' }, create: { type: 'boolean' } },
    run: serveCommand,
  },
  // suggest, verify-images, audit-references: one command, parameterised by run kind.
  ...Object.fromEntries(CLI_RUN_KINDS.map((cli): [string, CommandSpec] => [cli.command, { usage: cli.usage, positionals: 1, options: cli.options, run: runKindCommand(cli) }])),
  eval: { usage: EVAL_USAGE, positionals: 1, options: EVAL_OPTIONS, run: evalCommand },
  models: {
    usage: 'models list [--json] | verify [ID] [--quick] | pull ORG/NAME [--revision R] [--family F] [--dtype D]',
    positionals: 1,
    options: { json: { type: 'boolean' }, quick: { type: 'boolean' }, revision: { type: 'string' }, family: { type: 'string' }, dtype: { type: 'string' } },
    run: modelsCommand,
  },
};

const COMMON_OPTIONS = { user: { type: 'string' } } as const;

export function usage(): string {
  return [
    `roundtrip ${appVersion()} — image–caption datasets with captions verified by reconstruction`,
    '',
    'Usage:',
    ...Object.values(COMMANDS).map((c) => `  roundtrip ${c.usage}`),
    '',
    'Every command accepts --user NAME (recorded with decisions; default: your login name).',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo, stopSignal: Promise<void> = new Promise(() => {})): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(usage());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(appVersion());
    return 0;
  }
  const spec = COMMANDS[name];
  if (!spec) {
    io.err(`roundtrip: unknown command "${name}". Run \`roundtrip help\` for the list.`);
    return 2;
  }
  let client: CliBackend | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...spec.options, ...COMMON_OPTIONS },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length < spec.positionals) throw new CliFailure(`usage: roundtrip ${spec.usage}`, 2);
    client = new CliBackend(io, (values.user as string | undefined) ?? safeUserName());
    await spec.run({ positionals, values, client, io, stopSignal });
    return 0;
  } catch (error) {
    const failure = error instanceof CliFailure;
    // A usage failure (exit 2) is written for the user whole (a usage and its notes); any other error shows its first line.
    const whole = failure && (error as CliFailure).exitCode === 2;
    const message = whole ? (error as Error).message : ((error as Error).message?.split('\n')[0] ?? String(error));
    io.err(`roundtrip ${name}: ${message}`);
    return failure ? (error as CliFailure).exitCode : error instanceof TypeError ? 2 : 1;
  } finally {
    await client?.dispose();
  }
}

function safeUserName(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
