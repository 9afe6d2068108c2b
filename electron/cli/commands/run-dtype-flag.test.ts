/**
 * `--dtype slot=dtype` on the run commands (issue 15, item 2): the choice is recorded with the run,
 * so a resumed run opens the same files; a variant the folder lacks fails the run when its models
 * open, naming the file and the variants there; a slot the run does not use, or --dtype with
 * --resume, is a usage error. Published ViT-GPT2 layout (fp32, fp16, q8 present) as the captioner.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../../storage/project.js';
import { runCli, usage } from '../run-cli.js';
import { captureIo as capture, projectWithOneImage } from '../testing/cli-capture.js';

const VIT_GPT2 = join(import.meta.dirname, '../../../tests/fixtures/published/Xenova--vit-gpt2-image-captioning');
const QUICK = ['--candidates', '2', '--steps', '1', '--max-tokens', '4', '--captioner', VIT_GPT2];
let dir: string;

function lastRun() {
  const project = Project.open(dir);
  const run = project.runs.list().at(-1)!;
  project.dispose();
  return run;
}

beforeAll(async () => {
  dir = await projectWithOneImage('rt-cli-dtype-');
});

describe('run commands take --dtype slot=dtype', () => {
  it('records the choice with the run and completes on that variant', async () => {
    const io = capture();
    expect(await runCli(['suggest', dir, ...QUICK, '--dtype', 'captioner=fp16'], io), io.errLines.join('\n')).toBe(0);
    expect(io.outLines[0]).toMatch(/^Run \d+ completed: 1 done, 0 failed of 1/);
    expect(lastRun().settings).toMatchObject({ dtypes: { captioner: 'fp16' } });
  }, 120_000);

  it('fails a run whose variant the folder lacks when its models open, naming the file and the variants present; a resume opens the same choice', async () => {
    const io = capture();
    expect(await runCli(['suggest', dir, ...QUICK, '--dtype', 'captioner=q4'], io)).toBe(1);
    const missing = `roundtrip suggest: ${join(VIT_GPT2, 'onnx', 'encoder_model_q4.onnx')}: missing file (dtype q4 was chosen for this model; present: fp32 (onnx/encoder_model.onnx), fp16 (onnx/encoder_model_fp16.onnx), q8 (onnx/encoder_model_quantized.onnx))`;
    expect(io.errLines.at(-1)).toBe(missing);
    const run = lastRun();
    expect(run).toMatchObject({ status: 'failed', settings: { dtypes: { captioner: 'q4' } } });
    expect(run.error).toContain('encoder_model_q4.onnx: missing file');

    const resumed = capture();
    expect(await runCli(['suggest', dir, '--resume', String(run.id)], resumed)).toBe(1);
    expect(resumed.errLines.at(-1)).toBe(missing);
  }, 120_000);

  it('refuses a slot the run does not use, --dtype on a resume, and lists the flag in the usage', async () => {
    const unused = capture();
    expect(await runCli(['suggest', dir, '--dtype', 'textEmbedder=fp16'], unused)).toBe(2);
    expect(unused.errLines).toEqual(['roundtrip suggest: --dtype textEmbedder: a suggest run has no textEmbedder model (its models: captioner, generator, imageEmbedder)']);
    const audit = capture();
    expect(await runCli(['audit-references', dir, '--dtype', 'captioner=q8'], audit)).toBe(2);
    expect(audit.errLines[0]).toMatch(/--dtype captioner: a reference-audit run has no captioner model/);

    const resume = capture();
    expect(await runCli(['suggest', dir, '--resume', '1', '--dtype', 'captioner=q8'], resume)).toBe(2);
    expect(resume.errLines).toEqual(['roundtrip suggest: --dtype chooses the variants of a new run; run 1 opens the ones it was started with']);

    for (const command of ['suggest', 'verify-images', 'audit-references']) {
      expect(usage().split('\n').find((line) => line.startsWith(`  roundtrip ${command} `))).toContain('[--dtype SLOT=fp32|fp16|q8|int8|uint8|q4|q4f16|bnb4 …]');
    }
  });
});
