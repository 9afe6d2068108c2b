import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGeneratorLayout } from '../generator/layout.js';
import { publishedScheduler } from '../../models/published-scheduler.js';
import { parseSchedulerConfig } from './config.js';
import { createScheduler } from './create.js';
import { parsePythonJson, readPythonJsonFile } from './python-json.js';

const tmp = mkdtempSync(join(tmpdir(), 'rt-pyjson-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// What diffusers' save_config writes for a DPMSolverMultistepScheduler (json.dumps of -inf).
const DPM_CONFIG = `{
  "_class_name": "DPMSolverMultistepScheduler",
  "algorithm_type": "dpmsolver++",
  "beta_end": 0.012,
  "beta_schedule": "scaled_linear",
  "beta_start": 0.00085,
  "lambda_min_clipped": -Infinity,
  "solver_order": 2,
  "variance_type": null
}`;

describe('parsePythonJson', () => {
  it('reads Python’s Infinity, -Infinity and NaN as numbers, and only outside strings', () => {
    expect(parsePythonJson('{"a": -Infinity, "b": [Infinity, NaN], "c": "-Infinity", "d": "x\\" NaN"}')).toEqual({ a: -Infinity, b: [Infinity, NaN], c: '-Infinity', d: 'x" NaN' });
    expect(JSON.parse.bind(null, DPM_CONFIG)).toThrow(); // what a plain reader does with the real file
  });

  it('never turns a string of the file into a number, even one spelling the substitution marker', () => {
    const text = '{"a": "\\u0000python-float:NaN", "b": "\\u0000\\u0000python-float:Infinity", "c": NaN, "d": [-Infinity]}';
    expect(parsePythonJson(text)).toEqual({ a: '\u0000python-float:NaN', b: '\u0000\u0000python-float:Infinity', c: NaN, d: [-Infinity] });
    expect(() => parsePythonJson('{NaN: 1}')).toThrow(/NaN cannot be an object key/);
  });

  it('is strict JSON otherwise', () => {
    expect(() => parsePythonJson('{"a": Infinityx}')).toThrow();
    expect(() => parsePythonJson('{"a": infinity}')).toThrow();
    expect(() => readPythonJsonFile(join(tmp, 'none.json'))).toThrow(/none\.json: missing file/);
  });
});

describe('a saved DPM-Solver++ config loads (it failed as "not valid JSON" before)', () => {
  it('the generator layout, the published sampler and the schedule', () => {
    const dir = join(tmp, 'dpm');
    mkdirSync(join(dir, 'scheduler'), { recursive: true });
    writeFileSync(join(dir, 'scheduler', 'scheduler_config.json'), DPM_CONFIG);
    const layout = readGeneratorLayout(dir);
    expect(layout.schedulerConfig.lambda_min_clipped).toBe(-Infinity);
    expect(publishedScheduler(dir)?.scheduler).toBe('dpm-solver++');
    expect(createScheduler(layout.schedulerConfig, 'dpm-solver++', 20).timesteps[0]).toBe(999);
    expect(() => parseSchedulerConfig({ lambda_min_clipped: 'low' }, 'f')).toThrow(/lambda_min_clipped: expected a number \(or -Infinity\)/);
  });
});
