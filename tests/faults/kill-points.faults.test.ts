/**
 * kill -9 at seeded random points (issue 16): of browser mode while clients write decisions, and
 * of `roundtrip suggest`, `import` and `export` while it runs. After each kill: every decision the
 * API acknowledged is in the database as written, every earlier export is byte for byte as it
 * was, the project passes SQLite's integrity check, and the killed work resumes (suggest
 * --resume, the same import, the same export) or had not started.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thumbnailPath } from '../../electron/backend/media/asset-paths.js';
import { noiseImage } from '../../electron/backend/import/test-images.js';
import { Project } from '../../electron/storage/project.js';
import { mulberry32 } from '../../shared/mulberry32.js';
import { seedExportProject } from '../fixtures/export-project.js';
import { killNine, roundtrip, roundtripOk, startCli } from './support/cli.js';
import { DecisionLedger } from './support/ledger.js';
import { startServer, type FaultServer } from './support/server.js';
import { count, flushTally } from './support/tally.js';
import { bytesIn, treeHash } from './support/tree.js';

const SEED = Number(process.env.FAULTS_SEED ?? 16);
const POINTS_PER_KIND = 6;
const DEMO_IMAGES = 16;
// Three batches of the import (BATCH_SIZE 200), so kills land between them too.
const IMPORT_IMAGES = 450;
const SUGGEST = ['--candidates', '2', '--dataset', '1'];

type Kind = 'server' | 'suggest' | 'import' | 'export';

let root: string;
/** The demo project every kind works on, and whose decisions the ledger holds. */
let project: string;
/** A large project (20,000 images, no files) whose exports take long enough to be killed midway. */
let bigProject: string;
let server: FaultServer | undefined;
let writers: { stop(): Promise<void> } | undefined;
let ledger: DecisionLedger;
const rand = mulberry32(SEED * 7919);
const earlier = new Map<string, string>();
let bigExportBytes = 0;
let bigFolderBytes = 0;


beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rt-faults-kill-'));
  project = join(root, 'demo');
  roundtripOk('demo', project, '--count', String(DEMO_IMAGES));
  bigProject = join(root, 'big');
  const big = Project.create(bigProject);
  seedExportProject(big, { images: 20_000, candidates: 1 });
  big.dispose();
  for (let k = 0; k < POINTS_PER_KIND; k++) {
    const folder = join(root, `import-${k}`);
    mkdirSync(folder);
    const png = await noiseImage('png', 40, 40, 100 + k);
    for (let i = 0; i < IMPORT_IMAGES; i++) writeFileSync(join(folder, `${String(i).padStart(4, '0')}.png`), Buffer.concat([png, Buffer.from([i & 0xff, i >> 8, k])]));
  }
  // Earlier exports that no kill may touch: a file and a folder of the demo project, a file of the large one.
  mkdirSync(join(root, 'exports'));
  const exports: [string, string[]][] = [
    [join(root, 'exports', 'demo.json'), [project, '--format', 'coco-captions']],
    [join(root, 'exports', 'demo-sidecar'), [project, '--format', 'sidecar-txt', '--link', 'symlink']],
    [join(root, 'exports', 'big.json'), [bigProject, '--format', 'coco-captions', '--status', 'edited']],
  ];
  for (const [out, args] of exports) {
    roundtripOk('export', ...args, '--out', out);
    earlier.set(out, treeHash(out));
  }
  // Sizes of the whole exports, to place kills at a fraction of them, and to tell a whole export from a damaged one.
  const whole = join(root, 'whole-big.json');
  roundtripOk('export', bigProject, '--format', 'coco-captions', '--include-references', '--out', whole);
  bigExportBytes = statSync(whole).size;
  const wholeFolder = join(root, 'whole-big-karpathy');
  roundtripOk('export', bigProject, '--format', 'karpathy', '--include-references', '--out', wholeFolder);
  bigFolderBytes = bytesIn(wholeFolder);
  ledger = new DecisionLedger(Array.from({ length: DEMO_IMAGES }, (_, i) => i + 1), rand);
}, 180_000);

afterAll(async () => {
  flushTally();
  await writers?.stop();
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Browser mode on the demo project with decision writers, started again after it was killed. */
async function ensureServer(): Promise<FaultServer> {
  if (server && server.exit() === null) return server;
  server = await startServer(project);
  writers = ledger.startWriters(server);
  return server;
}

/** Everything owed after a kill: acknowledged decisions, earlier exports, a sound database. */
function checkNothingLost(what: string): void {
  const lost = ledger.lost(project);
  if (lost.length) count('decisionsLost', lost.length);
  const damaged = [...earlier].filter(([out, hash]) => {
    try {
      return treeHash(out) !== hash;
    } catch {
      return true;
    }
  });
  if (damaged.length) count('exportsDamaged', damaged.length);
  const db = Project.open(project);
  const integrity = db.db.pragma('integrity_check', { simple: true });
  db.dispose();
  expect({ lost: lost.slice(0, 5), damaged: damaged.map(([out]) => out), integrity }, what).toEqual({ lost: [], damaged: [], integrity: 'ok' });
}

/** Milliseconds to wait before the kill: seeded, between `min` and `max`. */
const delay = (min: number, max: number) => Math.round(min + rand() * (max - min));

/**
 * SIGKILLs `run` as soon as `reached()` says so (polled every 20 ms); resolves with whether the
 * process had ended on its own first.
 */
async function killWhen(run: ReturnType<typeof startCli>, reached: () => boolean, what: string): Promise<boolean> {
  for (const end = Date.now() + 120_000; Date.now() < end; await sleep(20)) {
    if (!run.running()) return true;
    let now = false;
    try {
      now = reached();
    } catch {
      // not there yet (a temporary file not made yet, a database mid-creation)
    }
    if (now) {
      await killNine(run);
      return false;
    }
  }
  throw new Error(`${what}: the kill point was never reached:\n${run.output()}`);
}

function runCount(): number {
  const db = Project.open(project);
  try {
    return db.runs.list().length;
  } finally {
    db.dispose();
  }
}

/** The newest run's finished images (0 while it has not been created). */
function runDone(): number {
  const db = Project.open(project);
  try {
    return db.runs.list().at(-1)?.done ?? -1;
  } finally {
    db.dispose();
  }
}

/** Images of the dataset imported from `folder` (0 while it has not been created). */
function importedFrom(folder: string): number {
  const db = Project.open(project);
  try {
    const dataset = db.datasets.list().find((d) => d.rootPath === folder);
    return dataset ? db.images.list({ offset: 0, limit: 1, datasetId: dataset.id }).total : 0;
  } finally {
    db.dispose();
  }
}

/** Engine workers of the suite's bundle still running (orphans of a killed suggest would show here). */
function workerProcesses(): number {
  try {
    return execFileSync('pgrep', ['-f', process.env.ROUNDTRIP_ENGINE_WORKER!], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

const killers: Record<Kind, (point: number) => Promise<string>> = {
  async server(point) {
    const running = await ensureServer();
    const before = ledger.acknowledged.length;
    // Every other time with a suggest run of its own under way, killed once `target` images are done.
    const withRun = point % 2 === 1;
    const target = Math.floor(rand() * DEMO_IMAGES);
    const wait = delay(150, 1500);
    let runId: number | undefined;
    if (withRun) {
      const started = await running.invoke('runs:start', { kind: 'suggest', selection: { datasetId: 1 }, settings: { candidates: 2, seed: 100 + point } });
      expect(started.ok, JSON.stringify(started.error)).toBe(true);
      runId = (started.result as { id: number }).id;
      for (const end = Date.now() + 60_000; runDone() < target && Date.now() < end; ) await sleep(20);
    } else await sleep(wait);
    await running.kill();
    await writers!.stop();
    const written = ledger.acknowledged.length - before;
    // Started again at once: it must open the project as it was left, and finish the run it was running.
    const again = await ensureServer();
    expect(await again.answers()).toBe(true);
    if (runId === undefined) return `server killed after ${wait} ms, ${written} decisions acknowledged meanwhile`;
    const doneAtKill = runDone();
    let run: { status: string; done: number } | undefined;
    for (const end = Date.now() + 90_000; Date.now() < end; await sleep(250)) {
      run = (await again.invoke('runs:get', { id: runId })).result as { status: string; done: number };
      if (run.status === 'completed') break;
      if (run.status === 'paused' || run.status === 'failed') expect((await again.invoke('runs:resume', { id: runId })).ok).toBe(true);
    }
    expect(run).toMatchObject({ status: 'completed', done: DEMO_IMAGES });
    return `server killed with its suggest run at ${doneAtKill} of ${DEMO_IMAGES}, ${written} decisions acknowledged meanwhile; the run finished after the restart`;
  },

  async suggest(point) {
    await ensureServer();
    // A seeded point in the run: during start-up (before its run exists), or once `target` images are done.
    const runsBefore = runCount();
    const target = Math.floor(rand() * (DEMO_IMAGES + 2)) - 2;
    const wait = delay(100, 1500);
    const started = Date.now();
    const run = startCli(['suggest', project, ...SUGGEST, '--seed', String(point)]);
    const finishedFirst = await killWhen(run, () => (target < 0 ? Date.now() - started >= wait : runCount() > runsBefore && runDone() >= target), 'suggest');
    const db = Project.open(project);
    const last = db.runs.list().at(-1);
    const created = db.runs.list().length > runsBefore;
    db.dispose();
    const at = target < 0 ? `${wait} ms into start-up` : `${target} of ${DEMO_IMAGES} images done`;
    if (finishedFirst) {
      expect(run.output()).toMatch(/completed/);
      return `suggest finished before its kill point (${at})`;
    }
    // A worker whose parent was killed must not go on computing.
    await expect.poll(workerProcesses, { timeout: 15_000, interval: 200 }).toBe(0);
    if (!created) return `suggest killed ${at}, before its run was created`;
    const resumed = roundtrip('suggest', project, '--resume', String(last!.id));
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`${DEMO_IMAGES} done, 0 failed of ${DEMO_IMAGES}`);
    return `suggest killed at ${at} (${last!.done} saved), resumed to the end`;
  },

  async import(point) {
    await ensureServer();
    const folder = join(root, `import-${point}`);
    // A seeded point: during start-up, or once `target` images are saved.
    const target = Math.floor(rand() * (IMPORT_IMAGES + 50)) - 50;
    const wait = delay(100, 1200);
    const started = Date.now();
    const run = startCli(['import', project, '--folder', folder]);
    const finishedFirst = await killWhen(run, () => (target < 0 ? Date.now() - started >= wait : importedFrom(folder) >= target), 'import');
    const at = finishedFirst ? 'after it had finished' : target < 0 ? `${wait} ms after it started` : `${target} images saved`;
    if (finishedFirst) expect(await run.exited, JSON.stringify(run.output())).toEqual({ code: 0, signal: null });
    const db = Project.open(project);
    let kept = 0;
    try {
      const dataset = db.datasets.list().find((d) => d.rootPath === folder);
      if (dataset) {
        const images = db.images.list({ offset: 0, limit: 1000, datasetId: dataset.id }).items;
        kept = images.length;
        for (const image of images) expect(statSync(thumbnailPath(db.assetsDir, image.id), { throwIfNoEntry: false })?.isFile(), `thumbnail of ${image.id}`).toBe(true);
      }
    } finally {
      db.dispose();
    }
    const again = roundtrip('import', project, '--folder', folder);
    expect(again.status, again.stderr).toBe(0);
    const done = Project.open(project);
    const dataset = done.datasets.list().find((d) => d.rootPath === folder)!;
    expect(done.images.list({ offset: 0, limit: 1, datasetId: dataset.id }).total).toBe(IMPORT_IMAGES);
    done.dispose();
    return `import killed ${at} (${kept} of ${IMPORT_IMAGES} kept), run again to the end`;
  },

  async export(point) {
    await ensureServer();
    // Alternately a file (COCO) and a folder (Karpathy) export of the large project, each over an earlier export of its own.
    const file = point % 2 === 0;
    const out = join(root, 'exports', file ? `kill-${point}.json` : `kill-${point}`);
    const args = [bigProject, '--format', file ? 'coco-captions' : 'karpathy'];
    roundtripOk('export', ...args, '--out', out, '--status', 'edited');
    const previous = treeHash(out);
    // A seeded point: during start-up, or once its temporary file (folder) holds `fraction` of the whole.
    const fraction = rand() * 1.1 - 0.1;
    const wait = delay(100, 1000);
    const started = Date.now();
    const run = startCli(['export', ...args, '--out', out, '--include-references']);
    const temp = () => readdirSync(join(root, 'exports')).find((n) => n.startsWith(`.kill-${point}`) && n.endsWith('.tmp'));
    const finishedFirst = await killWhen(
      run,
      () => {
        if (fraction < 0) return Date.now() - started >= wait;
        const t = temp();
        return t !== undefined && bytesIn(join(root, 'exports', t)) >= fraction * (file ? bigExportBytes : bigFolderBytes);
      },
      'export',
    );
    const at = finishedFirst ? 'after it had finished' : fraction < 0 ? `${wait} ms into start-up` : `${Math.round(fraction * 100)}% written`;
    // The target is the previous export, untouched, or the new one, whole.
    const now = treeHash(out);
    if (now !== previous) expect(bytesIn(out)).toBe(file ? bigExportBytes : bigFolderBytes);
    // The same export again: it sweeps what the killed one left, and succeeds.
    roundtripOk('export', ...args, '--out', out, '--include-references');
    expect(readdirSync(join(root, 'exports')).filter((n) => n.startsWith(`.kill-${point}`))).toEqual([]);
    return `${file ? 'file' : 'folder'} export killed ${at} (${now === previous ? 'previous export intact' : 'new export complete'}), run again`;
  },
};

describe(`kill -9 at ${POINTS_PER_KIND * 4} seeded points (seed ${SEED})`, () => {
  const kinds: Kind[] = (['server', 'suggest', 'import', 'export'] as const).flatMap((k) => Array<Kind>(POINTS_PER_KIND).fill(k));
  const order = mulberry32(SEED)();
  const schedule = kinds.map((kind, i) => ({ kind, key: Math.sin(order * 1000 + i) })).sort((a, b) => a.key - b.key);
  const seen = new Map<Kind, number>();

  it.each(schedule.map((s, i) => [i + 1, s.kind] as const))('point %i: %s', async (_n, kind) => {
    const point = seen.get(kind) ?? 0;
    seen.set(kind, point + 1);
    const what = await killers[kind](point);
    count('killPoints');
    count('cases');
    checkNothingLost(what);
    if (server && server.exit() !== null && kind !== 'server') count('deaths');
    console.log(`kill point: ${what}; ${ledger.acknowledged.length} decisions acknowledged so far`);
  });

  it('ends with the server answering, every acknowledged decision and earlier export in place', async () => {
    expect(await (await ensureServer()).answers()).toBe(true);
    checkNothingLost('the end');
    expect(ledger.acknowledged.length).toBeGreaterThan(0);
  });
});
