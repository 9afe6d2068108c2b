/**
 * `roundtrip suggest | verify-images | audit-references DIR …`: one command for every run kind.
 * The kind's entry in the job host's table (backend/runs/run-kinds.ts) says which models it uses,
 * how its stored settings parse, how it creates its run and how it executes; the CLI's table
 * (cli-run-kinds.ts) adds only the kind's own flags and what to print. runCommand (run-command.ts)
 * does the rest: create or --resume, claim, progress, Ctrl+C, summary.
 *
 * The models open in this process (no app may be running), from the folders the run recorded,
 * in the variants it recorded, so a resumed run opens exactly its own.
 */
import { join } from 'node:path';
import { loadEngineModels } from '../../engine/load-engine-models.js';
import { recordedDtypes } from '../../engine/model-load-options.js';
import { modelProvenance, type ModelProvenance } from '../../engine/model-provenance.js';
import { readRunSettings, type RunKindDefinition, type SlotMap } from '../../backend/runs/run-kind.js';
import { engineDirs, RUN_KINDS } from '../../backend/runs/run-kinds.js';
import { defaultDemoRoot } from '../../models/registry.js';
import { CliFailure } from '../cli-io.js';
import type { CommandContext } from '../command.js';
import { runDtypesFrom } from '../dtype-flag.js';
import { SLOT_FLAGS, type CliRunKind } from './cli-run-kinds.js';
import { generationFrom, runCommand, selectionFrom, str, type OpenModels } from './run-command.js';

export function runKindCommand(cli: CliRunKind): (ctx: CommandContext) => Promise<void> {
  return (ctx) => {
    const kind = RUN_KINDS[cli.kind];
    if (!kind) throw new CliFailure(`${cli.kind} runs are not available in this version of Roundtrip`);
    return runCommand<OpenModels>(ctx, {
      label: cli.command,
      kind: cli.kind,
      create: async (project) => kind.create(project, await settingsFrom(cli, kind, ctx.values), selectionFrom(project, ctx.values)),
      load: (run) => {
        const settings = readRunSettings(kind, run);
        return loadEngineModels(engineDirs(kind.modelDirs(settings)), {}, recordedDtypes(settings));
      },
      describe: cli.describe,
      execute: (project, runId, models, options) => kind.execute(project, runId, models, options),
      ...(cli.summary ? { summary: cli.summary } : {}),
    });
  };
}

/**
 * The settings a new run records: seed and generation, the kind's own (sampler, N, …), the
 * models' provenance by engine role, and the chosen variants — checked by the kind's schema, the
 * one its stored settings are read back with.
 */
async function settingsFrom(cli: CliRunKind, kind: RunKindDefinition<unknown>, values: CommandContext['values']): Promise<object> {
  const demo = defaultDemoRoot();
  const dirs: SlotMap<string> = {};
  for (const slot of kind.slots) dirs[slot] = str(values[SLOT_FLAGS[slot].flag]) ?? join(demo, SLOT_FLAGS[slot].demo);
  const own = await cli.settings(values, dirs);
  const dtypes = runDtypesFrom(values.dtype, kind.slots, cli.kind);
  const generation = await generationFrom(values, dirs.generator!);
  const models: Record<string, ModelProvenance> = {};
  // By the engine's role names, in the kind's slot order (as runs have always recorded them).
  for (const slot of kind.slots) models[slot === 'imageEmbedder' ? 'embedder' : slot] = await modelProvenance(dirs[slot]!);
  const settings = { ...generation, ...own, models, ...dtypes };
  const checked = kind.settingsSchema.safeParse(settings);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new CliFailure(`these options give ${cli.command} a bad ${issue.path.join('.') || 'setting'} (${issue.message})`, 2);
  }
  return settings;
}
