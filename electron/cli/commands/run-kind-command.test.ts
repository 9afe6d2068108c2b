/**
 * The one run command, as `roundtrip suggest | verify-images | audit-references`: settings its
 * flags give are checked by the kind's schema before a run exists, and a stored run whose settings
 * do not parse is refused on --resume naming the run and the field, and left failed with why.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../../storage/project.js';
import { runCli, usage } from '../run-cli.js';
import { captureIo as capture, projectWithOneImage } from '../testing/cli-capture.js';

const VIT_GPT2 = join(import.meta.dirname, '../../../tests/fixtures/published/Xenova--vit-gpt2-image-captioning');
const QUICK = ['--steps', '1', '--max-tokens', '4', '--captioner', VIT_GPT2];
let dir: string;

function runs() {
  const project = Project.open(dir);
  try {
    return project.runs.list();
  } finally {
    project.dispose();
  }
}

beforeAll(async () => {
  dir = await projectWithOneImage('rt-cli-run-kind-');
});

describe('the run command of every kind', () => {
  it('keeps each kind’s command name and usage line', () => {
    for (const name of ['suggest', 'verify-images', 'audit-references']) expect(usage()).toContain(`roundtrip ${name} DIR [`);
  });

  it('refuses flags that give a run its schema rejects, before creating it (exit 2, the field named)', async () => {
    const io = capture();
    expect(await runCli(['suggest', dir, '--candidates', '0', ...QUICK], io)).toBe(2);
    expect(io.errLines.join('\n')).toMatch(/^roundtrip suggest: these options give suggest a bad decoding\.numReturnSequences \(/);
    expect(runs()).toEqual([]);
  });

  it('refuses --resume of a run whose stored settings do not parse, naming the run and the field, and leaves it failed', async () => {
    const io = capture();
    expect(await runCli(['suggest', dir, '--candidates', '2', ...QUICK], io)).toBe(0);
    const [run] = runs();
    const project = Project.open(dir);
    project.db.prepare(`UPDATE runs SET status = 'paused', settings = json_set(settings, '$.decoding.maxNewTokens', 'four') WHERE id = ?`).run(run!.id);
    project.dispose();
    const resumed = capture();
    expect(await runCli(['suggest', dir, '--resume', String(run!.id)], resumed)).toBe(1);
    const message = `Run ${run!.id} (suggest) cannot be read back: its stored settings have a bad decoding.maxNewTokens`;
    expect(resumed.errLines.join('\n')).toContain(`roundtrip suggest: ${message}`);
    expect(runs()[0]).toMatchObject({ status: 'failed', error: expect.stringContaining(message) });
  });
});
