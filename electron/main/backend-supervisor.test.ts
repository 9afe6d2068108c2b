/**
 * The supervisor with a real backend host in a child process (issue 17, acceptance 2): the host
 * is killed with SIGKILL in the middle of a burst of decisions, restarted with the project that
 * was open, and every decision that had been acknowledged is in the database.
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/contract/errors.js';
import type { Outcome } from '../../shared/contract/wire.js';
import { tempDir } from '../backend/import/test-images.js';
import { forkHost } from '../backend/host/fork-host.js';
import { bundleHost } from '../backend/host/testing/bundle-host.js';
import { Project } from '../storage/project.js';
import { BackendSupervisor, type BackendState } from './backend-supervisor.js';

let entry: string;
beforeAll(async () => {
  entry = await bundleHost();
});
afterAll(() => rmSync(entry, { force: true }));

const silent = { error() {}, warn() {}, info() {} };

/** A project with `count` images, closed again so the host can open it. */
function seededProject(root: string, count: number): { dir: string; imageIds: number[] } {
  const dir = join(root, 'p');
  const project = Project.create(dir, 'kill test');
  const dataset = project.datasets.ensure(join(root, 'images'), 'images', 'folder');
  const imageIds = Array.from({ length: count }, (_, i) =>
    project.images.insert({ datasetId: dataset.id, externalId: null, relPath: `${i}.png`, sha256: `h${i}`, bytes: 1, width: 1, height: 1 }),
  );
  project.dispose();
  return { dir, imageIds };
}

function supervise(root: string, projectDir: string | null) {
  const states: BackendState[] = [];
  const supervisor = new BackendSupervisor({
    spawn: forkHost(entry, { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] }),
    config: { mode: 'browser', version: 'test', actor: 'tester', modelsDir: join(root, 'no-models'), projectDir },
    log: silent,
    restartDelayMs: 20,
  });
  supervisor.onState((state) => states.push(state));
  const readyAgain = (restarts: number) =>
    new Promise<void>((resolve) => supervisor.onState((s) => s.state === 'ready' && s.restarts === restarts && resolve()));
  return { supervisor, states, readyAgain };
}

describe('backend supervisor', () => {
  it('keeps every acknowledged decision when the host is killed mid-burst, and restarts it on the same project', async () => {
    const root = tempDir('supervisor-kill');
    const { dir, imageIds } = seededProject(root, 20);
    const { supervisor, states, readyAgain } = supervise(root, dir);
    await supervisor.start();
    const firstPid = supervisor.current!.pid;
    const restarted = readyAgain(1);

    const BURST = 600;
    const acknowledged: string[] = [];
    let killed = false;
    const calls: Promise<Outcome<unknown>>[] = [];
    for (let i = 0; i < BURST; i++) {
      const text = `caption ${i}`;
      const call = supervisor.client.invoke('decisions:record', { imageId: imageIds[i % imageIds.length]!, action: 'edit', finalText: text });
      calls.push(
        call.then((outcome) => {
          if (outcome.ok) acknowledged.push(text);
          // Kill it while most of the burst is still to be written.
          if (acknowledged.length === 40 && !killed) {
            killed = true;
            process.kill(firstPid!, 'SIGKILL');
          }
          return outcome;
        }),
      );
    }
    const outcomes = await Promise.all(calls);
    const failed = outcomes.filter((o) => !o.ok);
    expect(killed).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    // Mid-write: part of the burst was never confirmed, and says so with its own code.
    expect(failed.length).toBeGreaterThan(0);
    for (const o of failed) expect(o).toMatchObject({ ok: false, error: { code: ErrorCode.BackendRestarted } });

    await restarted;
    expect(supervisor.current!.pid).not.toBe(firstPid);
    expect(states.map((s) => s.state)).toEqual(['starting', 'ready', 'restarting', 'starting', 'ready']);
    // The restarted host reopened the project on its own: calls work without project:open.
    const after = await supervisor.client.invoke('decisions:record', { imageId: imageIds[0]!, action: 'edit', finalText: 'after the restart' });
    expect(after.ok).toBe(true);
    await supervisor.dispose();

    const db = new Database(join(dir, 'roundtrip.db'), { readonly: true });
    const stored = new Set(db.prepare(`SELECT final_text FROM decisions`).pluck().all() as string[]);
    db.close();
    const lost = acknowledged.filter((text) => !stored.has(text));
    expect(lost).toEqual([]);
    expect(stored.has('after the restart')).toBe(true);
  }, 60_000);

  it('holds calls made while the host restarts and sends them once it is ready', async () => {
    const root = tempDir('supervisor-hold');
    const { dir } = seededProject(root, 1);
    const { supervisor, readyAgain } = supervise(root, dir);
    await supervisor.start();
    const restarted = readyAgain(1);
    const exited = supervisor.current!.exited;
    supervisor.current!.kill();
    await exited;
    // No host now: the call is held, not failed.
    const held = supervisor.client.invoke('datasets:list', {});
    await restarted;
    expect(await held).toMatchObject({ ok: true, result: [{ name: 'images' }] });
    await supervisor.dispose();
  }, 60_000);

  it('stops the host on dispose without restarting it', async () => {
    const root = tempDir('supervisor-dispose');
    const { supervisor, states } = supervise(root, null);
    await supervisor.start();
    const host = supervisor.current!;
    await supervisor.dispose();
    expect(await host.exited).toBe('exit code 0');
    expect(states.map((s) => s.state)).toEqual(['starting', 'ready']);
  }, 30_000);
});
