/**
 * Issue 15, acceptance 3 (token): a Hugging Face token never appears in the CLI's output, in
 * errors, in progress events, in the backend's log, in manifests, the project database or exports. A
 * distinctive token goes through a successful and two failing pulls — from the CLI and from the
 * backend the app runs — and every output, event and file written is searched for it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../cli/cli-io.js';
import { runCli } from '../../cli/run-cli.js';
import { testBackend } from '../../backend/testing/test-backend.js';
import { engineWorkerMethods, type EngineWorkerMethods } from '../../engine/engine-worker-methods.js';
import type { WorkerHost } from '../../inference/worker/child-process-host.js';
import type { RpcClient } from '../../inference/worker/rpc.js';
import { ModelRegistry } from '../registry.js';
import { startFakeHub, type FakeHub, type FakeRepo } from '../testing/fake-hub.js';
import { familyFiles } from '../testing/model-folders.js';

const TOKEN = `hf_LeakCanary${randomBytes(12).toString('hex')}`;
const SHA = '0badc0de0123456789abcdef0123456789abcdef';
let dir: string;
let hub: FakeHub | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-token-leak-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await hub?.close();
  hub = undefined;
  await rm(dir, { recursive: true, force: true });
});

function repos(): Record<string, FakeRepo> {
  const files = { ...Object.fromEntries(familyFiles('clip')), 'config.json': Buffer.from('{"model_type":"clip"}') };
  const lfs = ['onnx/vision_model.onnx', 'onnx/text_model.onnx'];
  return {
    'org/granted': { sha: SHA, files, lfs, gated: { token: TOKEN } },
    // Gated for another account: the token is refused with a 403.
    'org/refused': { sha: SHA, files, lfs, gated: { token: 'hf_someone_else' } },
    // A hash that does not match: the download itself fails, after the token was sent.
    'org/corrupt': { sha: SHA, files, lfs, lieAbout: { 'onnx/vision_model.onnx': 'e'.repeat(64) } },
  };
}

/** Every file under `root`, as text (SQLite pages, WAL and manifests included). */
async function everyFile(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.set(join(entry.parentPath, entry.name), (await readFile(join(entry.parentPath, entry.name))).toString('latin1'));
  }
  return out;
}

function inProcessWorker(): WorkerHost<EngineWorkerMethods> {
  const methods = engineWorkerMethods();
  const client = { call: (method: keyof EngineWorkerMethods, params: never) => methods[method]!(params) } as unknown as RpcClient<EngineWorkerMethods>;
  return { client, exited: new Promise(() => {}), dispose: async () => {} };
}

describe('a Hugging Face token', () => {
  it('is sent to the hub and appears in no output, error, event, log, manifest or database', async () => {
    hub = await startFakeHub(repos());
    const seen: string[] = [];

    // The CLI, with the token in HF_TOKEN.
    vi.stubEnv('ROUNDTRIP_HOME', join(dir, 'cli-home'));
    vi.stubEnv('ROUNDTRIP_DEMO_MODELS', join(dir, 'no-demo'));
    vi.stubEnv('ROUNDTRIP_HUB_URL', hub.url);
    vi.stubEnv('HF_HOME', join(dir, 'hf'));
    vi.stubEnv('HF_TOKEN', TOKEN);
    const io: CliIo = { out: (l) => seen.push(l), err: (l) => seen.push(l), progress: (l) => seen.push(l) };
    expect(await runCli(['models', 'pull', 'org/granted'], io)).toBe(0);
    expect(await runCli(['models', 'pull', 'org/refused'], io)).toBe(1);
    expect(await runCli(['models', 'pull', 'org/corrupt'], io)).toBe(1);
    expect(await runCli(['models', 'list', '--json'], io)).toBe(0);
    expect(seen.join('\n')).toContain('the token from HF_TOKEN was refused (HTTP 403)');
    expect(seen.join('\n')).toContain('sha256 mismatch');

    // The backend the app runs, with a project open, the token in a token file this time.
    await mkdir(join(dir, 'hf2'));
    await mkdir(join(dir, 'exports'));
    await writeFile(join(dir, 'hf2', 'token'), `${TOKEN}\n`);
    const logged: string[] = [];
    const log = { error: (...a: unknown[]) => logged.push(a.map(String).join(' ')), warn: (...a: unknown[]) => logged.push(a.map(String).join(' ')), info: (...a: unknown[]) => logged.push(a.map(String).join(' ')) };
    const registry = new ModelRegistry({ modelsDir: join(dir, 'app-models'), readOnlyRoots: [], hubUrl: hub.url, env: { HF_HOME: join(dir, 'hf2') } });
    const backend = testBackend(dir, { registry, launchWorker: inProcessWorker, log });
    backend.bus.subscribe((event, payload) => seen.push(`${event} ${JSON.stringify(payload)}`));
    const ctx = { actor: 'tester' };
    const outcomes = [
      await backend.dispatcher.dispatch('project:create', { path: join(dir, 'project') }, ctx),
      await backend.dispatcher.dispatch('models:pull', { repo: 'org/granted' }, ctx),
      await backend.dispatcher.dispatch('models:pull', { repo: 'org/refused' }, ctx),
      await backend.dispatcher.dispatch('models:pull', { repo: 'org/corrupt' }, ctx),
      await backend.dispatcher.dispatch('models:list', {}, ctx),
      // Exports carry provenance (models, settings): the pulled models' records must not bring the token along.
      await backend.dispatcher.dispatch('export:write', { format: 'coco-captions', out: join(dir, 'exports', 'captions.json'), allowEmpty: true }, ctx),
    ];
    await backend.dispose();
    seen.push(...outcomes.map((o) => JSON.stringify(o)), ...logged);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, false, true, true]);

    // Not vacuous: the hub did receive the token, from both.
    expect(hub.requests.filter((r) => r.authorization === `Bearer ${TOKEN}`).length).toBeGreaterThan(4);
    const cdn = hub.requests.filter((r) => r.server === 'cdn');
    expect(cdn.length).toBeGreaterThan(0);
    expect(cdn.every((r) => r.authorization === undefined)).toBe(true);

    for (const line of seen) expect(line).not.toContain(TOKEN);
    const files = await everyFile(dir);
    expect([...files.keys()].some((f) => f.endsWith('roundtrip-model.json'))).toBe(true);
    expect([...files.keys()].filter((f) => f.startsWith(join(dir, 'project')) && f.endsWith('.db'))).toHaveLength(1);
    expect([...files.keys()].filter((f) => f.startsWith(join(dir, 'exports')))).toHaveLength(1);
    const leaks = [...files].filter(([path, text]) => text.includes(TOKEN) && path !== join(dir, 'hf2', 'token')).map(([path]) => path);
    expect(leaks).toEqual([]);
  });
});
