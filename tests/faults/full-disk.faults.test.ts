/**
 * A disk that fills up during an export (issue 16): a small tmpfs mounted for the test where the
 * machine allows it (root), else ENOSPC injected behind the fs calls the export makes
 * (support/enospc-preload.mjs). A file export and a folder export, from the CLI and over the
 * API, each over an earlier export in the same place: the error names the file, the earlier
 * export is byte for byte as it was, nothing temporary is left, and once there is room the same
 * export succeeds.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../../electron/storage/project.js';
import { seedExportProject } from '../fixtures/export-project.js';
import { roundtripOk, roundtripWith } from './support/cli.js';
import { startServer } from './support/server.js';
import { count, flushTally } from './support/tally.js';
import { treeHash } from './support/tree.js';

const PRELOAD = join(import.meta.dirname, 'support', 'enospc-preload.mjs');
/** Room left on the "disk" once the earlier exports are on it: less than a full export needs (about 2.4 MB). */
const ROOM = 1024 * 1024;

let root: string;
let disk: string;
let source: string;
let mode: 'tmpfs' | 'injected';
/** Node options and environment that make the disk full (injected mode), or nothing (tmpfs: the filler does it). */
let full: { nodeArgs?: string[]; env?: Record<string, string> } = {};
const filler = () => join(disk, 'filler.bin');

function tryMount(dir: string): boolean {
  if (process.env.FAULTS_DISK === 'inject') return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}


function exportsLogged(): number {
  const project = Project.open(source);
  try {
    return project.exports.list().length;
  } finally {
    project.dispose();
  }
}

/** Fills the disk so that only ROOM is left (tmpfs), or arms the injector (injected). */
function fillDisk(): void {
  if (mode === 'injected') {
    full = { nodeArgs: ['--import', PRELOAD], env: { FAULTS_ENOSPC_DIR: disk, FAULTS_ENOSPC_BYTES: String(ROOM) } };
    return;
  }
  const free = Number(execFileSync('df', ['--output=avail', '-B1', disk], { encoding: 'utf8' }).split('\n')[1]);
  writeFileSync(filler(), Buffer.alloc(Math.max(0, free - ROOM)));
}

function freeDisk(): void {
  full = {};
  rmSync(filler(), { force: true });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rt-faults-disk-'));
  disk = join(root, 'disk');
  mkdirSync(disk);
  mode = tryMount(disk) ? 'tmpfs' : 'injected';
  source = join(root, 'project');
  const project = Project.create(source);
  seedExportProject(project, { images: 5_000, candidates: 1 });
  project.dispose();
  console.log(`full disk by ${mode === 'tmpfs' ? 'a 4 MB tmpfs' : 'ENOSPC injected after 1 MB'}`);
}, 120_000);

afterAll(() => {
  flushTally();
  if (mode === 'tmpfs') execFileSync('umount', [disk]);
  rmSync(root, { recursive: true, force: true });
});

describe('a disk that fills up during an export', () => {
  const leftovers = () => readdirSync(disk).filter((name) => name.startsWith('.'));

  it.each([
    ['a file export', 'captions.json', ['--format', 'coco-captions']],
    ['a folder export', 'karpathy', ['--format', 'karpathy']],
  ] as const)('fails %s with the file named, and leaves the earlier export as it was', (_what, name, format) => {
    const out = join(disk, name);
    freeDisk();
    roundtripOk('export', source, ...format, '--status', 'edited', '--out', out);
    const before = { hash: treeHash(out), logged: exportsLogged() };
    fillDisk();

    const failed = roundtripWith(full, 'export', source, ...format, '--include-references', '--out', out);
    count('cases');
    expect(failed.status, failed.stdout).not.toBe(0);
    expect(failed.stderr).toMatch(/ENOSPC|no space left/i);
    expect(failed.stderr).toContain(out);
    const damaged = treeHash(out) !== before.hash;
    if (damaged) count('exportsDamaged');
    expect(damaged, 'the earlier export changed').toBe(false);
    expect(leftovers()).toEqual([]);
    expect(exportsLogged()).toBe(before.logged);

    freeDisk();
    roundtripOk('export', source, ...format, '--include-references', '--out', out);
    expect(exportsLogged()).toBe(before.logged + 1);
    expect(leftovers()).toEqual([]);
    rmSync(out, { recursive: true }); // room for the next case on the small disk
  });

  it('answers export:write over the API with IO_ERROR naming the file, and the server keeps answering', async () => {
    const out = join(disk, 'api.json');
    freeDisk();
    roundtripOk('export', source, '--format', 'coco-captions', '--status', 'edited', '--out', out);
    const before = treeHash(out);
    fillDisk();
    const options = process.env.NODE_OPTIONS;
    if (full.nodeArgs) Object.assign(process.env, full.env, { NODE_OPTIONS: `${options ?? ''} --import=${PRELOAD}`.trim() });
    const server = await startServer(source).finally(() => {
      if (options === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = options;
    });
    try {
      const reply = await server.invoke('export:write', { format: 'coco-captions', out, includeReferences: true });
      count('cases');
      expect(reply.ok).toBe(false);
      expect(reply.error?.code).toBe('IO_ERROR');
      expect(reply.error?.message).toContain(out);
      expect(reply.error?.message).toMatch(/ENOSPC|no space left/i);
      expect(await server.answers(), server.log()).toBe(true);
      if (server.exit() !== null) count('deaths');
    } finally {
      await server.stop();
    }
    if (treeHash(out) !== before) count('exportsDamaged');
    expect(treeHash(out)).toBe(before);
    expect(leftovers()).toEqual([]);
  });
});
