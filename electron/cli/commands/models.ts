/**
 * `roundtrip models list | verify [ID] | pull ORG/NAME [--revision R] [--family F] [--dtype D]`:
 * the model registry from the command line. Needs no project: models live in the user data dir
 * (`$ROUNDTRIP_HOME/models`) and the bundled demo root (`$ROUNDTRIP_DEMO_MODELS` overrides it).
 */
import { KNOWN_FAMILIES } from '../../models/families.js';
import { ONNX_DTYPES, type OnnxDtype } from '../../models/manifest.js';
import { describePlan, describePlanSource, formatBytes } from '../../models/plan-text.js';
import { ModelRegistry, type InstalledModel } from '../../models/registry.js';
import type { VerifyReport } from '../../models/verify.js';
import { describeRunDefaults } from '../../../shared/run-defaults-text.js';
import { CliFailure, type CliIo } from '../cli-io.js';
import type { CommandContext } from '../command.js';

/** Where pull looks for a token and a Hugging Face cache, in order: what a user needs to know to use either. */
const USAGE = [
  'usage: roundtrip models list [--json] | verify [ID] [--quick] | pull ORG/NAME [--revision R] [--family F] [--dtype D]',
  '  pull, gated repos: the token is HF_TOKEN, else HUGGING_FACE_HUB_TOKEN, else the file HF_TOKEN_PATH, else $HF_HOME/token',
  '    (HF_HOME defaults to $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface); sent only to an https or local hub.',
  '  pull, reuse: files already in the Hugging Face cache (HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE, else $HF_HOME/hub)',
  '    are linked or copied by hash; a cache-only plan takes the commit its refs/ name, --revision SHA takes another.',
].join('\n');

export async function modelsCommand(ctx: CommandContext): Promise<void> {
  const registry = new ModelRegistry();
  try {
    await runModels(ctx, registry);
  } finally {
    registry.dispose();
  }
}

/** The command proper, with the registry injected (tests point it at temp folders and a fake hub). */
export async function runModels({ positionals, values, io, stopSignal }: CommandContext, registry: ModelRegistry): Promise<void> {
  const [sub, arg] = positionals;
  if (sub === 'list') return list(io, registry, values.json === true);
  if (sub === 'verify') return verify(io, registry, arg, values.quick === true);
  if (sub === 'pull') {
    if (!arg) throw new CliFailure(USAGE, 2);
    return pull(io, registry, arg, values, stopSignal);
  }
  throw new CliFailure(USAGE, 2);
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '));
}

async function list(io: CliIo, registry: ModelRegistry, json: boolean): Promise<void> {
  const models = await registry.list();
  if (json) {
    // The manifest stays out (file hashes); a generator's run defaults are what a user looks for.
    io.out(JSON.stringify(models.map(({ manifest, ...m }) => ({ ...m, ...(manifest?.runDefaults ? { runDefaults: manifest.runDefaults } : {}) }))));
    return;
  }
  if (models.length === 0) {
    io.out(`No models in ${registry.modelsDir} or ${registry.readOnlyRoots.join(', ') || '(no bundled roots)'}.`);
    io.out('Pull one with `roundtrip models pull ORG/NAME`.');
    return;
  }
  const rows = models.map((m: InstalledModel) => [m.id, m.role ?? '?', m.family ?? '?', m.version ?? '-', m.status, m.readOnly ? 'bundled' : 'user', m.path]);
  for (const line of table([['ID', 'ROLE', 'FAMILY', 'VERSION', 'STATUS', 'WHERE', 'PATH'], ...rows])) io.out(line);
}

function printReport(io: CliIo, report: VerifyReport): void {
  const counts = `${report.filesChecked} file(s), ${report.graphsChecked} graph(s)`;
  io.out(`${report.ok ? 'ok  ' : 'FAIL'}  ${report.id}  (${counts}; ${report.path})`);
  for (const p of report.problems) io.out(`  ✗ ${p}`);
  for (const w of report.warnings) io.out(`  ! ${w}`);
}

async function verify(io: CliIo, registry: ModelRegistry, id: string | undefined, quick: boolean): Promise<void> {
  const seen = new Set<string>();
  // A user model shadows a bundled one with the same id; verify what `get` would return.
  const ids = id !== undefined ? [id] : (await registry.list()).map((m) => m.id).filter((m) => !seen.has(m) && seen.add(m));
  if (ids.length === 0) return io.out('No models to verify.');
  let failed = 0;
  for (const [i, modelId] of ids.entries()) {
    io.progress(`verify: ${modelId} (${i + 1}/${ids.length})`);
    const report = await registry.verify(modelId, { hashes: !quick });
    io.progress('');
    printReport(io, report);
    if (!report.ok) failed++;
  }
  if (failed > 0) throw new CliFailure(`${failed} of ${ids.length} model(s) have problems`);
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

async function pull(io: CliIo, registry: ModelRegistry, repo: string, values: CommandContext['values'], stopSignal: Promise<void>): Promise<void> {
  const family = values.family as string | undefined;
  if (family !== undefined && !KNOWN_FAMILIES.includes(family)) throw new CliFailure(`--family must be one of ${KNOWN_FAMILIES.join(', ')}`, 2);
  const dtype = values.dtype as string | undefined;
  if (dtype !== undefined && !(ONNX_DTYPES as readonly string[]).includes(dtype)) throw new CliFailure(`--dtype must be one of ${ONNX_DTYPES.join(', ')}`, 2);
  const controller = new AbortController();
  void stopSignal.then(() => controller.abort(new Error('stopped')));
  io.err(`Pulling ${repo} from ${registry.hubUrl} into ${registry.modelsDir} …`);
  const started = Date.now();
  let result;
  let lastShown = 0;
  try {
    result = await registry.pull(repo, {
      ...(values.revision ? { revision: values.revision as string } : {}),
      ...(family ? { family } : {}),
      ...(dtype ? { dtype: dtype as OnnxDtype } : {}),
      signal: controller.signal,
      onNote: (line) => io.err(`note: ${line}`),
      // The plan, with its total size, before the first download: the user can still stop a 4 GB pull.
      onPlan: (plan) => {
        io.err(`${plan.repo}@${plan.commit.slice(0, 12)} is ${plan.family}: ${describePlan(plan)}`);
        const source = describePlanSource(plan);
        if (source) io.err(`  ${source}`);
        for (const f of plan.list) io.err(`  ${f.path}  ${f.bytes === undefined ? '?' : formatBytes(f.bytes)}${f.cached ? '  (Hugging Face cache)' : ''}`);
      },
      onProgress: (p) => {
        // One line per network chunk would be thousands of terminal writes per gigabyte.
        const now = Date.now();
        if (now - lastShown < 100 && p.fileDone !== p.fileTotal) return;
        lastShown = now;
        const pct = p.total ? ` ${Math.floor((100 * p.done) / p.total)}%` : '';
        io.progress(`pull: [${p.fileIndex + 1}/${p.fileCount}] ${p.file} ${mib(p.done)}${p.total ? ` / ${mib(p.total)}` : ''}${pct}`);
      },
    });
  } catch (error) {
    io.progress('');
    if (controller.signal.aborted) throw new CliFailure('pull cancelled; run the same command again to resume');
    throw error;
  }
  io.progress('');
  const { manifest, dir } = result;
  const bytes = manifest.files.reduce((s, f) => s + f.bytes, 0);
  io.out(`Pulled ${manifest.id} (${manifest.family} ${manifest.role}, ${manifest.files.length} files, ${mib(bytes)}) into ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  if (manifest.runDefaults) io.out(`Run defaults: ${describeRunDefaults(manifest.runDefaults)}`);
  // Hashes were checked while downloading; what is left is whether the graphs fit the family.
  const report = await registry.verify(manifest.id, { hashes: false });
  printReport(io, report);
  if (!report.ok) throw new CliFailure(`${manifest.id} was downloaded but does not fit family '${manifest.family}'`);
}
